package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NioDriverBackpressureTest {
    private static final long TOTAL = 200_000;
    private static final int PAYLOAD_BYTES = 64;
    private static final long FINISH_WAIT_NS = TimeUnit.SECONDS.toNanos(90);

    /**
     * Loopback never reports a full socket send buffer (the kernel hands the datagram straight to the receiver),
     * so the full buffer is simulated: seeded streaks of "0 bytes sent, try later" in front of the real send.
     */
    private static final class FullBufferSimulation implements SendOperation {
        private final SplittableRandom random;
        private int streakLeft;
        long refusals;

        FullBufferSimulation(long seed) {
            random = new SplittableRandom(seed);
        }

        @Override
        public int send(java.nio.channels.DatagramChannel channel, java.nio.ByteBuffer datagram,
                java.net.InetSocketAddress target) throws IOException {
            if (streakLeft == 0 && random.nextInt(40) == 0) {
                streakLeft = 1 + random.nextInt(3);
            }
            if (streakLeft > 0) {
                streakLeft--;
                refusals++;
                return 0;
            }
            return channel.send(datagram, target);
        }
    }

    @Test
    void aBlastThroughAFullSendBufferLosesNoDatagramInTheDriver() throws Exception {
        long seed = Seeds.seed();
        FullBufferSimulation fullBuffer = new FullBufferSimulation(seed);
        CountingReceiverEndpoint receiver =
                new CountingReceiverEndpoint(TOTAL, 64, TimeUnit.MILLISECONDS.toNanos(5));
        try (NioDriver receiving = Loopback.start(receiver)) {
            PacedSenderEndpoint sender = new PacedSenderEndpoint(receiving.localAddress(), TOTAL, PAYLOAD_BYTES,
                    512, TimeUnit.MILLISECONDS.toNanos(2), windowDatagrams());
            try (NioDriver sending = NioDriver.start(sender, Loopback.anyPort(), DriverOptions.defaults(),
                    event -> { }, fullBuffer)) {
                awaitDistinct(receiving, receiver, seed);

                DriverStats sent = Loopback.settledStats(sending);
                String context = "seed=" + seed + " sender " + sent + " receiver " + receiving.stats();
                assertThat(sending.call(ep -> sender.produced()).get()).as(context).isEqualTo(TOTAL);
                assertThat(sent.datagramsSent()).as(context).isEqualTo(TOTAL);
                assertThat(sent.bytesSent()).as(context).isEqualTo(TOTAL * PAYLOAD_BYTES);
                assertThat(sent.sendErrors()).as(context).isZero();
                assertThat(sent.sendBlocked()).as(context)
                        .isEqualTo(sending.call(ep -> fullBuffer.refusals).get()).isPositive();
                assertThat(receiving.call(ep -> receiver.duplicates() + receiver.corrupt()).get()).as(context)
                        .isZero();
                assertThat(sending.call(ep -> sender.earlyTimeouts() + sender.clockWentBack()).get()).as(context)
                        .isZero();
            }
        }
    }

    /** Waits for every datagram to arrive; the bound only turns a hang into a failure, it does not time anything. */
    private static void awaitDistinct(NioDriver receiving, CountingReceiverEndpoint receiver, long seed)
            throws Exception {
        long giveUpNs = System.nanoTime() + FINISH_WAIT_NS;
        long distinct = 0;
        while (System.nanoTime() < giveUpNs) {
            distinct = receiving.call(ep -> receiver.distinct()).get();
            if (distinct == TOTAL) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(distinct).as("datagrams received, seed=%d, receiver %s", seed, receiving.stats())
                .isEqualTo(TOTAL);
    }

    /** As many datagrams in flight as the receiver's socket buffer surely holds (~1 KiB each, with overhead). */
    private static long windowDatagrams() throws IOException {
        long receiveBufferBytes = Math.min(DriverOptions.defaults().receiveBufferBytes(), rmemMaxBytes());
        return Math.max(64, Math.min(4096, receiveBufferBytes / 1024));
    }

    private static long rmemMaxBytes() throws IOException {
        Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
        return Files.isReadable(rmemMax) ? Long.parseLong(Files.readString(rmemMax).trim()) : 212_992;
    }
}
