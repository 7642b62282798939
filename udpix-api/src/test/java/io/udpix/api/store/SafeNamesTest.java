package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.TestSeeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SafeNamesTest {

    private static final String FALLBACK = "item-7.bin";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../../etc/passwd      | passwd",
        "/etc/shadow           | shadow",
        "..\\..\\x             | x",
        "C:\\Users\\me\\cat.jpg | cat.jpg",
        "a/b\\c/d.png          | d.png",
        ".bashrc               | bashrc",
        "...hidden.txt         | hidden.txt",
        "trailing.dot.         | trailing.dot",
        "CON                   | _CON",
        "con.txt               | _con.txt",
        "Lpt9.log              | _Lpt9.log",
        "aux.tar.gz            | _aux.tar.gz",
        "CONSOLE.txt           | CONSOLE.txt",
        "cat photo (1).jpg     | cat photo (1).jpg",
        "日本語.png             | 日本語.png",
        "foo..bar.txt          | foo..bar.txt",
    })
    void reducesHostileNamesToASafeBaseName(String senderName, String expected) {
        assertThat(SafeNames.baseName(senderName, FALLBACK)).isEqualTo(expected);
    }

    @Test
    void dropsCharactersWindowsForbids() {
        assertThat(SafeNames.baseName("a<b>c:d\"e|f?g*h.txt", FALLBACK)).isEqualTo("abcdefgh.txt");
    }

    @Test
    void dropsNulAndOtherControlAndDirectionCharacters() {
        assertThat(SafeNames.baseName("a\u0000b\u0007c\n.txt", FALLBACK)).isEqualTo("abc.txt");
        assertThat(SafeNames.baseName("evil\u202Egpj.exe", FALLBACK)).isEqualTo("evilgpj.exe");
        assertThat(SafeNames.baseName("x\u001B[31mred.png", FALLBACK)).isEqualTo("x[31mred.png");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"..", ".", "../..", "/", "\\", "   ", "\u0000", "a/..", "...", ". .", "\u202E"})
    void usesTheFallbackWhenNothingUsableIsLeft(String senderName) {
        assertThat(SafeNames.baseName(senderName, FALLBACK)).isEqualTo(FALLBACK);
    }

    @Test
    void trimsVeryLongNamesTo200BytesKeepingTheExtension() {
        String name = SafeNames.baseName("x".repeat(500) + ".jpg", FALLBACK);

        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(SafeNames.MAX_NAME_BYTES);
        assertThat(name).endsWith(".jpg").startsWith("xxxx");
    }

    @Test
    void neverCutsAMultiByteCharacterInHalf() {
        String accents = SafeNames.baseName("é".repeat(300) + ".png", FALLBACK);
        String emoji = SafeNames.baseName("\uD83D\uDE00".repeat(100), FALLBACK);

        assertThat(accents.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SafeNames.MAX_NAME_BYTES);
        assertThat(accents).endsWith(".png").matches("é+\\.png");
        assertThat(emoji.getBytes(StandardCharsets.UTF_8)).hasSize(SafeNames.MAX_NAME_BYTES);
        assertThat(emoji).isEqualTo("\uD83D\uDE00".repeat(50));
    }

    @Test
    void treatsAnOverlongExtensionAsPartOfTheName() {
        String name = SafeNames.baseName("a." + "b".repeat(400), FALLBACK);

        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(SafeNames.MAX_NAME_BYTES);
        assertThat(name).startsWith("a.bbb");
    }

    @Test
    void refusesAnUnsafeFallback() {
        assertThatThrownBy(() -> SafeNames.baseName("..", "../item.bin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a safe base name");
    }

    @Test
    void recognisesSafeNames() {
        assertThat(SafeNames.isSafe("cat.jpg")).isTrue();
        assertThat(SafeNames.isSafe("../cat.jpg")).isFalse();
        assertThat(SafeNames.isSafe(".udpix-0011.part")).isFalse();
        assertThat(SafeNames.isSafe("")).isFalse();
        assertThat(SafeNames.isSafe(null)).isFalse();
    }

    @Test
    void anyRandomNameBecomesOneSafeEntryInsideTheDirectory() {
        long seed = TestSeeds.seed(20261123L);
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "./\\\u0000\n\t :*?\"<>|aZ09é日\uD83D\uDE00\u202E\u200B-_()CONLPT1";
        Path dir = Path.of("/srv/out");
        for (int i = 0; i < 2_000; i++) {
            StringBuilder raw = new StringBuilder();
            int length = random.nextInt(0, 300);
            for (int j = 0; j < length; j++) {
                raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String name = SafeNames.baseName(raw.toString(), FALLBACK);
            String why = "seed=" + seed + " input=" + raw;
            assertThat(name).as(why).isNotEmpty().doesNotContain("/", "\\", "\u0000").doesNotStartWith(".");
            assertThat(name.getBytes(StandardCharsets.UTF_8).length).as(why)
                    .isLessThanOrEqualTo(SafeNames.MAX_NAME_BYTES);
            assertThat(dir.resolve(name).normalize().getParent()).as(why).isEqualTo(dir);
            assertThat(SafeNames.isSafe(name)).as(why).isTrue();
        }
    }
}
