package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.transfer.TransferSource;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Seeds;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.TransferKind;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Transfers whose SHA-256 follows the data in a DIGEST frame (the sender hashes while it sends). */
class DigestFollowsTest {
    private static final LinkSpec LOSSY = LinkSpec.builder().rateMegabitsPerSecond(100).delayMillis(10)
            .mtuBytes(1500).lossProbability(0.05).duplicateProbability(0.02).reorder(0.05, 3_000_000).build();

    @Test
    void sendsTheHashAfterTheDataOverALossyLinkAndTheReceiverConfirmsIt() {
        long seed = Seeds.seedOrRandom();
        byte[] payload = new byte[3_000_000];
        new SplittableRandom(seed).nextBytes(payload);
        SimTransfer t = new SimTransfer(seed, EndpointConfig.builder(), EndpointConfig.builder(), LOSSY, LOSSY);

        t.send(payload, true);
        t.run(120_000_000_000L);

        assertThat(t.completed()).as("seed=%d events=%s", seed, t.clientEvents).isTrue();
        assertThat(t.received).as("seed=%d", seed).containsExactly(payload);
        TransferCompleted done = (TransferCompleted) t.clientEvents.stream()
                .filter(e -> e instanceof TransferCompleted).findFirst().orElseThrow();
        assertThat(done.info().sha256()).as("seed=%d", seed).isEqualTo(SimTransfer.sha256(payload));
    }

    @Test
    void failsWithAHashMismatchWhenResentBytesDifferFromTheFirstSend() {
        long seed = Seeds.seedOrRandom();
        byte[] payload = new byte[2_000_000];
        new SplittableRandom(seed).nextBytes(payload);
        SimTransfer t = new SimTransfer(seed, EndpointConfig.builder(), EndpointConfig.builder(), LOSSY, LOSSY);
        long conn = t.client.connect(t.serverAddress, t.sim.nowNs());

        // Like a file rewritten while it is sent: every second read of an offset returns other bytes.
        t.client.send(conn, new TransferRequest(new TransferInfo(TransferKind.FILE, "changing.bin",
                "application/octet-stream", payload.length, null), new ChangingSource(payload)), t.sim.nowNs());
        t.run(120_000_000_000L);

        TransferFailed failed = (TransferFailed) t.clientEvents.stream().filter(e -> e instanceof TransferFailed)
                .findFirst().orElseThrow(() -> new AssertionError("seed=" + seed + " " + t.clientEvents));
        assertThat(failed.errorCode()).as("seed=%d", seed).isEqualTo(ErrorCode.HASH_MISMATCH);
        assertThat(t.received).as("seed=%d: nothing delivered", seed).isEmpty();
    }

    /** Returns the payload on the first read of each offset and inverted bytes on any later read. */
    private static final class ChangingSource implements TransferSource {
        private final byte[] bytes;
        private final Set<Long> read = new HashSet<>();

        ChangingSource(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(long offset, ByteBuffer dst) {
            int n = (int) Math.min(dst.remaining(), bytes.length - offset);
            boolean again = !read.add(offset);
            for (int i = 0; i < n; i++) {
                byte b = bytes[(int) offset + i];
                dst.put(again ? (byte) ~b : b);
            }
            return n;
        }
    }
}
