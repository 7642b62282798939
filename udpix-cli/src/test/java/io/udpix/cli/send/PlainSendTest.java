package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.PythonExamples;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix send --plain} through the real command line, to the Python example receiver and to udpix. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlainSendTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void deliversToThePythonExampleReceiverByteIdenticalOneShotChunkedStopAndWaitChunkedAndFiftyJsonMessages()
            throws Exception {
        PythonExamples.assumeAvailable();
        long seed = TestSeeds.seed(51);
        SplittableRandom random = new SplittableRandom(seed);
        Path small = TestFiles.imageFile(temp, "small.png", 80, 60, random);
        Path stopAndWait = TestFiles.imageFile(temp, "stop-and-wait.png", 320, 240, random);
        Path streamed = TestFiles.imageFile(temp, "streamed.jpg", 640, 480, random);
        Path out = temp.resolve("python-received");
        List<String> jsonArgs = new ArrayList<>(List.of("send", "--plain"));
        for (int i = 0; i < 50; i++) {
            jsonArgs.add("--json");
            jsonArgs.add("{\"i\": " + i + ", \"tags\": [\"a\", \"b\"]}");
        }
        Process receiver = PythonExamples.start("plain_receive.py", "0", out.toString(), "--count", "53");
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(receiver.getInputStream(),
                    StandardCharsets.UTF_8));
            String ready = lines.readLine();
            assertThat(ready).startsWith("listening on 127.0.0.1:");
            String to = ready.substring("listening on ".length()).strip();

            assertSent(Cli.run("send", "--plain", small.toString(), "--to", to));
            assertSent(Cli.run("send", "--plain", stopAndWait.toString(), "--to", to, "--chunk", "1024",
                    "--wait-each"));
            assertSent(Cli.run("send", "--plain", streamed.toString(), "--to", to, "--chunk", "1024"));
            jsonArgs.addAll(List.of("--to", to));
            assertSent(Cli.run(jsonArgs.toArray(String[]::new)));

            assertThat(receiver.waitFor(30, TimeUnit.SECONDS)).as("the receiver took 53 items and exited").isTrue();
            assertThat(receiver.exitValue()).isZero();
        } finally {
            receiver.destroyForcibly();
        }
        assertThat(out.resolve("item-0001.png")).as("seed=" + seed).hasSameBinaryContentAs(small);
        assertThat(out.resolve("item-0002.png")).as("seed=" + seed).hasSameBinaryContentAs(stopAndWait);
        assertThat(out.resolve("item-0003.jpg")).as("seed=" + seed).hasSameBinaryContentAs(streamed);
        List<String> messages = Files.readAllLines(out.resolve("messages.jsonl"));
        assertThat(messages).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(JSON.readTree(messages.get(i))).isEqualTo(JSON.readTree(jsonArgs.get(3 + 2 * i)));
        }
    }

    @Test
    void failsWithAClearErrorSuggestingNativeModeWhenNoReplyComes() throws Exception {
        Path image = TestFiles.imageFile(temp, "a.png", 20, 20, new SplittableRandom(TestSeeds.seed(52)));
        try (DatagramChannel silent = DatagramChannel.open()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();

            Cli.Result result = Cli.run("send", "--plain", image.toString(), "--to", "127.0.0.1:" + port,
                    "--plain-timeout", "300ms");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.CANNOT_BIND_OR_REACH);
            assertThat(result.err()).hasSize(1);
            assertThat(result.err().get(0)).startsWith("udpix send: no reply from 127.0.0.1:" + port
                    + " within 300 ms").contains("plain mode cannot recover from loss", "native mode");
            assertThat(result.out()).singleElement().asString().startsWith("send failed image a.png");
        }
    }

    @Test
    void failsWithExitCodeOneAndTheReceiversErrorReply() throws Exception {
        Path big = TestFiles.randomFile(temp.resolve("big.bin"), 5_000, new SplittableRandom(TestSeeds.seed(53)));
        try (BackgroundServe serve = BackgroundServe.start("--plain", "--port", "0", "--out",
                temp.resolve("r").toString(), "--max-size", "1KB")) {
            Cli.Result result = Cli.run("send", "--plain", big.toString(), "--to", serve.address(0));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.TRANSFER_FAILED);
            // The refused 8-byte header gets an 8-byte reply (anti-amplification, docs/PLAIN_MODE.md); the sender
            // says why it is short and where the cause is.
            assertThat(result.err()).singleElement().asString().contains("replied: error: d (cut to the size of the"
                    + " datagram it answers", "the receiver's log names the cause", "--max-size");
        }
    }

    @Test
    void refusesWhatPlainModeCannotCarryBeforeSending() throws Exception {
        Path empty = Files.write(temp.resolve("empty.bin"), new byte[0]);
        String to = "127.0.0.1:9";

        assertBadUsage(Cli.run("send", "--plain", "--json", "42", "--to", to), "objects and arrays");
        assertBadUsage(Cli.run("send", "--plain", empty.toString(), "--to", to), "empty");
        assertBadUsage(Cli.run("send", "--plain", empty.toString(), "--to", to, "--chunk", "0"), "--chunk");
        assertBadUsage(Cli.run("send", "--plain", "--json", "[1]", "--to", to, "--plain-header", "3le"),
                "not one of 8le, 8be, 4le, 4be");
        assertBadUsage(Cli.run("send", "--plain", "--json", "[1]", "--to", to, "--driver", "nio"),
                "native mode only");
    }

    private static void assertSent(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).allSatisfy(line -> assertThat(line).doesNotStartWith("send failed"));
    }

    private static void assertBadUsage(Cli.Result result, String expected) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(result.err()).as(result.toString()).hasSize(1);
        assertThat(result.err().get(0)).contains(expected);
    }
}
