package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.TestSeeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TreeNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "photos/2024/cat.jpg        | photos/2024/cat.jpg",
        "../../etc/passwd           | etc/passwd",
        "/abs/x                     | abs/x",
        "a/../../b                  | a/b",
        "a\\..\\b                   | a/b",
        "C:x                        | Cx",
        "C:\\Users\\me\\cat.jpg     | C/Users/me/cat.jpg",
        "a//b                       | a/b",
        "./a/./b/.                  | a/b",
        ".git/config                | git/config",
        "CON/aux.txt                | _CON/_aux.txt",
        "trailing/slash/            | trailing/slash",
        "Fotos 2024/été/ä b.png     | Fotos 2024/été/ä b.png",
        "日本/語/猫.png               | 日本/語/猫.png",
    })
    void keepsEachDirectoryMadeSafeAndDropsWhatWouldLeaveTheDirectory(String senderName, String expected)
            throws Exception {
        assertThat(TreeNames.parse(senderName)).map(TreeNames.SafePath::relative).contains(expected);
    }

    @Test
    void cleansControlAndDirectionCharactersInEveryComponent() throws Exception {
        assertThat(TreeNames.parse("a\u0000b/\u001B[1mc\u202E/d\n.txt").map(TreeNames.SafePath::relative))
                .contains("ab/[1mc/d.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "./.", "..", "/", "\\\\", "../..", "./../.", "\u0000/\u0001", " / . /.."})
    void leavesNothingForANameWithoutAUsablePart(String senderName) throws Exception {
        assertThat(TreeNames.parse(senderName)).isEqualTo(Optional.empty());
    }

    @Test
    void cutsAnOverLongComponentToTheNameLimit() throws Exception {
        String relative = TreeNames.parse("d".repeat(250) + "/f.txt").orElseThrow().relative();

        assertThat(relative).isEqualTo("d".repeat(SafeNames.MAX_NAME_BYTES) + "/f.txt");
    }

    @Test
    void acceptsSixteenDirectoryLevelsAndRefusesSeventeenNamingTheLimit() throws Exception {
        assertThat(TreeNames.parse("a/".repeat(16) + "f").orElseThrow().directories()).hasSize(16);

        assertThatThrownBy(() -> TreeNames.parse("a/".repeat(17) + "f"))
                .isInstanceOf(TreeNames.RefusedNameException.class)
                .hasMessageContaining("17 directory levels").hasMessageContaining("at most 16")
                .hasMessageContaining("send a flatter tree");
        assertThatThrownBy(() -> TreeNames.parse("a/".repeat(40) + "f"))
                .isInstanceOf(TreeNames.RefusedNameException.class).hasMessageContaining("40 directory levels");
    }

    @Test
    void countsOnlyTheLevelsThatRemainAfterCleaning() throws Exception {
        // 40 separators, but "..", "." and empty parts are dropped before the depth is counted.
        assertThat(TreeNames.parse("../".repeat(20) + "./".repeat(19) + "x").orElseThrow().relative())
                .isEqualTo("x");
    }

    @Test
    void randomNamesAlwaysGiveASafePathInsideTheDirectoryOrARefusal() {
        long seed = TestSeeds.seed(20261202L);
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "..//\\\u0000\n :*?\"<>|aZ9é日\uD83D\uDE00\u202E\u200B-_()CONLPT1";
        Path dir = Path.of("/srv/out");
        int refused = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder raw = new StringBuilder();
            int length = random.nextInt(0, 256);
            for (int j = 0; j < length; j++) {
                raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String why = "seed=" + seed + " (re-run with -Dudpix.seed=" + seed + ") input=" + raw;
            Optional<TreeNames.SafePath> parsed;
            try {
                parsed = TreeNames.parse(raw.toString());
            } catch (TreeNames.RefusedNameException e) {
                refused++;
                continue;
            }
            if (parsed.isEmpty()) {
                continue;
            }
            TreeNames.SafePath path = parsed.get();
            assertThat(path.directories()).as(why).hasSizeLessThanOrEqualTo(TreeNames.MAX_DIRECTORY_LEVELS);
            assertThat(TreeNames.isSafe(path.relative())).as(why).isTrue();
            Path resolved = dir.resolve(path.relative());
            assertThat(resolved.normalize()).as(why).isEqualTo(resolved).startsWithRaw(dir);
            for (String component : path.relative().split("/", -1)) {
                assertThat(component).as(why).isNotEmpty().doesNotStartWith(".").doesNotContain("\\", "\u0000");
                assertThat(component.getBytes(StandardCharsets.UTF_8).length).as(why)
                        .isLessThanOrEqualTo(SafeNames.MAX_NAME_BYTES);
            }
        }
        assertThat(refused).as("seed=%d: some names are deep enough to be refused", seed).isPositive();
    }

    @Test
    void tellsSafeRelativeNamesFromOthers() {
        assertThat(TreeNames.isSafe("a/b/c.txt")).isTrue();
        assertThat(TreeNames.isSafe("cat.jpg")).isTrue();
        for (String unsafe : new String[] {"../a", "/a", "a//b", "a/./b", "a\\b", ".hidden/x", "a/", "",
            "a/".repeat(17) + "f"}) {
            assertThat(TreeNames.isSafe(unsafe)).as(unsafe).isFalse();
        }
    }
}
