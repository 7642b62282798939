package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.store.Partials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumed file transfers over loopback through the API (docs/PROTOCOL.md section 5.5, README "Resuming"). */
class ResumeTransferTest {
    private static final long SIZE_BYTES = 24L << 20;

    @TempDir
    Path root;

    private static long largestPartial(Path out) throws IOException {
        Path dir = out.resolve(Partials.DIR_NAME);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".part")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).max().orElse(0);
        }
    }

    @Test
    void aCancelledTransferIsKeptAcrossAServerRestartAndTheNextSendMovesOnlyTheRest() throws Exception {
        long seed = TestSeeds.seed(1515);
        Path source = TestData.randomFile(root.resolve("big.bin"), SIZE_BYTES, seed);
        Path out = root.resolve("out");
        long heldAtCancel;
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.builder(server.localAddresses().get(0))
                        .maxSendRate(16L << 20).connect()) {
            CompletableFuture<SendResult> first = client.sendAsync(Item.file(source));
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (largestPartial(out) < SIZE_BYTES / 2) {
                assertThat(System.nanoTime()).as("the partial never reached half").isLessThan(deadlineNs);
                assertThat(first).isNotDone();
                Thread.sleep(5);
            }
            first.cancel(true); // a CANCEL: the server keeps what it has for a resume
            heldAtCancel = largestPartial(out);
        }
        SendResult second;
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            second = client.send(Item.file(source));
        }
        assertThat(second.resumedFromBytes()).as("seed=%d held at cancel %d", seed, heldAtCancel)
                .isGreaterThanOrEqualTo(SIZE_BYTES / 2).isLessThan(SIZE_BYTES);
        assertThat(second.movedBytes()).isEqualTo(SIZE_BYTES - second.resumedFromBytes());
        assertThat(TestData.sha256(out.resolve("big.bin"))).as("seed=%d", seed).isEqualTo(TestData.sha256(source));
        assertThat(largestPartial(out)).as("no partial left once stored").isZero();
    }

    @Test
    void resumeOffSendsEveryByteAndLeavesNoPartial() throws Exception {
        long seed = TestSeeds.seed(1516);
        Path source = TestData.randomFile(root.resolve("big.bin"), 4L << 20, seed);
        Path out = root.resolve("out");
        SendResult result;
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.builder(server.localAddresses().get(0)).resume(false).connect()) {
            result = client.send(Item.file(source));
        }
        assertThat(result.resumedFromBytes()).isZero();
        assertThat(result.movedBytes()).isEqualTo(4L << 20);
        assertThat(Files.exists(out.resolve(Partials.DIR_NAME))).as("not resumable: no partial directory").isFalse();
        assertThat(TestData.sha256(out.resolve("big.bin"))).as("seed=%d", seed).isEqualTo(TestData.sha256(source));
    }

    @Test
    void aFileSmallerThanTheResumableMinimumGoesAsBefore() throws Exception {
        long seed = TestSeeds.seed(1517);
        Path source = TestData.randomFile(root.resolve("small.bin"), Item.RESUMABLE_MIN_BYTES - 1, seed);
        Path out = root.resolve("out");
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            assertThat(client.send(Item.file(source)).resumedFromBytes()).isZero();
        }
        assertThat(Files.exists(out.resolve(Partials.DIR_NAME))).isFalse();
        assertThat(List.of(TestData.sha256(out.resolve("small.bin")))).containsExactly(TestData.sha256(source));
    }
}
