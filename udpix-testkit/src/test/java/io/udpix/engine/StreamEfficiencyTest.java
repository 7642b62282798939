package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.stream.FecMode;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamParams;
import io.udpix.engine.stream.StreamStats;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.RunResult;
import io.udpix.testkit.Seeds;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's stream targets in virtual time (deterministic: {@link #SEEDS} fixed seeds by default,
 * {@code -Dudpix.seed=N} for one other; a failure names its seed): 720p-like JPEG frames (~100 KB) at 30 fps over
 * 100 Mbit/s with 50 ms RTT and 1% or 5% random loss each way, budget 150 ms, FEC auto: at least 99.5% of frames on time, parity plus repair bytes at most 20% of the
 * data, p99 latency within the budget; and a loopback-like path (10 Gbit/s, 0.1 ms RTT, 64 KB datagrams) with
 * 1080p-sized frames (~300 KB) at 60 fps: no frame lost or late, p99 latency under 15 ms.
 *
 * <p>The 99.5% holds over all frames and, separately, over the frames captured outside the spans in which the
 * congestion window sits at its floor. It needed {@code cc.Bbr}'s ProbeRTT to hold half a BDP in flight (as BBRv2
 * and the BBRv3 draft do) rather than BBRv1's 4 datagrams: when the minimum RTT is 10 s old, 4 datagrams for
 * 200 ms starved a 24 Mbit/s stream of ~7 frames every 10 s whatever the stream code did (98.6% on time at 1%
 * loss, 98.3-99.0% at 5%).
 */
class StreamEfficiencyTest {
    static final long MS = 1_000_000L;
    static final long BUDGET_NS = 150 * MS;
    /** Issue 11's target share of frames on time (outside BBR's ProbeRTT, see the class comment). */
    static final double MIN_ON_TIME = 0.995;
    /** The share over all frames, ProbeRTT included. */
    static final double ALL_FRAMES_MIN_ON_TIME = MIN_ON_TIME;
    /**
     * Repair bytes over data bytes at most this times the loss rate: resending every lost fragment would cost about
     * the loss rate, but a fragment its column's parity rebuilds is not resent (docs/PROTOCOL.md 5.8.4), so most
     * losses cost no repair.
     */
    static final double MAX_REPAIR_SHARE_OF_LOSS = 2.0 / 3;

    /** The first seed of the runs at 1% and 5% loss, and the loopback run's seed, unless -Dudpix.seed=N is given. */
    static final long DEFAULT_SEED = 20_261_202L;
    /**
     * Seeds the 1% and 5% runs each take (DEFAULT_SEED and the next ones): one seed once passed while others fell
     * below 99.5%, so the targets must hold for each of several.
     */
    static final int SEEDS = 5;

    static long seed() {
        return Long.getLong(Seeds.PROPERTY, DEFAULT_SEED);
    }

    /** {@code -Dudpix.seed=N}: N alone; otherwise {@link #SEEDS} seeds from {@link #DEFAULT_SEED}. */
    static long[] seeds() {
        Long fixed = Long.getLong(Seeds.PROPERTY);
        if (fixed != null) {
            return new long[] {fixed};
        }
        long[] seeds = new long[SEEDS];
        for (int i = 0; i < SEEDS; i++) {
            seeds[i] = DEFAULT_SEED + i;
        }
        return seeds;
    }

    /** Scenario 3 of bench/run: 100 Mbit/s, 25 ms each way, a BDP of queue, 1500-byte MTU, random loss each way. */
    static LinkSpec wan(double loss) {
        long bdpBytes = 100_000_000L / 8 * 50 * MS / 1_000_000_000L;
        return LinkSpec.builder().rateBitsPerSecond(100_000_000L).delayNs(25 * MS).mtuBytes(1500)
                .queueBytes(bdpBytes).lossProbability(loss).build();
    }

    @Test
    void at1PercentLossNearlyEveryFrameIsOnTimeWithLittleOverheadForEachOfSeveralSeeds() {
        wanStreams(0.01);
    }

    @Test
    void at5PercentLossNearlyEveryFrameIsOnTimeWithAtMostTwentyPercentOverheadForEachOfSeveralSeeds() {
        wanStreams(0.05);
    }

    /** Runs every seed of {@link #seeds()} at {@code loss}; reports every seed's figures, then every failure. */
    private static void wanStreams(double loss) {
        SoftAssertions softly = new SoftAssertions();
        for (long seed : seeds()) {
            wanStream(seed, loss, softly);
        }
        softly.assertAll();
    }

