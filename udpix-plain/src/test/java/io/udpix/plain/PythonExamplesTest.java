package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs examples/python both ways against udpix's plain mode; skipped when python3 is not installed. */
class PythonExamplesTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("../examples/python").toAbsolutePath().normalize();
    private static final long PROCESS_TIMEOUT_SECONDS = 60;

    private final long seed = TestSeeds.seed();
    private final Random random = new Random(seed);
    private final BlockingQueue<PlainItem> items = new ArrayBlockingQueue<>(256);
    private PlainServer server;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void requirePython() {
        boolean available;
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            available = p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            available = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            available = false;
        }
        assumeTrue(available, "python3 is not installed; skipping the Python example tests");
        assumeTrue(Files.isRegularFile(EXAMPLES.resolve("plain_send.py")), "examples not found at " + EXAMPLES);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pythonSenderDeliversAOneShotImageToThePlainServer() throws Exception {
        byte[] png = TestImages.noise("png", 100, 100, random);
        Path file = Files.write(tempDir.resolve("small.png"), png);
        startServer();
        runSender(file.toString());
        PlainItem item = nextItem();
        assertThat(item.kind()).isEqualTo(PlainItemKind.IMAGE);
        assertThat(item.readAllBytes()).as("seed=" + seed).isEqualTo(png);
        assertThat(server.counters().datagrams()).isEqualTo(1);
    }

    @Test
    void pythonSenderDeliversAChunkedImageStopAndWait() throws Exception {
        pythonSenderDeliversAChunkedImage("--wait-each");
    }

    @Test
    void pythonSenderDeliversAChunkedImageWithoutWaitingForEachReply() throws Exception {
        pythonSenderDeliversAChunkedImage(null);
    }

    @Test
    void pythonSenderDeliversFiftyJsonMessages() throws Exception {
        List<String> messages = jsonMessages(50);
        startServer();
        List<String> args = new ArrayList<>();
        for (String m : messages) {
            args.add("--json");
            args.add(m);
        }
        runSender(args.toArray(String[]::new));
        for (String m : messages) {
            PlainItem item = nextItem();
            assertThat(item.kind()).isEqualTo(PlainItemKind.JSON);
            assertThat(new String(item.readAllBytes(), StandardCharsets.UTF_8)).as("seed=" + seed).isEqualTo(m);
        }
        assertThat(server.counters().errors()).isZero();
    }

    @Test
    void plainSenderDeliversAOneShotImageToThePythonReceiver() throws Exception {
        byte[] jpg = TestImages.noise("jpg", 80, 80, random);
        Path out = tempDir.resolve("out");
        try (PythonReceiver receiver = new PythonReceiver(out, 1);
                PlainSender sender = PlainSender.open(receiver.address, PlainSendOptions.DEFAULTS)) {
            assertThat(sender.sendBytes(jpg).datagrams()).isEqualTo(1);
            receiver.awaitExit();
        }
        assertThat(Files.readAllBytes(out.resolve("item-0001.jpg"))).as("seed=" + seed).isEqualTo(jpg);
    }

    @Test
    void plainSenderDeliversAChunkedImageStopAndWaitToThePythonReceiver() throws Exception {
        plainSenderDeliversAChunkedImage(true);
    }

    @Test
    void plainSenderDeliversAChunkedImageWithoutWaitingForEachReplyToThePythonReceiver() throws Exception {
        plainSenderDeliversAChunkedImage(false);
    }

    @Test
    void plainSenderDeliversFiftyJsonMessagesToThePythonReceiver() throws Exception {
        List<String> messages = jsonMessages(50);
        Path out = tempDir.resolve("out");
        try (PythonReceiver receiver = new PythonReceiver(out, messages.size());
                PlainSender sender = PlainSender.open(receiver.address, PlainSendOptions.DEFAULTS)) {
            for (String m : messages) {
                sender.sendJson(m);
            }
            receiver.awaitExit();
        }
        byte[] expected = (String.join("\n", messages) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(Files.readAllBytes(out.resolve("messages.jsonl"))).as("seed=" + seed).isEqualTo(expected);
    }

    private void pythonSenderDeliversAChunkedImage(String waitFlag) throws Exception {
        byte[] png = TestImages.noise("png", 200, 200, random);
        Path file = Files.write(tempDir.resolve("big.png"), png);
        startServer();
        List<String> args = new ArrayList<>(List.of(file.toString(), "--chunk", "1024"));
        if (waitFlag != null) {
            args.add(waitFlag);
        }
        runSender(args.toArray(String[]::new));
        PlainItem item = nextItem();
        assertThat(item.extension()).isEqualTo("png");
        assertThat(item.readAllBytes()).as("seed=" + seed).isEqualTo(png);
        assertThat(server.counters().datagrams()).isEqualTo(1 + (png.length + 1023) / 1024);
    }

    private void plainSenderDeliversAChunkedImage(boolean waitEach) throws Exception {
        byte[] png = TestImages.noise("png", 200, 200, random);
        Path out = tempDir.resolve("out");
        PlainSendOptions options = PlainSendOptions.DEFAULTS.withChunkBytes(1024).withWaitEach(waitEach);
        try (PythonReceiver receiver = new PythonReceiver(out, 1);
                PlainSender sender = PlainSender.open(receiver.address, options)) {
            PlainSendResult result = sender.sendBytes(png);
            assertThat(result.replies()).isEqualTo(result.datagrams());
            receiver.awaitExit();
        }
        assertThat(Files.readAllBytes(out.resolve("item-0001.png"))).as("seed=" + seed).isEqualTo(png);
    }

    private List<String> jsonMessages(int count) {
        String[] words = {"alpha", "\u00e9t\u00e9", "\u65e5\u672c", "\u0416", "tab\\tquote\\\""};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("{\"n\": " + i + ", \"word\": \"" + words[random.nextInt(words.length)] + "\", \"values\": ["
                    + random.nextInt(1000) + ", " + random.nextInt(1000) + "]}");
        }
        return out;
    }

    private void startServer() throws IOException {
        server = PlainServer.start(new InetSocketAddress("127.0.0.1", 0), PlainReceiverConfig.defaults(), items::add);
    }

    private PlainItem nextItem() throws InterruptedException {
        PlainItem item = items.poll(30, TimeUnit.SECONDS);
        assertThat(item).as("an item arrives; seed=" + seed + " counters: " + server.counters()).isNotNull();
        return item;
    }

    private void runSender(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", EXAMPLES.resolve("plain_send.py").toString(),
                "127.0.0.1", Integer.toString(server.localAddress().getPort())));
        command.addAll(List.of(args));
        Path log = tempDir.resolve("sender.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        assertThat(exited && p.exitValue() == 0).as("plain_send.py succeeds; output: " + Files.readString(log))
                .isTrue();
    }

    /** plain_receive.py on a free loopback port, reporting its address on its first line of output. */
    private static final class PythonReceiver implements AutoCloseable {
        final Process process;
        final InetSocketAddress address;
        final StringBuilder output = new StringBuilder();
        final Thread drain;

        PythonReceiver(Path outDir, int count) throws IOException {
            process = new ProcessBuilder("python3", EXAMPLES.resolve("plain_receive.py").toString(), "0",
                    outDir.toString(), "--count", Integer.toString(count)).redirectErrorStream(true).start();
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = reader.readLine();
            if (first == null || !first.startsWith("listening on ")) {
                process.destroyForcibly();
                throw new IOException("plain_receive.py did not start: " + first);
            }
            String hostPort = first.substring("listening on ".length()).trim();
            int colon = hostPort.lastIndexOf(':');
            address = new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)));
            // Keep reading so the receiver never blocks on a full pipe.
            drain = new Thread(() -> {
                try {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                } catch (IOException e) {
                    // The process ended.
                }
            }, "plain_receive-output");
            drain.setDaemon(true);
            drain.start();
        }

        void awaitExit() throws InterruptedException {
            boolean exited = process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            drain.join(TimeUnit.SECONDS.toMillis(PROCESS_TIMEOUT_SECONDS));
            String log;
            synchronized (output) {
                log = output.toString();
            }
            assertThat(exited && process.exitValue() == 0).as("plain_receive.py exits after its items; output: "
                    + log).isTrue();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
