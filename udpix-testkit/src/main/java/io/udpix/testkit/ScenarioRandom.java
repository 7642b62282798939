package io.udpix.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Random end-to-end scenarios from a seed, for property tests: payload sizes skewed toward the interesting
 * (empty, tiny, around MTU multiples, the 4 MiB maximum) and paths with loss (iid and bursty), reordering,
 * duplication, corruption, RTT, jitter, rate, MTU, queue size, blackouts and, rarely, a permanent cut.
 * The ranges are the public constants below; the same seed always gives the same scenario.
 */
public final class ScenarioRandom {
    /** Largest payload. */
    public static final int MAX_PAYLOAD_BYTES = 4 << 20;
    /** Largest round-trip propagation delay. */
    public static final long MAX_RTT_NS = 500_000_000L;
    /** Largest jitter per direction. */
    public static final long MAX_JITTER_NS = 50_000_000L;
    /** Largest long-run loss fraction per direction (iid and burst together). */
    public static final double MAX_LOSS = 0.40;
    /** Largest reorder probability. */
    public static final double MAX_REORDER = 0.20;
    /** Largest extra delay of a reordered datagram. */
    public static final long MAX_REORDER_EXTRA_DELAY_NS = 100_000_000L;
    /** Largest duplication probability. */
    public static final double MAX_DUPLICATE = 0.10;
    /** Largest corruption probability. */
    public static final double MAX_CORRUPT = 0.01;
    /** Slowest rate: 1 Mbit/s. */
    public static final long MIN_RATE_BITS_PER_SECOND = 1_000_000L;
    /** Fastest rate: 1000 Mbit/s. */
    public static final long MAX_RATE_BITS_PER_SECOND = 1_000_000_000L;
    /** Smallest MTU (the IPv4 minimum reassembly size). */
    public static final int MIN_MTU_BYTES = 576;
    /** Largest MTU. */
    public static final int MAX_MTU_BYTES = 65_535;
    /** Total length of the healing blackouts per direction. */
    public static final long MAX_BLACKOUT_TOTAL_NS = 3_000_000_000L;
    /** Blackouts and cuts start within this much virtual time. */
    public static final long MAX_BLACKOUT_START_NS = 30_000_000_000L;
    /** Chance of a permanent cut in one or both directions. */
    public static final double PERMANENT_CUT_PROBABILITY = 0.03;
    /** A permanent cut starts within this much virtual time. */
    public static final long MAX_CUT_START_NS = 10_000_000_000L;
    /** Queue sizes are bounded by this factor times the bandwidth-delay product (or one datagram). */
    public static final double MAX_QUEUE_BDP_FACTOR = 4.0;

    private static final long STREAM = 0x5CE7A410L;
    private static final int[] COMMON_MTUS = {576, 1280, 1492, 1500, 9000, 65_535};
    private static final int[] CHUNK_UNITS = {1024, 1200, 1452, 1472};

    private ScenarioRandom() {
    }

    /** The scenario for {@code seed}. */
    public static Scenario generate(long seed) {
        SimRandom r = new SimRandom(SimRandom.derive(seed, STREAM));
        long rttNs = rtt(r);
        long forwardDelayNs = r.chance(0.6) ? rttNs / 2 : r.nextLong(rttNs + 1);
        long backwardDelayNs = rttNs - forwardDelayNs;
        long forwardRate = rate(r);
        long backwardRate = r.chance(0.6) ? forwardRate : rate(r);
        int forwardMtu = mtu(r);
        int backwardMtu = r.chance(0.7) ? forwardMtu : mtu(r);

        LinkSpec.Builder forward = path(r, forwardRate, forwardDelayNs, forwardMtu, rttNs);
        LinkSpec.Builder backward = path(r, backwardRate, backwardDelayNs, backwardMtu, rttNs);
        if (r.chance(0.25)) {
            List<Blackout> windows = blackouts(r);
            double which = r.nextDouble();
            if (which < 0.5) {
                forward.blackouts(windows);
                backward.blackouts(windows);
            } else if (which < 0.75) {
                forward.blackouts(windows);
            } else {
                backward.blackouts(windows);
            }
        }
        if (r.chance(PERMANENT_CUT_PROBABILITY)) {
            long cutNs = r.chance(0.2) ? 0 : r.nextLong(MAX_CUT_START_NS + 1);
            double which = r.nextDouble();
            if (which < 0.4) {
                forward.cutFromNs(cutNs);
                backward.cutFromNs(cutNs);
            } else if (which < 0.7) {
                forward.cutFromNs(cutNs);
            } else {
                backward.cutFromNs(cutNs);
            }
        }
        LinkSpec clientToServer = forward.build();
        LinkSpec serverToClient = backward.build();
        return new Scenario(seed, payload(r, clientToServer.maxPayloadBytes()), clientToServer, serverToClient);
    }

    private static long rtt(SimRandom r) {
        double u = r.nextDouble();
        if (u < 0.1) {
            return 0;
        }
        if (u < 0.4) {
            return r.nextLong(20_000_000L + 1);
        }
        return Math.min(MAX_RTT_NS, (long) r.nextLogUniform(1_000_000, MAX_RTT_NS));
    }

    private static long rate(SimRandom r) {
        long v = Math.round(r.nextLogUniform(MIN_RATE_BITS_PER_SECOND, MAX_RATE_BITS_PER_SECOND));
        return Math.max(MIN_RATE_BITS_PER_SECOND, Math.min(MAX_RATE_BITS_PER_SECOND, v));
    }