    private static void wanStream(long seed, double loss, SoftAssertions softly) {
        int frames = 900; // 30 s at 30 fps: 0.5% is 4.5 frames
        StreamParams params = new StreamParams(StreamCodec.JPEG, BUDGET_NS, 3000, 1280, 720, "720p", FecMode.AUTO);
        // Clock allowance: 2 ms and 4 datagrams at 100 Mbit/s (the path is symmetric).
        SimStream run = new SimStream(seed, wan(loss), wan(loss), params, frames, 1_000_000_000L / 30, 90_000,
                110_000, 2 * MS + 4 * 120_000);
        run.start();
        RunResult r = run.run(120_000_000_000L);
        String context = Seeds.describe(seed) + " loss=" + loss + " run=" + r + "\n  " + run.describe();
        if (!run.ended()) {
            softly.fail("the stream did not end; %s", context);
            return;
        }
        StreamStats sender = run.clientEnded.stats();
        StreamStats receiver = run.serverEnded.stats();
        double onTime = receiver.onTime() / (double) frames;
        double overhead = (sender.parityBytes() + sender.retransmittedBytes()) / (double) sender.dataBytes();
        int[] outside = run.deliveredOutsideCwndFloor(BUDGET_NS);
        double onTimeOutside = outside[1] / (double) Math.max(1, outside[0]);
        System.out.printf("stream 720p 30 fps, 100 Mbit/s, 50 ms RTT, %.0f%% loss, budget 150 ms, fec auto: "
                + "on time %d/%d (%.2f%%; outside the cwnd floor spans %d/%d, %.2f%%; spans %s ms), late %d, "
                + "lost %d, dropped at source %d, abandoned %d, expired %d, fec-recovered %d, p50 %.1f ms p99 %.1f "
                + "ms max %.1f ms (true p99 %.1f ms), parity %.1f%% + repair %.1f%% = %.1f%% overhead, last plan "
                + "%d%%, %s%n", loss * 100, receiver.onTime(), frames, onTime * 100, outside[1], outside[0],
                onTimeOutside * 100, run.cwndFloorSpansText(), receiver.late(), receiver.lost(),
                sender.droppedAtSource(), sender.abandoned(), sender.expired(), receiver.fecRecovered(),
                receiver.latencyP50Ns() / 1e6, receiver.latencyP99Ns() / 1e6, receiver.latencyMaxNs() / 1e6,
                run.trueLatencyPercentileNs(99) / 1e6, 100.0 * sender.parityBytes() / sender.dataBytes(),
                100.0 * sender.retransmittedBytes() / sender.dataBytes(), overhead * 100, sender.fecPercent(),
                Seeds.describe(seed));
        softly.assertThat(run.violations).as(context).isEmpty();
        softly.assertThat(outside[0]).as("frames outside ProbeRTT; %s", context)
                .isGreaterThanOrEqualTo(frames * 9 / 10);
        softly.assertThat(onTimeOutside).as("frames on time outside ProbeRTT; %s", context)
                .isGreaterThanOrEqualTo(MIN_ON_TIME);
        softly.assertThat(onTime).as("frames on time; %s", context).isGreaterThanOrEqualTo(ALL_FRAMES_MIN_ON_TIME);
        softly.assertThat(overhead).as("parity + repair over data; %s", context).isLessThanOrEqualTo(0.20);
        softly.assertThat(sender.retransmittedBytes() / (double) sender.dataBytes())
                .as("repair over data (no repair for what parity rebuilds); %s", context)
                .isLessThanOrEqualTo(MAX_REPAIR_SHARE_OF_LOSS * loss);
        softly.assertThat(receiver.latencyP99Ns()).as("p99 latency; %s", context).isLessThanOrEqualTo(BUDGET_NS);
        softly.assertThat(run.trueLatencyPercentileNs(99)).as("true p99 latency; %s", context)
                .isLessThanOrEqualTo(BUDGET_NS);
    }

    @Test
    void onALoopbackLikePath1080pAt60FpsLosesNoFrameAndP99StaysUnder15Ms() {
        long seed = seed();
        int frames = 600; // 10 s at 60 fps
        LinkSpec loopback = LinkSpec.builder().rateBitsPerSecond(10_000_000_000L).delayNs(50_000).mtuBytes(65_535)
                .build();
        StreamParams params = new StreamParams(StreamCodec.JPEG, BUDGET_NS, 6000, 1920, 1080, "1080p",
                FecMode.AUTO);
        SimStream run = new SimStream(seed, loopback, loopback, params, frames, 1_000_000_000L / 60, 270_000,
                330_000, 2 * MS);
        run.start();
        RunResult r = run.run(60_000_000_000L);
        String context = Seeds.describe(seed) + " run=" + r + "\n  " + run.describe();
        assertThat(run.ended()).as(context).isTrue();
        StreamStats sender = run.clientEnded.stats();
        StreamStats receiver = run.serverEnded.stats();
        System.out.printf("stream 1080p 60 fps, loopback-like (10 Gbit/s, 0.1 ms RTT, 64 KB datagrams): on time "
                + "%d/%d, late %d, lost %d, dropped at source %d, p50 %.2f ms p99 %.2f ms max %.2f ms (true p99 "
                + "%.2f ms), overhead %.1f%%, %s%n", receiver.onTime(), frames, receiver.late(), receiver.lost(),
                sender.droppedAtSource(), receiver.latencyP50Ns() / 1e6, receiver.latencyP99Ns() / 1e6,
                receiver.latencyMaxNs() / 1e6, run.trueLatencyPercentileNs(99) / 1e6, sender.overheadPercent(),
                Seeds.describe(seed));
        assertThat(run.violations).as(context).isEmpty();
        assertThat(receiver.onTime()).as("every frame on time; %s", context).isEqualTo(frames);
        assertThat(receiver.late() + receiver.lost() + sender.droppedAtSource()).as(context).isZero();
        assertThat(receiver.latencyP99Ns()).as("p99 latency; %s", context).isLessThan(15 * MS);
        assertThat(run.trueLatencyPercentileNs(99)).as("true p99 latency; %s", context).isLessThan(15 * MS);
    }
}
