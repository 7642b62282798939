package io.udpix.engine;

import io.udpix.engine.stream.FecMode;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamParams;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Seeds;
import io.udpix.testkit.SimRandom;

/**
 * One randomized frame-stream case: the path each way and what the client streams. {@link #generate} draws it from
 * a seed (issue 11's ranges: loss 0-10% including Gilbert-Elliott bursts, jitter, reordering, duplication, rates
 * from 1 Mbit/s (slower than most streams) to 1 Gbit/s, RTT 5-200 ms, budgets below and above 1.5 RTT, FEC auto,
 * off and fixed); {@link #toString()} lists everything with the seed to replay it.
 *
 * @param seed          the seed (also the simulator's and the frames')
 * @param up            client to server (the frames' direction)
 * @param down          server to client (acknowledgements)
 * @param frames        frames the client hands to the engine
 * @param intervalNs    time between two frames (1 / fps)
 * @param minFrameBytes smallest frame (at least 8: a frame starts with its index and length)
 * @param maxFrameBytes largest frame
 * @param params        what the stream asks for
 */
record StreamScenario(long seed, LinkSpec up, LinkSpec down, int frames, long intervalNs, int minFrameBytes,
        int maxFrameBytes, StreamParams params) {
    static final long MS = 1_000_000L;
    private static final long STREAM = 0x57EA4D5L;

    static StreamScenario generate(long seed) {
        SimRandom r = new SimRandom(SimRandom.derive(seed, STREAM));
        long rttNs = (long) r.nextLogUniform(5 * MS, 200 * MS);
        long upDelayNs = r.chance(0.75) ? rttNs / 2 : (long) (rttNs * r.nextDouble(0.2, 0.8));
        boolean slowLink = r.chance(0.3);
        long rate = slowLink ? (long) r.nextLogUniform(1e6, 8e6) : (long) r.nextLogUniform(8e6, 1e9);
        int mtu = pick(r, new int[] {1500, 1500, 1500, 1500, 1500, 1500, 1280, 9000, 576, 1400});
        LinkSpec.Builder up = path(r, rate, upDelayNs, mtu, rttNs);
        LinkSpec.Builder down = path(r, r.chance(0.7) ? rate : (long) r.nextLogUniform(8e6, 1e9),
                rttNs - upDelayNs, mtu, rttNs);
        loss(r, up);
        if (r.chance(0.5)) {
            loss(r, down);
        }

        int fps = pick(r, new int[] {10, 15, 24, 30, 30, 60});
        double seconds = slowLink && r.chance(0.5) ? r.nextDouble(1.5, 3.0) : r.nextDouble(0.3, 1.0);
        int frames = Math.max(5, (int) Math.round(fps * seconds));
        int base;
        double u = r.nextDouble();
        if (u < 0.3) {
            base = 8 + r.nextInt(1_200); // one packet
        } else if (u < 0.8) {
            base = (int) r.nextLogUniform(1_000, 40_000);
        } else {
            base = (int) r.nextLogUniform(40_000, 150_000);
        }
        int minFrame = Math.max(8, (int) (base * 0.7));
        int maxFrame = Math.max(minFrame, (int) (base * 1.3));
        // Keep one scenario's offered bytes moderate: 1,000 scenarios must run in well under a minute.
        while ((long) frames * maxFrame > 3_000_000L && frames > 5) {
            frames--;
        }
        long budgetNs = r.chance(0.65) ? (long) (1.5 * rttNs) + (long) r.nextLogUniform(10 * MS, 300 * MS)
                : (long) r.nextDouble(Math.max(2 * MS, rttNs * 0.6), Math.max(3 * MS, 1.5 * rttNs));
        FecMode fec = r.chance(0.6) ? FecMode.AUTO : r.chance(0.5) ? FecMode.OFF : FecMode.percent(5 + r.nextInt(46));
        StreamParams params = new StreamParams(StreamCodec.OTHER, budgetNs, fps * 100, 0, 0, "sim-" + seed, fec);
        return new StreamScenario(seed, up.build(), down.build(), frames, 1_000_000_000L / fps, minFrame, maxFrame,
                params);
    }

    private static int pick(SimRandom r, int[] values) {
        return values[r.nextInt(values.length)];
    }

    private static LinkSpec.Builder path(SimRandom r, long rate, long delayNs, int mtu, long rttNs) {
        LinkSpec.Builder b = LinkSpec.builder().rateBitsPerSecond(rate).delayNs(delayNs).mtuBytes(mtu);
        if (r.chance(0.4)) {
            b.jitterNs(r.nextLong(Math.max(1, Math.min(10 * MS, rttNs / 4)) + 1));
        }
        if (r.chance(0.2)) {
            b.reorder(r.nextDouble() * 0.1, 1 + r.nextLong(Math.max(1, Math.min(20 * MS, rttNs / 2))));
        }
        if (r.chance(0.1)) {
            b.duplicateProbability(r.nextDouble() * 0.05);
        }
        if (r.chance(0.7)) {
            double bdpBytes = rate / 8.0 * rttNs / 1e9;
            b.queueBytes(Math.max(4L * mtu, (long) (bdpBytes * r.nextLogUniform(0.5, 4.0))));
        }
        return b;
    }

    /** No loss (30%), iid up to 10% (40%) or Gilbert-Elliott bursts averaging 0.5-10% (30%). */
    private static void loss(SimRandom r, LinkSpec.Builder b) {
        double u = r.nextDouble();
        if (u < 0.3) {
            return;
        }
        if (u < 0.7) {
            b.lossProbability(r.nextDouble() * 0.10);
            return;
        }
        double lossInBad = r.nextDouble(0.3, 1.0);
        double badToGood = r.nextDouble(0.1, 0.6);
        double average = r.nextDouble(0.005, 0.10);
        double badShare = average / lossInBad;
        double goodToBad = Math.min(1.0, badToGood * badShare / (1 - badShare));
        b.burstLoss(goodToBad, badToGood, lossInBad);
    }

    /** Round-trip propagation delay. */
    long rttNs() {
        return up.delayNs() + down.delayNs();
    }

    /** The stream's bit rate at its largest frames. */
    double maxStreamBitsPerSecond() {
        return maxFrameBytes * 8.0 * 1e9 / intervalNs;
    }

    /** Time to put one full datagram on the forward link. */
    long datagramSerialisationNs() {
        int mtu = up.mtuBytes() == 0 ? 65_535 : up.mtuBytes();
        return up.rateBitsPerSecond() == 0 ? 0 : (long) (mtu * 8e9 / up.rateBitsPerSecond());
    }

    /**
     * How much later than the truth the receiver may place a capture time (its clock offset is the smallest
     * arrival minus sender time, less half the smallest RTT: docs/PROTOCOL.md 5.8): half the asymmetry of the
     * path, the forward jitter and reordering delay, and a few datagrams' serialisation (the first samples can
     * be fragments that waited behind others), plus 2 ms.
     */
    long clockAllowanceNs() {
        return Math.max(0, (up.delayNs() - down.delayNs()) / 2) + up.jitterNs()
                + (up.reorderProbability() > 0 ? up.reorderExtraDelayNs() : 0) + 4 * datagramSerialisationNs()
                + 2 * MS;
    }

    /**
     * Whether the path is easy enough that most frames must arrive: at most 2% iid loss each way, no bursts, a link
     * at least twice the stream's rate, and a budget with room for a repair.
     */
    boolean easy() {
        return up.lossProbability() <= 0.02 && up.burstLossInBad() == 0 && down.lossProbability() <= 0.02
                && down.burstLossInBad() == 0 && up.rateBitsPerSecond() >= 2 * maxStreamBitsPerSecond()
                && params.latencyBudgetNs() >= 2 * rttNs() + 8 * datagramSerialisationNs() + up.jitterNs()
                        + up.reorderExtraDelayNs() + 20 * MS;
    }

    static String ms(long ns) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", ns / 1e6);
    }

    @Override
    public String toString() {
        return "StreamScenario{" + Seeds.describe(seed) + ", rtt=" + ms(rttNs()) + ", frames="
                + frames + " at " + (1_000_000_000L / intervalNs) + " fps, " + minFrameBytes + ".." + maxFrameBytes
                + " bytes, budget=" + ms(params.latencyBudgetNs()) + ", fec=" + params.fec()
                + ", easy=" + easy() + ",\n  up=" + up + ",\n  down=" + down + "}";
    }
}
