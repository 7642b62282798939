package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.Cli;
import io.udpix.cli.CliProcess;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix serve} as its own process: a heap limit, and SIGTERM. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeProcessTest {

    private static final Pattern PORT = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration READY = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void receivesA200MibFileIntactWithin128MibOfHeapAndExitsZeroOnSigterm() throws Exception {
        long seed = TestSeeds.seed(200);
        Path source = TestFiles.randomFile(temp.resolve("big.bin"), 200L << 20, new SplittableRandom(seed));
        Path dir = temp.resolve("received");
        try (CliProcess serve = CliProcess.start(temp, List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true"), "serve", "--port", "0", "--out", dir.toString())) {
            int port = readyPort(serve);

            Cli.Result sent = Cli.run("send", source.toString(), "--to", "127.0.0.1:" + port);

            assertThat(sent.exitCode()).as("seed=" + seed + " " + sent + "\n" + serve.transcript()).isZero();
            assertThat(serve.out().await(line -> line.startsWith("received file big.bin"), Duration.ofSeconds(30)))
                    .as(serve.transcript()).isNotNull();
            assertThat(serve.process().isAlive()).as("the server survived with -Xmx128m").isTrue();
            serve.terminate();
            assertThat(serve.awaitExit(Duration.ofSeconds(30))).as(serve.transcript()).isZero();
            assertThat(serve.out().lines()).as(serve.transcript()).contains("stopped; 1 item(s) received");
        }
        assertThat(TestFiles.sha256(dir.resolve("big.bin"))).as("seed=" + seed).isEqualTo(TestFiles.sha256(source));
        assertThat(ServeCommandTest.files(dir, "*.part")).isEmpty();
    }

    @Test
    void abandonsATransferInProgressOnSigtermLeavingNoPartialFileAndExitsZero() throws Exception {
        long seed = TestSeeds.seed(201);
        Path source = TestFiles.randomFile(temp.resolve("long.bin"), 400L << 20, new SplittableRandom(seed));
        Path dir = temp.resolve("received");
        try (CliProcess serve = CliProcess.start(temp, List.of("-Xmx128m", "-Djava.awt.headless=true"), "serve",
                "--port", "0", "--out", dir.toString(), "--grace", "0s")) {
            int port = readyPort(serve);
            // Not resumable: a resumable file's partial is kept on purpose (ResumeSendTest).
            CompletableFuture<Cli.Result> sending = CompletableFuture.supplyAsync(() ->
                    Cli.run("send", source.toString(), "--to", "127.0.0.1:" + port, "--no-resume"));

            awaitPartialFile(dir, sending);
            serve.terminate();

            assertThat(serve.awaitExit(Duration.ofSeconds(30))).as(serve.transcript()).isZero();
            assertThat(serve.out().lines()).as(serve.transcript())
                    .anySatisfy(line -> assertThat(line).startsWith("stopping (SIGTERM)"));
            Cli.Result sent = sending.get(60, TimeUnit.SECONDS);
            assertThat(sent.exitCode()).as(sent.toString()).isEqualTo(ExitCodes.TRANSFER_FAILED);
            assertThat(sent.errWithoutTrustNotice()).hasSize(1);
        }
        assertThat(ServeCommandTest.files(dir, "*.part")).isEmpty();
        assertThat(ServeCommandTest.files(dir, ".*.part")).isEmpty();
        assertThat(dir.resolve("long.bin")).doesNotExist();
    }

    private static int readyPort(CliProcess serve) throws InterruptedException {
        String ready = serve.out().await(line -> line.startsWith("listening on "), READY);
        assertThat(ready).as(serve.transcript()).isNotNull();
        Matcher matcher = PORT.matcher(ready);
        assertThat(matcher.find()).as(ready).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** Waits (sleeping, bounded) until the server has a temporary file: the transfer is under way. */
    private static void awaitPartialFile(Path dir, CompletableFuture<Cli.Result> sending) throws Exception {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadlineNs < 0) {
            if (Files.isDirectory(dir) && !ServeCommandTest.files(dir, ".udpix-*.part").isEmpty()) {
                return;
            }
            assertThat(sending).as("the send ended before the server had a partial file").isNotDone();
            Thread.sleep(5);
        }
        throw new AssertionError("no partial file appeared in " + dir);
    }
}
