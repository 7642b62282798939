package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix send DIR...} to {@code udpix serve --out}: the tree arrives as it was, end to end. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendFolderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aFolderWithNestedUnicodeDirectoriesArrivesWithTheSameTreeAndExactBytes() throws Exception {
        long seed = TestSeeds.seed(15);
        SplittableRandom random = new SplittableRandom(seed);
        Path source = Files.createDirectory(temp.resolve("source"));
        Path album = Files.createDirectory(source.resolve("album"));
        TestFiles.randomFile(dirs(album.resolve("Fotos 2024/été à Zürich/深い 階層/big file.bin")), 3_000_000,
                random);
        TestFiles.randomFile(dirs(album.resolve("Fotos 2024/été à Zürich/notes.txt")), 1_000, random);
        TestFiles.randomFile(dirs(album.resolve("Fotos 2024/empty.bin")), 0, random);
        TestFiles.imageFile(album, "cover.png", 64, 48, random);
        Files.createDirectories(album.resolve("nothing here/at all"));
        Path loose = TestFiles.randomFile(source.resolve("loose file.dat"), 70_000, random);
        Path secret = Files.writeString(temp.resolve("secret.txt"), "must not be sent");
        Files.createSymbolicLink(album.resolve("Fotos 2024/link to secret.txt"), secret);
        Path out = temp.resolve("received");

        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", out.toString())) {
            Cli.Result result = Cli.run("send", loose.toString(), album.toString(), "--to", serve.address(0),
                    "--format", "json");

            assertThat(result.exitCode()).as("seed=%d %s", seed, result).isZero();
            assertThat(result.errWithoutTrustNotice()).containsExactly(
                    "udpix send: skipping album/Fotos 2024/link to secret.txt: a symbolic link, not followed");
            List<String> sent = result.out().stream().map(SendFolderTest::json)
                    .filter(line -> line.get("event").asText().equals("sent")).map(line -> line.get("name").asText())
                    .toList();
            assertThat(sent).containsExactly("loose file.dat", "album/Fotos 2024/empty.bin",
                    "album/Fotos 2024/été à Zürich/notes.txt",
                    "album/Fotos 2024/été à Zürich/深い 階層/big file.bin", "album/cover.png");
            // serve names each saved file with its folders.
            assertThat(serve.out().awaitCount(l -> l.startsWith("received "), 5, java.time.Duration.ofSeconds(10)))
                    .isTrue();
            assertThat(serve.out().text())
                    .contains(out.resolve("album/Fotos 2024/été à Zürich/notes.txt").toString());
            assertThat(serve.stop().exitCode()).isZero();
        }
        Map<String, String> expected = filesUnder(source);
        expected.remove("album/Fotos 2024/link to secret.txt");
        Map<String, String> received = filesUnder(out);
        received.remove("messages.jsonl");
        received.remove(".udpix.lock");
        assertThat(received).as("seed=%d", seed).isEqualTo(expected);
        assertThat(out.resolve("album/nothing here")).doesNotExist();
        assertThat(out.resolve("album/Fotos 2024/link to secret.txt")).doesNotExist();
    }

    /** Creates the parent directories of {@code file}; returns it. */
    private static Path dirs(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return file;
    }

    /** Every regular file under {@code dir} (links not followed) by its '/' path, to its SHA-256. */
    private static Map<String, String> filesUnder(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                try {
                    files.put(dir.relativize(p).toString().replace('\\', '/'), TestFiles.sha256(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return files;
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(line, e);
        }
    }
}
