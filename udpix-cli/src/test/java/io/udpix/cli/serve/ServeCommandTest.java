package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.Item;
import io.udpix.api.UdpixClient;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix serve} (native mode) through the real command line, with {@code udpix send} as the clients. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void takesImagesOnOnePortAndJsonListsOnAnotherFromTwoClientsAtOnceAsTheTutorialsFinalExample()
            throws Exception {
        long seed = TestSeeds.seed(1);
        Path dir = temp.resolve("received");
        Path image = TestFiles.imageFile(Files.createDirectories(temp.resolve("client1")), "frame.jpg", 320, 240,
                new SplittableRandom(seed));
        String list = "[1, 2.5, \"three\", [4], {\"five\": null}]";
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--port", "0", "--out", dir.toString())) {
            Future<Cli.Result> images = clients.submit(() -> Cli.run("send", image.toString(), "--to",
                    serve.address(0), "--repeat", "20"));
            Future<Cli.Result> lists = clients.submit(() -> Cli.run("send", "--json", list, "--to",
                    serve.address(1), "--repeat", "20"));

            Cli.Result imageClient = images.get(60, TimeUnit.SECONDS);
            Cli.Result listClient = lists.get(60, TimeUnit.SECONDS);
            assertThat(imageClient.exitCode()).as("seed=" + seed + " " + imageClient).isZero();
            assertThat(listClient.exitCode()).as(listClient.toString()).isZero();
            assertThat(serve.out().awaitCount(line -> line.startsWith("received "), 40, Duration.ofSeconds(20)))
                    .as(serve.out().text()).isTrue();
            assertThat(serve.stop().exitCode()).isZero();
        } finally {
            clients.shutdownNow();
        }

        byte[] sent = Files.readAllBytes(image);
        List<Path> frames = files(dir, "frame*.jpg");
        assertThat(frames).as("seed=" + seed).hasSize(20);
        for (Path frame : frames) {
            assertThat(Files.readAllBytes(frame)).as("seed=" + seed + " " + frame).isEqualTo(sent);
        }
        List<String> lines = Files.readAllLines(dir.resolve("messages.jsonl"));
        assertThat(lines).hasSize(20);
        JsonNode expected = JSON.readTree(list);
        for (String line : lines) {
            JsonNode message = JSON.readTree(line);
            assertThat(message.get("value")).isEqualTo(expected);
            assertThat(message.get("from").asText()).startsWith("127.0.0.1:");
        }
        assertThat(files(dir, "*.part")).isEmpty();
    }

    @Test
    void keepsTenClientsSendingAtOnceOnOnePortApartAndIntact() throws Exception {
        long seed = TestSeeds.seed(10);
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = temp.resolve("received");
        Path sources = Files.createDirectories(temp.resolve("sources"));
        List<Path> images = new ArrayList<>();
        List<Path> others = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            images.add(TestFiles.imageFile(sources, "client-" + i + ".png", 200 + 10 * i, 150, random));
            others.add(TestFiles.randomFile(sources.resolve("client-" + i + ".bin"), 100_000 + 37_000L * i, random));
        }
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString())) {
            List<Future<Cli.Result>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String image = images.get(i).toString();
                String other = others.get(i).toString();
                results.add(clients.submit(() -> Cli.run("send", image, other, "--to", serve.address(0))));
            }
            for (Future<Cli.Result> result : results) {
                Cli.Result done = result.get(60, TimeUnit.SECONDS);
                assertThat(done.exitCode()).as("seed=" + seed + " " + done).isZero();
            }
            assertThat(serve.out().awaitCount(line -> line.startsWith("received "), 20, Duration.ofSeconds(20)))
                    .as(serve.out().text()).isTrue();
        } finally {
            clients.shutdownNow();
        }
        for (Path source : Stream.concat(images.stream(), others.stream()).toList()) {
            Path received = dir.resolve(source.getFileName());
            assertThat(received).as("seed=" + seed).exists();
            assertThat(Files.readAllBytes(received)).as("seed=" + seed + " " + source.getFileName())
                    .isEqualTo(Files.readAllBytes(source));
        }
        assertThat(files(dir, "client-*")).hasSize(20);
    }

    @Test
    void printsOneLinePerItemWithKindNameBytesSenderTimeAndRate() throws Exception {
        Path dir = temp.resolve("received");
        Path image = TestFiles.imageFile(temp, "cat.png", 64, 48, new SplittableRandom(TestSeeds.seed(3)));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString())) {
            assertThat(Cli.run("send", image.toString(), "--to", serve.address(0)).exitCode()).isZero();
            String line = serve.out().await(l -> l.startsWith("received "), Duration.ofSeconds(10));

            assertThat(line).matches("received image cat\\.png " + Files.size(image) + " bytes from "
                    + "127\\.0\\.0\\.1:\\d+ on port " + serve.ports().get(0) + " in [0-9.]+ m?s \\([0-9.]+ [kMG]?B/s\\) "
                    + "-> .*cat\\.png; 64x48 png");
        }
    }

    @Test
    void acceptsFsyncAndSkipsImageParsingWithImageCheckNone() throws Exception {
        Path dir = temp.resolve("received");
        Path image = TestFiles.imageFile(temp, "cat.png", 64, 48, new SplittableRandom(TestSeeds.seed(4)));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString(), "--fsync",
                "--image-check", "none")) {
            assertThat(Cli.run("send", image.toString(), "--to", serve.address(0)).exitCode()).isZero();
            String line = serve.out().await(l -> l.startsWith("received "), Duration.ofSeconds(10));

            assertThat(line).contains("cat.png").doesNotContain("64x48");
            assertThat(Files.readAllBytes(dir.resolve("cat.png"))).isEqualTo(Files.readAllBytes(image));
        }
    }

    @Test
    void printsOneJsonObjectPerItemWithFormatJson() throws Exception {
        Path dir = temp.resolve("received");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString(), "--format",
                "json")) {
            assertThat(Cli.run("send", "--json", "{\"a\": 1}", "--to", serve.address(0)).exitCode()).isZero();
            String line = serve.out().await(l -> l.contains("\"event\":\"received\""), Duration.ofSeconds(10));

            JsonNode item = JSON.readTree(line);
            assertThat(item.get("kind").asText()).isEqualTo("json");
            assertThat(item.get("bytes").asLong()).isEqualTo(8);
            assertThat(item.get("sha256").asText()).hasSize(64);
            assertThat(item.get("port").asInt()).isEqualTo(serve.ports().get(0));
            assertThat(serve.out().lines()).allSatisfy(l -> assertThat(JSON.readTree(l).has("event")).isTrue());
        }
    }

    @Test
    void storesAHostileSenderNameInsideTheOutputDirectoryAndNothingOutside() throws Exception {
        Path outer = Files.createDirectories(temp.resolve("a/b"));
        Path dir = outer.resolve("received");
        byte[] content = "not your passwd".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString());
             UdpixClient client = UdpixClient.connect(new InetSocketAddress("127.0.0.1", serve.ports().get(0)))) {
            client.send(Item.bytes(content, "../../etc/passwd"));
            client.send(Item.bytes(content, "/tmp/../../etc/shadow"));
            assertThat(serve.out().awaitCount(l -> l.startsWith("received "), 2, Duration.ofSeconds(10))).isTrue();
            assertThat(serve.stop().exitCode()).isZero();
        }
        try (Stream<Path> everything = Files.walk(temp)) {
            List<Path> written = everything.filter(Files::isRegularFile).toList();
            assertThat(written).allSatisfy(path -> assertThat(path).startsWith(dir));
        }
        // "..", "." and empty parts are dropped, the rest of the path kept inside --out.
        assertThat(dir.resolve("etc/passwd")).hasBinaryContent(content);
        assertThat(dir.resolve("tmp/etc/shadow")).hasBinaryContent(content);
        assertThat(temp.resolve("a/etc")).doesNotExist();
        assertThat(temp.resolve("etc")).doesNotExist();
    }

    @Test
    void refusesAPortInUseWithExitCodeThreeAndOneLineNamingThePortAndTheFix() throws Exception {
        try (DatagramChannel taken = DatagramChannel.open(StandardProtocolFamily.INET)) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();

            Cli.Result result = Cli.run("serve", "--port", Integer.toString(port), "--out",
                    temp.resolve("r").toString());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.CANNOT_BIND_OR_REACH);
            assertThat(result.err()).hasSize(1);
            assertThat(result.err().get(0)).startsWith("udpix serve: ").contains(Integer.toString(port), "in use",
                    "--port");
        }
    }

    @Test
    void explainsBadServeOptionsInOneLineWithExitCodeTwo() {
        assertBadUsage(Cli.run("serve", "--port", "7000", "--port", "7000"), "given twice");
        assertBadUsage(Cli.run("serve", "--port", "70000"), "out of range");
        assertBadUsage(Cli.run("serve", "--port", "0", "--plain-header", "4le"), "plain mode only");
        assertBadUsage(Cli.run("serve", "--port", "0", "--max-size", "lots"), "is not a size");
        assertBadUsage(Cli.run("serve"), "--port");
        assertBadUsage(Cli.run("serve", "--prot", "9000"), "Unknown option: '--prot'");
        assertBadUsage(Cli.run("serve", "--port", "0", "--bind", "no.such.host.invalid"), "--bind");
        assertBadUsage(Cli.run("serve", "--port", "0", "--driver", "warp"), "unknown driver 'warp'");
        assertBadUsage(Cli.run("serve", "--port", "0", "--image-check", "pixels"), "use none, header or decode");
        assertBadUsage(Cli.run("serve", "--port", "0", "--threads", "0"), "--threads 0 is out of range");
        assertBadUsage(Cli.run("serve", "--port", "0", "--plain", "--threads", "2"), "native mode only");
        assertBadUsage(Cli.run("serve", "--port", "0", "--plain", "--image-check", "decode"), "native mode only");
    }

    @Test
    void refusesItemsOverMaxSizeAndTheSenderSaysWhy() throws Exception {
        Path dir = temp.resolve("received");
        Path big = TestFiles.randomFile(temp.resolve("big.bin"), 5_000, new SplittableRandom(TestSeeds.seed(4)));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString(), "--max-size",
                "4KB")) {
            Cli.Result result = Cli.run("send", big.toString(), "--to", serve.address(0));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.TRANSFER_FAILED);
            assertThat(result.errWithoutTrustNotice()).hasSize(1);
            assertThat(result.errWithoutTrustNotice().get(0)).contains("big.bin");
            assertThat(result.out()).anySatisfy(line -> assertThat(line).startsWith("send failed file big.bin"));
        }
        assertThat(dir.resolve("big.bin")).doesNotExist();
    }

    @Test
    void runsServerAndClientOnTheDriverNamedWithDriver() throws Exception {
        Path dir = temp.resolve("received");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString(), "--driver",
                "nio")) {
            Cli.Result result = Cli.run("send", "--json", "[1]", "--to", serve.address(0), "--driver", "NIO");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(serve.out().await(l -> l.startsWith("received json"), Duration.ofSeconds(10))).isNotNull();
        }
    }

    @Test
    void runsOnTheEpollDriverWhereItIsAvailable() throws Exception {
        boolean available;
        try {
            io.udpix.driver.Drivers.resolve("epoll");
            available = true;
        } catch (UnsupportedOperationException e) {
            available = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(available, "epoll is not available here");
        Path dir = temp.resolve("received");
        Path file = TestFiles.randomFile(temp.resolve("e.bin"), 3_000_000, new SplittableRandom(TestSeeds.seed(7)));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString(), "--driver",
                "epoll")) {
            Cli.Result result = Cli.run("send", file.toString(), "--to", serve.address(0), "--driver", "epoll");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(serve.out().await(l -> l.startsWith("received file e.bin"), Duration.ofSeconds(10)))
                    .isNotNull();
        }
        assertThat(dir.resolve("e.bin")).hasSameBinaryContentAs(file);
    }

    @Test
    void stopsWithExitCodeZeroAndSaysSo() throws Exception {
        BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r").toString());

        Cli.Result result = serve.stop();

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).anySatisfy(line -> assertThat(line).startsWith("stopping (interrupted)"));
        assertThat(result.out().get(result.out().size() - 1)).isEqualTo("stopped; 0 item(s) received");
    }

    static void assertBadUsage(Cli.Result result, String expected) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(result.err()).as(result.toString()).hasSize(1);
        assertThat(result.err().get(0)).contains(expected);
    }

    static List<Path> files(Path dir, String glob) throws java.io.IOException {
        List<Path> found = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(found::add);
        }
        return found;
    }
}
