package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.PythonExamples;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix serve --plain} through the real command line, fed by the Python example and raw sockets. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlainServeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void storesWhatThePythonExampleSendsExactlyOneShotChunkedStopAndWaitChunkedStreamingAndFiftyJsonMessages()
            throws Exception {
        PythonExamples.assumeAvailable();
        long seed = TestSeeds.seed(41);
        SplittableRandom random = new SplittableRandom(seed);
        Path sources = Files.createDirectories(temp.resolve("sources"));
        Path small = TestFiles.imageFile(sources, "small.png", 80, 60, random);
        Path stopAndWait = TestFiles.imageFile(sources, "stop-and-wait.png", 320, 240, random);
        Path streamed = TestFiles.imageFile(sources, "streamed.jpg", 640, 480, random);
        assertThat(Files.size(small)).as("fits one datagram").isLessThan(65_507);
        Path dir = temp.resolve("received");
        List<String> jsonArgs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            jsonArgs.add("--json");
            jsonArgs.add("[" + i + ", \"message " + i + "\", {\"n\": " + i + "}]");
        }
        try (BackgroundServe serve = BackgroundServe.start("--plain", "--port", "0", "--out", dir.toString())) {
            String port = Integer.toString(serve.ports().get(0));
            assertPythonSent(PythonExamples.run("plain_send.py", "127.0.0.1", port, small.toString()));
            assertPythonSent(PythonExamples.run("plain_send.py", "127.0.0.1", port, stopAndWait.toString(),
                    "--chunk", "1024", "--wait-each"));
            assertPythonSent(PythonExamples.run("plain_send.py", "127.0.0.1", port, streamed.toString(),
                    "--chunk", "1024"));
            List<String> jsonCommand = new ArrayList<>(List.of("127.0.0.1", port));
            jsonCommand.addAll(jsonArgs);
            assertPythonSent(PythonExamples.run("plain_send.py", jsonCommand.toArray(String[]::new)));

            assertThat(serve.out().awaitCount(line -> line.startsWith("received "), 53, WAIT))
                    .as(serve.out().text()).isTrue();
            assertThat(serve.stop().exitCode()).isZero();
        }
        List<Path> stored = ServeCommandTest.files(dir, "item-*");
        assertThat(stored).hasSize(3);
        List<byte[]> contents = new ArrayList<>();
        for (Path file : stored) {
            contents.add(Files.readAllBytes(file));
        }
        for (Path source : List.of(small, stopAndWait, streamed)) {
            byte[] expected = Files.readAllBytes(source);
            assertThat(contents).as("seed=" + seed + " " + source.getFileName())
                    .anySatisfy(content -> assertThat(content).isEqualTo(expected));
        }
        assertThat(ServeCommandTest.files(dir, "item-*.jpg")).hasSize(1);
        assertThat(ServeCommandTest.files(dir, "item-*.png")).hasSize(2);
        List<String> messages = Files.readAllLines(dir.resolve("messages.jsonl"));
        assertThat(messages).hasSize(50);
        for (int i = 0; i < 50; i++) {
            JsonNode line = JSON.readTree(messages.get(i));
            assertThat(line.get("value")).isEqualTo(JSON.readTree(jsonArgs.get(2 * i + 1)));
            assertThat(line.get("port").asInt()).isPositive();
            assertThat(line.get("from").asText()).startsWith("127.0.0.1:");
        }
    }

    @Test
    void takesImagesOnOnePortAndJsonOnAnotherFromTwoPlainClientsAtOnce() throws Exception {
        long seed = TestSeeds.seed(42);
        Path image = TestFiles.imageFile(temp, "frame.png", 400, 300, new SplittableRandom(seed));
        Path dir = temp.resolve("received");
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (BackgroundServe serve = BackgroundServe.start("--plain", "--port", "0", "--port", "0", "--out",
                dir.toString())) {
            Future<Cli.Result> images = clients.submit(() -> Cli.run("send", "--plain", image.toString(), "--to",
                    serve.address(0), "--repeat", "10", "--chunk", "1024"));
            Future<Cli.Result> lists = clients.submit(() -> Cli.run("send", "--plain", "--json", "[\"a\", 1]",
                    "--to", serve.address(1), "--repeat", "20"));

            Cli.Result imageClient = images.get(60, TimeUnit.SECONDS);
            Cli.Result listClient = lists.get(60, TimeUnit.SECONDS);
            assertThat(imageClient.exitCode()).as("seed=" + seed + " " + imageClient).isZero();
            assertThat(listClient.exitCode()).as(listClient.toString()).isZero();
            assertThat(serve.out().awaitCount(line -> line.startsWith("received "), 30, WAIT)).isTrue();
        } finally {
            clients.shutdownNow();
        }
        byte[] expected = Files.readAllBytes(image);
        List<Path> frames = ServeCommandTest.files(dir, "item-*.png");
        assertThat(frames).hasSize(10);
        for (Path frame : frames) {
            assertThat(Files.readAllBytes(frame)).as("seed=" + seed + " " + frame).isEqualTo(expected);
        }
        List<String> messages = Files.readAllLines(dir.resolve("messages.jsonl"));
        assertThat(messages).hasSize(20);
        for (String message : messages) {
            JsonNode line = JSON.readTree(message);
            assertThat(line.get("value")).isEqualTo(JSON.readTree("[\"a\", 1]"));
        }
    }

    @Test
    void keepsTwoSendersInterleavingChunkedItemsOnOnePortApart() throws Exception {
        long seed = TestSeeds.seed(43);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] first = TestFiles.bytes(10_000, random);
        byte[] second = TestFiles.bytes(7_500, random);
        Path dir = temp.resolve("received");
        try (BackgroundServe serve = BackgroundServe.start("--plain", "--port", "0", "--out", dir.toString());
             RawSender a = new RawSender(serve.ports().get(0));
             RawSender b = new RawSender(serve.ports().get(0))) {
            a.sendAndExpectReceived(header(first.length));
            b.sendAndExpectReceived(header(second.length));
            // Piece by piece, alternating: a tutorial server would mix them into one broken item.
            for (int offset = 0; offset < Math.max(first.length, second.length); offset += 1024) {
                if (offset < first.length) {
                    a.sendAndExpectReceived(Arrays.copyOfRange(first, offset, Math.min(first.length, offset + 1024)));
                }
                if (offset < second.length) {
                    b.sendAndExpectReceived(Arrays.copyOfRange(second, offset,
                            Math.min(second.length, offset + 1024)));
                }
            }
            assertThat(serve.out().awaitCount(line -> line.startsWith("received "), 2, WAIT)).isTrue();
            // Files are named after their sender: each one holds exactly what that sender sent.
            List<Path> fromA = ServeCommandTest.files(dir, "item-*-127.0.0.1-" + a.local().getPort() + ".bin");
            List<Path> fromB = ServeCommandTest.files(dir, "item-*-127.0.0.1-" + b.local().getPort() + ".bin");
            assertThat(fromA).hasSize(1);
            assertThat(fromB).hasSize(1);
            assertThat(Files.readAllBytes(fromA.get(0))).as("seed=" + seed).isEqualTo(first);
            assertThat(Files.readAllBytes(fromB.get(0))).as("seed=" + seed).isEqualTo(second);
        }
    }

    @Test
    void survivesHostileInputAndStoresANormalItemSentAfterEach() throws Exception {
        long seed = TestSeeds.seed(44);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] image = TestFiles.image("png", 40, 30, random);
        Path dir = temp.resolve("received");
        try (BackgroundServe serve = BackgroundServe.start("--plain", "--port", "0", "--out", dir.toString(),
                "--plain-timeout", "300ms", "--max-size", "1MiB");
             RawSender sender = new RawSender(serve.ports().get(0))) {
            int stored = 0;

            // A header claiming 2^62 bytes: refused at once, nothing allocated or awaited; the reply is cut to the
            // header's 8 bytes, as for any sender whose header was not accepted (anti-amplification).
            assertThat(sender.send(header(1L << 62))).isEqualTo("error: d");
            sender.sendAndExpectReceived(image);
            awaitStored(serve, ++stored);

            // An overrun: more bytes than the header declared.
            sender.sendAndExpectReceived(header(10));
            assertThat(sender.send(TestFiles.bytes(20, random))).startsWith("error");
            sender.sendAndExpectReceived(image);
            awaitStored(serve, ++stored);

            // Garbage: neither image, JSON nor header.
            assertThat(sender.send(new byte[] {1, 2, 3, 4, 5})).startsWith("error");
            assertThat(sender.send("{\"unterminated\": ".getBytes(StandardCharsets.UTF_8))).startsWith("error");
            sender.sendAndExpectReceived(image);
            awaitStored(serve, ++stored);

            // Silence in the middle of an item: discarded after --plain-timeout, the sender is told.
            sender.sendAndExpectReceived(header(1000));
            sender.sendAndExpectReceived(TestFiles.bytes(100, random));
            assertThat(sender.receive(Duration.ofSeconds(20))).startsWith("error").contains("nothing from");
            sender.sendAndExpectReceived(image);
            awaitStored(serve, ++stored);

            Cli.Result result = serve.stop();
            assertThat(result.exitCode()).isZero();
            assertThat(result.outText()).contains("length_too_large=1", "overrun=1", "garbage=2", "silence=1");
        }
        List<Path> files = ServeCommandTest.files(dir, "item-*");
        assertThat(files).hasSize(4);
        for (Path file : files) {
            assertThat(Files.readAllBytes(file)).as("seed=" + seed).isEqualTo(image);
        }
        assertThat(ServeCommandTest.files(dir, "*.part")).isEmpty();
    }

    @Test
    void keepsSpillFilesInAnOwnerOnlyFolderUnderOutAndDeletesWhatACrashLeftThere() throws Exception {
        long seed = TestSeeds.seed(45);
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = temp.resolve("received");
        Path spill = Files.createDirectories(dir.resolve(".udpix-spill"));
        Path leftover = Files.write(spill.resolve("udpix-plain-123.part"), new byte[100_000]);
        byte[] large = TestFiles.bytes(9 << 20, random); // above the 8 MiB kept in memory per item
        try (BackgroundServe serve = BackgroundServe.start("--plain", "--port", "0", "--out", dir.toString());
             RawSender sender = new RawSender(serve.ports().get(0))) {
            assertThat(leftover).doesNotExist();
            if (Files.getFileAttributeView(spill, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(spill))).isEqualTo("rwx------");
            }
            sender.sendAndExpectReceived(header(large.length));
            int piece = 60_000;
            for (int off = 0; off < large.length; off += piece) {
                if (off + piece >= large.length) {
                    assertThat(ServeCommandTest.files(spill, "udpix-plain-*.part")).as("spilled under OUT").hasSize(1);
                }
                sender.sendAndExpectReceived(Arrays.copyOfRange(large, off, Math.min(large.length, off + piece)));
            }
            awaitStored(serve, 1);
            assertThat(serve.stop().exitCode()).isZero();
        }
        assertThat(ServeCommandTest.files(spill, "*")).as("the spill file became the item").isEmpty();
        List<Path> files = ServeCommandTest.files(dir, "item-*");
        assertThat(files).hasSize(1);
        assertThat(Files.readAllBytes(files.get(0))).as("seed=" + seed).isEqualTo(large);
    }

    private static void awaitStored(BackgroundServe serve, int count) throws InterruptedException {
        assertThat(serve.out().awaitCount(line -> line.startsWith("received "), count, WAIT))
                .as(serve.out().text()).isTrue();
    }

    private static void assertPythonSent(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    /** An 8-byte little-endian length header, as Python's struct.pack('l', n) writes on 64-bit Linux. */
    static byte[] header(long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array();
    }

    /** A tutorial-style client socket: send a datagram, read the reply. */
    static final class RawSender implements AutoCloseable {
        private final DatagramSocket socket;
        private final InetSocketAddress server;
        private final byte[] reply = new byte[65_536];

        RawSender(int port) throws IOException {
            server = new InetSocketAddress("127.0.0.1", port);
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        }

        InetSocketAddress local() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        /** Sends {@code datagram} and returns the reply. */
        String send(byte[] datagram) throws IOException {
            socket.send(new DatagramPacket(datagram, datagram.length, server));
            return receive(Duration.ofSeconds(20));
        }

        void sendAndExpectReceived(byte[] datagram) throws IOException {
            assertThat(send(datagram)).isEqualTo("received");
        }

        /** The next reply (blocking, with a timeout that fails the test rather than hang it). */
        String receive(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            DatagramPacket packet = new DatagramPacket(reply, reply.length);
            socket.receive(packet);
            assertThat(packet.getSocketAddress()).isEqualTo(server);
            return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
