package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.cli.TestSeeds;
import io.udpix.engine.crypto.StaticKeyPair;
import java.io.RandomAccessFile;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server crashes mid-transfer (its goodbye never arrives) and a new one starts on the same port: the client's
 * next packets get RESET, and the send fails at once with a message that says so, not after the 30 s idle
 * timeout.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ResetAfterRestartTest {
    private static final long ITEM_BYTES = 256L << 20;
    /** Well below the 30 s idle timeout the client would otherwise wait. */
    private static final long FAIL_WITHIN_MS = 5_000;

    @TempDir
    Path temp;

    @Test
    void aClientMidTransferFailsAtOnceWithAClearMessageWhenTheServerRestarted() throws Exception {
        long seed = TestSeeds.seed(10_001);
        Path file = temp.resolve("big.bin");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(ITEM_BYTES);
        }
        // The same long-term key before and after the restart, as a server that keeps its key file has: a RESET
        // proves itself with a token derived from that key.
        StaticKeyPair key = StaticKeyPair.generate(new SecureRandom());
        UdpixServer first = HostileServers.start(temp.resolve("first"), b -> b.closeGracePeriod(Duration.ZERO)
                .seed(seed).endpointConfig(c -> c.staticKey(key)));
        int port = first.localAddresses().get(0).getPort();
        try (RecordingRelay relay = new RecordingRelay(first.localAddresses().get(0));
             UdpixClient client = UdpixClient.builder(relay.address()).connect()) {
            // Slow the client down so the transfer is still running when the server goes.
            relay.mutator((direction, bytes) -> {
                if (direction == RecordingRelay.Direction.TO_SERVER) {
                    sleepQuietly(1);
                }
                return bytes;
            });
            CompletableFuture<SendResult> sent = client.sendAsync(Item.file(file));
            ForgeryTest.awaitDataPackets(relay, RecordingRelay.Direction.TO_SERVER, 50);

            relay.mutator((direction, bytes) -> null); // The crash: nothing the old server says gets out.
            first.close();
            try (UdpixServer second = HostileServers.start(temp.resolve("second"), port,
                    b -> b.seed(seed + 1).endpointConfig(c -> c.staticKey(key)))) {
                long restartedNs = System.nanoTime();
                relay.mutator((direction, bytes) -> bytes);

                Throwable failure = null;
                try {
                    sent.get(FAIL_WITHIN_MS + 2_000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
                long failedAfterMs = (System.nanoTime() - restartedNs) / 1_000_000;

                assertThat(failure).as("seed=%d: the send must fail, the server that had the item is gone", seed)
                        .isNotNull();
                assertThat(failedAfterMs).as("seed=%d: failed %d ms after the restart: %s", seed, failedAfterMs,
                        failure).isLessThan(FAIL_WITHIN_MS);
                assertThat(failure.getMessage()).as("seed=%d", seed)
                        .containsAnyOf("restarted", "does not know this connection");
                assertThat(second.stats().drops()).as("the new server answered the unknown connection")
                        .containsKey(io.udpix.engine.DropReason.UNKNOWN_CONNECTION);
            }
        } finally {
            first.close();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