    private static int mtu(SimRandom r) {
        if (r.chance(0.8)) {
            return COMMON_MTUS[r.nextInt(COMMON_MTUS.length)];
        }
        return MIN_MTU_BYTES + r.nextInt(MAX_MTU_BYTES - MIN_MTU_BYTES + 1);
    }

    private static LinkSpec.Builder path(SimRandom r, long rate, long delayNs, int mtu, long rttNs) {
        LinkSpec.Builder b = LinkSpec.builder().rateBitsPerSecond(rate).delayNs(delayNs).mtuBytes(mtu);
        if (r.chance(0.5)) {
            b.jitterNs(r.nextLong(MAX_JITTER_NS + 1));
        }
        loss(r, b);
        if (r.chance(0.3)) {
            long extraMaxNs = Math.max(100_000L, Math.min(MAX_REORDER_EXTRA_DELAY_NS, rttNs));
            b.reorder(r.nextDouble() * MAX_REORDER, 1 + r.nextLong(extraMaxNs));
        }
        if (r.chance(0.2)) {
            b.duplicateProbability(r.nextDouble() * MAX_DUPLICATE);
        }
        if (r.chance(0.15)) {
            b.corruptProbability(r.nextDouble() * MAX_CORRUPT);
        }
        if (r.chance(0.75)) {
            long oneDatagramBytes = Math.min(mtu, LinkSpec.MAX_UDP_PAYLOAD_BYTES + LinkSpec.IPV4_UDP_OVERHEAD_BYTES);
            double bdpBytes = rate / 8.0 * Math.max(rttNs, 1_000_000L) / 1e9;
            long q = (long) (bdpBytes * r.nextLogUniform(0.05, MAX_QUEUE_BDP_FACTOR));
            b.queueBytes(Math.max(oneDatagramBytes, q)); // the largest datagram must fit, or nothing passes
        }
        return b;
    }

    private static void loss(SimRandom r, LinkSpec.Builder b) {
        double u = r.nextDouble();
        if (u < 0.45) {
            return;
        }
        if (u < 0.75) {
            b.lossProbability(r.nextDouble() * 0.05);
            return;
        }
        if (u < 0.85) {
            b.lossProbability(r.nextDouble(0.05, MAX_LOSS));
            return;
        }
        // Gilbert-Elliott: pick the bad state's share and loss, derive pGoodToBad, keep the total under MAX_LOSS.
        double lossInBad = r.nextDouble(0.3, 1.0);
        double badToGood = r.nextDouble(0.05, 0.9);
        double badShare = Math.min(0.9, r.nextDouble(0.005, 0.3) / lossInBad);
        double goodToBad = Math.min(1.0, badToGood * badShare / (1 - badShare));
        double actualBadShare = goodToBad / (goodToBad + badToGood);
        lossInBad = Math.min(lossInBad, MAX_LOSS / actualBadShare);
        double burst = actualBadShare * lossInBad;
        double iidMax = Math.max(0, 1 - (1 - MAX_LOSS) / (1 - burst));
        b.burstLoss(goodToBad, badToGood, lossInBad);
        if (r.chance(0.5)) {
            b.lossProbability(r.nextDouble() * iidMax);
        }
    }

    private static List<Blackout> blackouts(SimRandom r) {
        int n = 1 + r.nextInt(3);
        long totalNs = r.nextLong(10_000_000L, MAX_BLACKOUT_TOTAL_NS + 1);
        List<Blackout> windows = new ArrayList<>(n);
        long leftNs = totalNs;
        for (int i = 0; i < n && leftNs > 0; i++) {
            long lengthNs = i == n - 1 ? leftNs : 1 + r.nextLong(leftNs);
            leftNs -= lengthNs;
            long startNs = r.nextLong(MAX_BLACKOUT_START_NS + 1);
            windows.add(new Blackout(startNs, startNs + lengthNs));
        }
        return windows;
    }

    private static int payload(SimRandom r, int maxDatagramPayloadBytes) {
        double u = r.nextDouble();
        if (u < 0.08) {
            return 0;
        }
        if (u < 0.13) {
            return 1 + r.nextInt(16);
        }
        if (u < 0.48) {
            return (int) r.nextLogUniform(17, 64 << 10);
        }
        if (u < 0.68) {
            // Around multiples of a datagram's payload: off-by-one bugs in chunking live here.
            int unit = r.chance(0.5) ? maxDatagramPayloadBytes : CHUNK_UNITS[r.nextInt(CHUNK_UNITS.length)];
            int k = 1 + (int) r.nextLogUniform(1, 64);
            int delta = r.chance(0.5) ? r.nextInt(3) - 1 : r.nextInt(129) - 64;
            return clampPayload((long) unit * k + delta);
        }
        if (u < 0.93) {
            return (int) r.nextLogUniform(64 << 10, MAX_PAYLOAD_BYTES);
        }
        if (u < 0.97) {
            return MAX_PAYLOAD_BYTES - r.nextInt(2);
        }
        return 1 << (r.nextInt(23)); // powers of two up to 4 MiB
    }

    private static int clampPayload(long v) {
        return (int) Math.max(0, Math.min(MAX_PAYLOAD_BYTES, v));
    }
}
