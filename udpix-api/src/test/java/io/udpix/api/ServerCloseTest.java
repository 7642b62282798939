package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a server mid-transfer: within the grace period an item finishes; after it, the item is abandoned and
 * leaves neither a temporary file nor a file under its final name. The client paces itself at a fixed rate so the
 * transfer is certainly still running when close() is called.
 */
class ServerCloseTest {
    /** Slow enough that the items below take seconds, whatever the machine. */
    private static final long CLIENT_RATE_BYTES_PER_SECOND = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void abandonsATransferInProgressAfterTheGracePeriodAndLeavesNoPartFiles() throws Exception {
        long seed = TestSeeds.seed(41);
        Path source = TestData.randomFile(dir.resolve("slow.bin"), 8_000_000, seed);
        Path out = dir.resolve("out");
        CountDownLatch progressing = new CountDownLatch(1);
        UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).closeGracePeriod(Duration.ZERO)
                .onEvent(e -> {
                    if (e.type() == ServerEvent.Type.PROGRESS) {
                        progressing.countDown();
                    }
                }).start();
        // Not resumable: a resumable file's partial is kept on purpose (ResumeTransferTest).
        try (UdpixClient client = slowClient(server, false)) {
            CompletableFuture<SendResult> sent = client.sendAsync(Item.file(source));
            assertThat(progressing.await(30, TimeUnit.SECONDS)).isTrue();
            // The storage thread creates it with the first write, a moment after the first bytes arrive.
            RoundTripTest.waitFor(() -> partFileCount(out) == 1);
            assertThat(TestData.partFiles(out)).as("a transfer in progress has its temporary file").hasSize(1);

            server.close();

            assertThat(TestData.partFiles(out)).isEmpty();
            assertThat(TestData.visibleFiles(out)).containsExactly("messages.jsonl");
            UdpixException e = RoundTripTest.failure(sent);
            assertThat(e.kind()).isEqualTo(UdpixException.Kind.CONNECTION_CLOSED);
            assertThat(e.getMessage()).contains("slow.bin").contains("shutting down");
        } finally {
            server.close();
        }
    }

    @Test
    void letsATransferInProgressFinishWithinTheGracePeriod() throws Exception {
        long seed = TestSeeds.seed(42);
        Path source = TestData.randomFile(dir.resolve("almost.bin"), 500_000, seed);
        Path out = dir.resolve("out");
        CountDownLatch started = new CountDownLatch(1);
        UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).closeGracePeriod(Duration.ofSeconds(20))
                .onEvent(e -> {
                    if (e.type() == ServerEvent.Type.STARTED) {
                        started.countDown();
                    }
                }).start();
        try (UdpixClient client = slowClient(server)) {
            CompletableFuture<SendResult> sent = client.sendAsync(Item.file(source));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

            server.close();

            assertThat(sent.get(30, TimeUnit.SECONDS).sha256Hex()).isEqualTo(TestData.sha256(source));
            assertThat(TestData.sha256(out.resolve("almost.bin"))).as("seed=%d", seed)
                    .isEqualTo(TestData.sha256(source));
            assertThat(TestData.partFiles(out)).isEmpty();
            // New items are refused once closing started; the connection itself is gone too.
            UdpixException e = RoundTripTest.failure(client.sendAsync(Item.bytes(new byte[1], "late.bin")));
            assertThat(e.kind()).isIn(UdpixException.Kind.CONNECTION_CLOSED, UdpixException.Kind.REFUSED);
        } finally {
            server.close();
        }
    }

    private static int partFileCount(Path out) {
        try {
            return TestData.partFiles(out).size();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static UdpixClient slowClient(UdpixServer server) throws UdpixException {
        return slowClient(server, true);
    }

    private static UdpixClient slowClient(UdpixServer server, boolean resume) throws UdpixException {
        return UdpixClient.builder(server.localAddresses().get(0)).resume(resume)
                .endpointConfig(b -> b.congestionControl(FixedRateController.factory(CLIENT_RATE_BYTES_PER_SECOND)))
                .connect();
    }
}
