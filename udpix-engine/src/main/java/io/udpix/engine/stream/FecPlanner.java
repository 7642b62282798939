package io.udpix.engine.stream;

/**
 * Chooses each frame's parity stride G (0 = no parity) from the stream's {@link FecMode}, the connection's recent
 * packet loss rate, its smoothed RTT, the latency budget and the frame's size (docs/PROTOCOL.md section 5.8).
 *
 * <p>{@code PERCENT}: G = ceil(count * percent / 100), at most count. {@code AUTO}: no parity below 0.1% loss.
 * Otherwise the planner models each group of k fragments plus its parity as k+1 packets each lost independently
 * with the loss rate times a burst allowance ({@link #BURST_ALLOWANCE}: losses come in clumps, so a frame sees
 * more than the average more often than independent losses would), a group failing with two or more losses;
 * it takes the smallest G (0 first) up to a limit for which the probability that some group of the frame fails is at
 * most the target, or the limit when none does. When no retransmission can arrive within the budget
 * (budget &lt; 1.5 srtt + serialisation) the target is {@link #TARGET_WITHOUT_REPAIR} and the limit the 50%
 * overhead cap (G &lt;= count/2: parity is all there is). When one can, the target is
 * {@link #TARGET_WITH_REPAIR} (a failed group then costs a retransmission round, not the frame) and the limit
 * is also {@link #REPAIR_GROUPS_PER_LOSS} groups per expected lost packet (G &lt;= ceil(2 x loss x
 * count)): most single losses are then repaired by parity without waiting a round trip, retransmission carries
 * the rest, and the parity overhead stays near twice the loss rate (at 5% loss about 10%). Single-parity columns
 * cannot bring a 75-fragment frame at 5% loss to a 10% failure rate even at 50% overhead (that still leaves
 * about 24%), so without this limit AUTO would spend 50% where retransmission does the job for ~5%.
 */
public final class FecPlanner {
    /** Below this loss rate AUTO sends no parity. */
    public static final double MIN_LOSS_RATE = 0.001;
    /** Frame failure target when no retransmission can arrive in time. */
    public static final double TARGET_WITHOUT_REPAIR = 0.005;
    /** Frame failure target (failures then cost a retransmission round, not the frame) when one can. */
    public static final double TARGET_WITH_REPAIR = 0.10;
    /** The loss rate is multiplied by this for the model (clumped losses; see the class comment). */
    public static final double BURST_ALLOWANCE = 1.25;
    /** Largest parity overhead AUTO plans: G &lt;= count * this. */
    public static final double MAX_OVERHEAD = 0.5;
    /** When repair is possible: at most this many parity groups per expected lost packet of the frame. */
    public static final double REPAIR_GROUPS_PER_LOSS = 2.0;
    /** A retransmission "can arrive" when the budget is at least this many srtts plus the serialisation time. */
    public static final double REPAIR_RTTS = 1.5;

    private FecPlanner() {
    }

    /** PARITY's stride is a u16 on the wire (docs/PROTOCOL.md 4.14): a 65,536-fragment frame gets 65,535 groups. */
    static final int MAX_STRIDE = io.udpix.wire.BigEndian.MAX_U16;

    /**
     * The parity stride for one frame: 0 for none, else 1..fragmentCount.
     *
     * @param mode            the stream's FEC mode
     * @param lossRate        recent packet loss rate of the connection, 0..1 (values outside are clamped)
     * @param srttNs          smoothed RTT (the handshake RTT before any sample)
     * @param budgetNs        the stream's effective latency budget
     * @param fragmentCount   fragments of this frame (>= 1)
     * @param serialisationNs time to put the frame on the wire at the current pacing rate
     */
    public static int stride(FecMode mode, double lossRate, long srttNs, long budgetNs, int fragmentCount,
            long serialisationNs) {
        if (fragmentCount < 1) {
            throw new IllegalArgumentException("a frame has at least one fragment, got " + fragmentCount);
        }
        switch (mode.kind()) {
            case OFF:
                return 0;
            case PERCENT:
                return (int) Math.min(MAX_STRIDE, Math.min(fragmentCount,
                        ((long) fragmentCount * mode.percent() + 99) / 100));
            default:
                return Math.min(MAX_STRIDE, auto(lossRate, canRepair(srttNs, budgetNs, serialisationNs),
                        fragmentCount));
        }
    }

    /** Whether a retransmission can still arrive: budget >= 1.5 srtt + serialisation. */
    public static boolean canRepair(long srttNs, long budgetNs, long serialisationNs) {
        return budgetNs >= REPAIR_RTTS * srttNs + serialisationNs;
    }

    /** The AUTO choice for a loss rate, whether repair is possible, and a fragment count. */
    public static int auto(double lossRate, boolean canRepair, int fragmentCount) {
        double p = clamp(lossRate);
        if (!(p >= MIN_LOSS_RATE)) { // also NaN
            return 0;
        }
        int cap = (int) Math.floor(fragmentCount * MAX_OVERHEAD);
        if (cap < 1) {
            return 0; // one fragment: parity would be a 100% duplicate
        }
        double modelled = Math.min(0.5, p * BURST_ALLOWANCE);
        double target = canRepair ? TARGET_WITH_REPAIR : TARGET_WITHOUT_REPAIR;
        if (frameFailureProbability(modelled, fragmentCount, 0) <= target) {
            return 0; // small frames: the frame makes it often enough without parity
        }
        int limit = cap;
        if (canRepair) {
            long groups = (long) Math.ceil(REPAIR_GROUPS_PER_LOSS * p * fragmentCount);
            limit = (int) Math.max(1, Math.min(cap, groups));
        }
        if (frameFailureProbability(modelled, fragmentCount, limit) > target) {
            return limit;
        }
        // Smallest G in 1..limit meeting the target: the failure probability falls as G grows (smaller groups).
        int low = 1;
        int high = limit;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (frameFailureProbability(modelled, fragmentCount, mid) <= target) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /**
     * The probability that a frame of {@code fragmentCount} fragments with parity stride {@code stride} (0: none)
     * cannot be completed from what arrives once, each packet (fragment or parity) lost independently with
     * {@code lossRate}: some group has two or more losses among its k fragments and its parity (with no parity,
     * any loss).
     */
    public static double frameFailureProbability(double lossRate, int fragmentCount, int stride) {
        double p = clamp(lossRate);
        if (stride <= 0) {
            return -Math.expm1(fragmentCount * Math.log1p(-p));
        }
        int small = fragmentCount / stride;
        int bigGroups = fragmentCount % stride;
        double logSuccess = bigGroups * Math.log1p(-groupFailure(p, small + 2))
                + (stride - bigGroups) * Math.log1p(-groupFailure(p, small + 1));
        return -Math.expm1(logSuccess);
    }

    /** P(at least 2 of n packets lost) = 1 - (1-p)^n - n p (1-p)^(n-1). */
    static double groupFailure(double p, int packets) {
        if (p >= 1) {
            return packets >= 2 ? 1 : 0;
        }
        double none = Math.exp(packets * Math.log1p(-p));
        double one = packets * p * Math.exp((packets - 1) * Math.log1p(-p));
        return Math.max(0, 1 - none - one);
    }

    private static double clamp(double p) {
        return p < 0 ? 0 : p > 1 ? 1 : p;
    }
}
