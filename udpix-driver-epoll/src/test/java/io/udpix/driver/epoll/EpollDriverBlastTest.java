package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.driver.CountingReceiverEndpoint;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.DriverStats;
import io.udpix.driver.PacedSenderEndpoint;
import io.udpix.driver.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EpollDriverBlastTest {
    private static final long TOTAL = 200_000;
    private static final int PAYLOAD_BYTES = 64;
    private static final long FINISH_WAIT_NS = TimeUnit.SECONDS.toNanos(90);

    @Test
    void twoHundredThousandPacedDatagramsThroughAStallingSocketAllArriveOnce() throws Exception {
        long seed = Seeds.seed();
        Loopback.assumeEpoll();
        StallingHandler stalling = new StallingHandler(seed);
        CountingReceiverEndpoint receiver =
                new CountingReceiverEndpoint(TOTAL, 64, TimeUnit.MILLISECONDS.toNanos(5));
        try (EpollDriver receiving = Loopback.start(receiver)) {
            PacedSenderEndpoint sender = new PacedSenderEndpoint(receiving.localAddress(), TOTAL, PAYLOAD_BYTES,
                    512, TimeUnit.MILLISECONDS.toNanos(2), windowDatagrams());
            try (EpollDriver sending = EpollDriver.start(sender, Loopback.anyPort(), DriverOptions.defaults(),
                    event -> { }, EpollTuning.defaults(), stalling)) {
                awaitDistinct(receiving, receiver, TOTAL, seed);

                DriverStats sent = Loopback.settledStats(sending);
                String context = "seed=" + seed + " sender " + sent + " receiver " + receiving.stats();
                assertThat(sending.call(ep -> sender.produced()).get()).as(context).isEqualTo(TOTAL);
                assertThat(sent.datagramsSent()).as(context).isEqualTo(TOTAL);
                assertThat(sent.bytesSent()).as(context).isEqualTo(TOTAL * PAYLOAD_BYTES);
                assertThat(sent.sendErrors()).as(context).isZero();
                assertThat(sent.sendBlocked()).as(context).isPositive();
                assertThat(sending.call(ep -> stalling.stalls).get()).as(context).isPositive();
                // Writability is respected: a stall holds at most the batch in hand when it began plus one.
                assertThat(sending.call(ep -> stalling.maxHeld).get()).as(context).isLessThanOrEqualTo(2);
                assertThat(receiving.call(ep -> receiver.duplicates() + receiver.corrupt()).get()).as(context)
                        .isZero();
                assertThat(sending.call(ep -> sender.earlyTimeouts() + sender.clockWentBack()).get()).as(context)
                        .isZero();
                if (EpollDriver.isGsoSupported()) {
                    // Equal sizes in bursts of 512: nearly all should leave in batches (up to 64 per send).
                    EpollStats gso = Loopback.settledEpollStats(sending);
                    assertThat(gso.gsoSegments()).as("%s %s", context, gso).isGreaterThan(TOTAL / 2);
                    assertThat(gso.gsoSegments()).as("%s %s", context, gso).isGreaterThan(gso.gsoBatches() * 8);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EpollTuning.ReceiveMode.class)
    void runsOfEqualSizesWithShorterTailsArriveExactlyAsSent(EpollTuning.ReceiveMode mode) throws Exception {
        long seed = Seeds.seed();
        int total = 30_000;
        int[] sizes = runsOfSizes(total, new SplittableRandom(seed));
        LongToIntFunction sizeOf = sequence -> sizes[(int) sequence];
        EpollTuning tuning = EpollTuning.defaults().withReceiveMode(mode);
        CountingReceiverEndpoint receiver =
                new CountingReceiverEndpoint(total, 64, TimeUnit.MILLISECONDS.toNanos(5), sizeOf);
        try (EpollDriver receiving = Loopback.start(receiver, DriverOptions.defaults(), tuning)) {
            PacedSenderEndpoint sender = new PacedSenderEndpoint(receiving.localAddress(), total, sizeOf, 512,
                    TimeUnit.MILLISECONDS.toNanos(1), 1_024);
            try (EpollDriver sending = Loopback.start(sender, DriverOptions.defaults(), tuning)) {
                awaitDistinct(receiving, receiver, total, seed);

                DriverStats sent = Loopback.settledStats(sending);
                EpollStats gso = Loopback.settledEpollStats(sending);
                String context = "mode " + mode + " seed=" + seed + " sender " + sent + " " + gso;
                assertThat(sent.sendErrors()).as(context).isZero();
                assertThat(receiving.call(ep -> receiver.duplicates() + receiver.corrupt()).get()).as(context)
                        .isZero();
                if (EpollDriver.isGsoSupported()) {
                    assertThat(gso.gsoBatches()).as(context).isPositive();
                    assertThat(gso.gsoFailures()).as(context).isZero();
                }
            }
        }
    }

    /** Runs of 1-80 datagrams of one size (8-3,000 bytes), a third of them ended by a shorter one. */
    private static int[] runsOfSizes(int total, SplittableRandom random) {
        int[] sizes = new int[total];
        int i = 0;
        while (i < total) {
            int size = 8 + random.nextInt(2_993);
            int run = 1 + random.nextInt(80);
            for (int k = 0; k < run && i < total; k++) {
                sizes[i++] = size;
            }
            if (i < total && size > 8 && random.nextInt(3) == 0) {
                sizes[i++] = 8 + random.nextInt(size - 8);
            }
        }
        return sizes;
    }

    /**
     * Waits for every datagram to arrive, failing at once if one arrived damaged; the bound only turns a hang into
     * a failure, it does not time anything.
     */
    static void awaitDistinct(EpollDriver receiving, CountingReceiverEndpoint receiver, long total, long seed)
            throws Exception {
        long giveUpNs = System.nanoTime() + FINISH_WAIT_NS;
        long distinct = 0;
        while (System.nanoTime() < giveUpNs) {
            distinct = receiving.call(ep -> receiver.distinct()).get();
            if (distinct == total) {
                return;
            }
            long corrupt = receiving.call(ep -> receiver.corrupt()).get();
            assertThat(corrupt).as("datagrams arrived cut, merged or damaged, seed=%d, receiver %s", seed,
                    receiving.stats()).isZero(); // no point waiting for the rest
            Thread.sleep(20);
        }
        assertThat(distinct).as("datagrams received, seed=%d, receiver %s", seed, receiving.stats())
                .isEqualTo(total);
    }

    /** As many datagrams in flight as the receiver's socket buffer surely holds (~1 KiB each, with overhead). */
    static long windowDatagrams() throws IOException {
        long receiveBufferBytes = Math.min(DriverOptions.defaults().receiveBufferBytes(), rmemMaxBytes());
        return Math.max(64, Math.min(4096, receiveBufferBytes / 1024));
    }

    private static long rmemMaxBytes() throws IOException {
        Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
        return Files.isReadable(rmemMax) ? Long.parseLong(Files.readString(rmemMax).trim()) : 212_992;
    }
}
