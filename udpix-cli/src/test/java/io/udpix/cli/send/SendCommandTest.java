package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix send} (native mode) through the real command line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void exitsZeroAndPrintsOneLinePerConfirmedItemWithItsSha256() throws Exception {
        Path file = TestFiles.randomFile(temp.resolve("data.bin"), 300_000, new SplittableRandom(TestSeeds.seed(5)));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r").toString())) {
            Cli.Result result = Cli.run("send", file.toString(), "--json", "{\"k\": [1]}", "--to", serve.address(0),
                    "--format", "json");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.errWithoutTrustNotice()).isEmpty();
            List<JsonNode> lines = result.out().stream().map(SendCommandTest::json).toList();
            assertThat(lines).filteredOn(line -> line.get("event").asText().equals("sent")).hasSize(2);
            JsonNode fileLine = lines.get(0);
            assertThat(fileLine.get("name").asText()).isEqualTo("data.bin");
            assertThat(fileLine.get("bytes").asLong()).isEqualTo(300_000);
            assertThat(fileLine.get("sha256").asText()).isEqualTo(TestFiles.sha256(file));
            assertThat(fileLine.get("peer").asText()).isEqualTo(serve.address(0));
        }
    }

    @Test
    void failsWithExitCodeThreeAndTheHandshakeReasonWhenNoServerAnswers() throws Exception {
        Path file = Files.writeString(temp.resolve("a.txt"), "hello");
        try (DatagramChannel silent = DatagramChannel.open()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();

            Cli.Result result = Cli.run("send", file.toString(), "--to", "127.0.0.1:" + port, "--connect-timeout",
                    "300ms");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.CANNOT_BIND_OR_REACH);
            assertThat(result.err()).containsExactly("udpix send: no answer from 127.0.0.1:" + port
                    + " within 300 ms; is `udpix serve` running there?");
        }
    }

    @Test
    void explainsBadUseInOneLineWithExitCodeTwoBeforeSendingAnything() throws Exception {
        Path file = Files.writeString(temp.resolve("a.txt"), "hello");
        String to = "127.0.0.1:9";

        assertBadUsage(Cli.run("send", file.toString(), "--to", to, "--prot", "9"), "Unknown option: '--prot'");
        assertBadUsage(Cli.run("send", temp.resolve("missing.png").toString(), "--to", to),
                "cannot read " + temp.resolve("missing.png") + ": no such file");
        assertBadUsage(Cli.run("send", "--json", "{\"a\": }", "--to", to), "--json: invalid JSON at line 1");
        assertBadUsage(Cli.run("send", "--json", "{\"a\": 1} {\"b\": 2}", "--to", to), "more than one value");
        assertBadUsage(Cli.run("send", "--to", to), "nothing to send");
        assertBadUsage(Cli.run("send", file.toString()), "--to");
        assertBadUsage(Cli.run("send", file.toString(), "--to", "localhost"), "has no port");
        Path empty = Files.createDirectories(temp.resolve("empty/inner"));
        assertBadUsage(Cli.run("send", empty.toString(), "--to", to), "nothing to send: " + empty
                + " has no files (empty folders are not sent)");
        assertBadUsage(Cli.run("send", temp.toString(), "--to", to, "--plain"), "plain mode carries no file names");
        assertBadUsage(Cli.run("send", file.toString(), "--to", to, "--quality", "0"), "--quality");
        assertBadUsage(Cli.run("send", file.toString(), "--to", to, "--repeat", "-1"), "--repeat");
        assertBadUsage(Cli.run("send", file.toString(), "--to", to, "--interval", "5"), "has no unit");
        assertBadUsage(Cli.run("send", file.toString(), "--to", to, "--wait-each"), "plain mode only");
    }

    @Test
    void failsWithExitCodeThreeForAHostThatDoesNotResolve() throws Exception {
        Path file = Files.writeString(temp.resolve("a.txt"), "hello");

        Cli.Result result = Cli.run("send", file.toString(), "--to", "no-such-host.invalid:9000");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.CANNOT_BIND_OR_REACH);
        assertThat(result.err()).containsExactly("udpix send: cannot resolve host 'no-such-host.invalid'; check the "
                + "name in --to or use an IP address");
    }

    @Test
    void readsTheJsonDocumentFromStandardInputForADash() throws Exception {
        Path dir = temp.resolve("r");
        String document = "{\"from\": \"stdin\",\n \"n\": [1, 2]}\n";
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString())) {
            Cli.Result result = Cli.run(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)),
                    "send", "--json", "-", "--to", serve.address(0));

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(serve.out().await(l -> l.startsWith("received json"), Duration.ofSeconds(10))).isNotNull();
        }
        JsonNode line = JSON.readTree(Files.readAllLines(dir.resolve("messages.jsonl")).get(0));
        assertThat(line.get("value")).isEqualTo(JSON.readTree(document));
    }

    @Test
    void repeatsEverythingTheGivenNumberOfTimes() throws Exception {
        Path dir = temp.resolve("r");
        Path file = Files.writeString(temp.resolve("note.txt"), "again");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString())) {
            Cli.Result result = Cli.run("send", file.toString(), "--json", "[7]", "--to", serve.address(0),
                    "--repeat", "3", "--interval", "1ms");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).filteredOn(l -> l.startsWith("sent ")).hasSize(6);
            assertThat(result.out().get(result.out().size() - 1)).startsWith("6 items (");
            assertThat(serve.out().awaitCount(l -> l.startsWith("received "), 6, Duration.ofSeconds(10))).isTrue();
        }
        assertThat(Files.readAllLines(dir.resolve("messages.jsonl"))).hasSize(3);
        assertThat(dir.resolve("note.txt")).hasContent("again");
        assertThat(dir.resolve("note (1).txt")).hasContent("again");
        assertThat(dir.resolve("note (2).txt")).hasContent("again");
    }

    @Test
    void repeatsUntilStoppedWithRepeatZero() throws Exception {
        Path dir = temp.resolve("r");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString())) {
            Cli.Result[] result = new Cli.Result[1];
            Thread client = new Thread(() -> result[0] = Cli.run("send", "--json", "[0]", "--to", serve.address(0),
                    "--repeat", "0", "--interval", "1ms"));
            client.start();

            assertThat(serve.out().awaitCount(l -> l.startsWith("received json"), 25, Duration.ofSeconds(20)))
                    .isTrue();
            client.interrupt();
            client.join(20_000);

            assertThat(client.isAlive()).isFalse();
            assertThat(result[0].exitCode()).as(result[0].toString()).isEqualTo(ExitCodes.TRANSFER_FAILED);
            assertThat(result[0].errWithoutTrustNotice()).singleElement().asString().contains("stopped before every item");
            // One item per round, each sent only after the one before was confirmed and reported: the server
            // having 25 means the client reported at least 24 (the 25th may have been in flight when stopped).
            assertThat(result[0].out()).filteredOn(l -> l.startsWith("sent json")).hasSizeGreaterThanOrEqualTo(24);
        }
    }

    @Test
    void reencodesImagesWithResizeAndQualityBeforeSending() throws Exception {
        Path dir = temp.resolve("r");
        Path image = TestFiles.imageFile(temp, "photo.png", 800, 400, new SplittableRandom(TestSeeds.seed(6)));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString())) {
            Cli.Result result = Cli.run("send", image.toString(), "--resize", "200", "--quality", "80", "--to",
                    serve.address(0));

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out().get(0)).startsWith("sent image photo.jpg ");
            assertThat(serve.out().await(l -> l.startsWith("received image photo.jpg"), Duration.ofSeconds(10)))
                    .endsWith("200x100 jpeg");
        }
        BufferedImage received = ImageIO.read(dir.resolve("photo.jpg").toFile());
        assertThat(received.getWidth()).isEqualTo(200);
        assertThat(received.getHeight()).isEqualTo(100);
    }

    private static void assertBadUsage(Cli.Result result, String expected) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(result.err()).as(result.toString()).hasSize(1);
        assertThat(result.err().get(0)).startsWith("udpix send: ").contains(expected);
        assertThat(result.out()).isEmpty();
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
