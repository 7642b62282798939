package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.ReceivedItem;
import io.udpix.api.Reply;
import io.udpix.api.UdpixServer;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import io.udpix.cli.demo.Impairment;
import io.udpix.cli.demo.LossyRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix send --meta ... --wait-reply} against a server whose handler answers, and serve's output of meta. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SendWaitReplyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** A server answering each item with JSON naming its metadata and SHA-256. */
    private static UdpixServer answering(List<ReceivedItem> seen) throws Exception {
        return UdpixServer.builder().port(0).onItem(item -> {
            seen.add(item);
            if (item.meta().containsKey("fail")) {
                return Reply.error("cannot handle " + item.meta().get("fail"));
            }
            return Reply.json("{\"camera\":\"" + item.meta().get("camera") + "\",\"sha256\":\"" + item.sha256Hex()
                    + "\"}");
        }).start();
    }

    @Test
    void printsTheJsonReplyOfEachItemAndSendsTheMetadata() throws Exception {
        Path file = TestFiles.randomFile(temp.resolve("door.bin"), 40_000, new SplittableRandom(TestSeeds.seed(15)));
        List<ReceivedItem> seen = new CopyOnWriteArrayList<>();
        try (UdpixServer server = answering(seen)) {
            Cli.Result result = Cli.run("send", file.toString(), "--to", "127.0.0.1:"
                    + server.localAddresses().get(0).getPort(), "--meta", "camera=door-2", "--meta", "seq=7",
                    "--wait-reply", "--quiet");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).containsExactly("{\"camera\":\"door-2\",\"sha256\":\"" + TestFiles.sha256(file)
                    + "\"}");
            assertThat(seen).singleElement().satisfies(item -> assertThat(item.meta())
                    .containsExactly(Map.entry("camera", "door-2"), Map.entry("seq", "7")));
        }
    }

    @Test
    void printsEachReplyAsAnObjectWithFormatJsonAndFailsAnItemWhoseHandlerFailed() throws Exception {
        List<ReceivedItem> seen = new CopyOnWriteArrayList<>();
        try (UdpixServer server = answering(seen)) {
            String to = "127.0.0.1:" + server.localAddresses().get(0).getPort();
            Cli.Result ok = Cli.run("send", "--json", "{\"t\":1}", "--to", to, "--meta", "camera=yard",
                    "--wait-reply", "--format", "json");
            Cli.Result failed = Cli.run("send", "--json", "{\"t\":2}", "--to", to, "--meta", "fail=lens",
                    "--wait-reply");

            assertThat(ok.exitCode()).as(ok.toString()).isZero();
            List<JsonNode> lines = ok.out().stream().map(SendWaitReplyTest::json).toList();
            JsonNode sent = lines.stream().filter(l -> l.get("event").asText().equals("sent")).findFirst()
                    .orElseThrow();
            assertThat(sent.get("meta").get("camera").asText()).isEqualTo("yard");
            JsonNode reply = lines.stream().filter(l -> l.get("event").asText().equals("reply")).findFirst()
                    .orElseThrow();
            assertThat(reply.get("kind").asText()).isEqualTo("json");
            assertThat(reply.get("value").get("camera").asText()).isEqualTo("yard");
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.TRANSFER_FAILED);
            assertThat(failed.outText() + failed.err()).contains("cannot handle lens");
        }
    }

    @Test
    void getsEveryReplyThroughALossyRelay() throws Exception {
        long seed = TestSeeds.seed(1515);
        List<ReceivedItem> seen = new CopyOnWriteArrayList<>();
        try (UdpixServer server = answering(seen);
                LossyRelay relay = LossyRelay.start(server.localAddresses().get(0), Impairment.of(0.05, 0.01, 0.05),
                        seed)) {
            Path a = TestFiles.randomFile(temp.resolve("a.bin"), 200_000, new SplittableRandom(seed));
            Path b = TestFiles.randomFile(temp.resolve("b.bin"), 3_000, new SplittableRandom(seed + 1));
            Cli.Result result = Cli.run("send", a.toString(), b.toString(), "--to", "127.0.0.1:"
                    + relay.address().getPort(), "--meta", "camera=relay", "--wait-reply", "--repeat", "3",
                    "--format", "json");

            assertThat(result.exitCode()).as("seed=%d %s", seed, result).isZero();
            List<JsonNode> replies = result.out().stream().map(SendWaitReplyTest::json)
                    .filter(l -> l.get("event").asText().equals("reply")).toList();
            assertThat(replies).as("seed=%d", seed).hasSize(6);
            for (int i = 0; i < 6; i++) {
                Path sent = i % 2 == 0 ? a : b;
                assertThat(replies.get(i).get("request").asText()).isEqualTo(sent.getFileName().toString());
                assertThat(replies.get(i).get("value").get("sha256").asText()).as("seed=%d", seed)
                        .isEqualTo(TestFiles.sha256(sent));
            }
            assertThat(relay.stats().toString()).isNotEmpty();
        }
    }

    @Test
    void refusesMetaAndWaitReplyInPlainModeAndABadMetaEntryNamingTheFix() throws Exception {
        Path file = Files.writeString(temp.resolve("a.txt"), "hello");
        Cli.Result plain = Cli.run("send", file.toString(), "--to", "127.0.0.1:9", "--plain", "--wait-reply");
        Cli.Result badKey = Cli.run("send", file.toString(), "--to", "127.0.0.1:9", "--meta", "Camera=x");
        Cli.Result noEquals = Cli.run("send", file.toString(), "--to", "127.0.0.1:9", "--meta", "camera");
        Cli.Result timeoutAlone = Cli.run("send", file.toString(), "--to", "127.0.0.1:9", "--reply-timeout", "5s");

        assertThat(plain.exitCode()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(plain.err()).singleElement().asString().contains("native mode only");
        assertThat(badKey.err()).singleElement().asString().contains("--meta: metadata key 'Camera'");
        assertThat(noEquals.err()).singleElement().asString().contains("--meta camera=door-2");
        assertThat(timeoutAlone.err()).singleElement().asString().contains("add --wait-reply");
    }

    @Test
    void serveShowsTheMetadataOfEachItemInItsLineAndJsonObject() throws Exception {
        Path file = Files.writeString(temp.resolve("a.txt"), "hello");
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r").toString(),
                "--format", "json")) {
            Cli.Result result = Cli.run("send", file.toString(), "--to", serve.address(0), "--meta", "camera=door-2");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            String line = serve.out().await(l -> l.contains("\"received\""), Duration.ofSeconds(20));
            assertThat(json(line).get("meta").get("camera").asText()).isEqualTo("door-2");
            assertThat(temp.resolve("r").resolve("a.txt.meta.json")).exists();
        }
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r2").toString())) {
            Cli.Result result = Cli.run("send", file.toString(), "--to", serve.address(0), "--meta", "camera=door 2");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            String line = serve.out().await(l -> l.startsWith("received"), Duration.ofSeconds(20));
            assertThat(line).endsWith("[camera=\"door 2\"]");
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
