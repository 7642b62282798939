package io.udpix.engine.cc;

/**
 * The share of packets a path loses at random, whatever the sender does: the smallest per-round loss rate over the
 * last {@link #WINDOW_ROUNDS} round trips, counting any round that saw a queue as loss-free.
 *
 * <p>Why: BBR's bandwidth estimate is a delivery rate, so on a path that drops a share {@code p} of packets at
 * random, cruising at the estimate sends {@code p} less than the bottleneck carries (at 5% loss the link is 5% idle
 * when the loss comes before the bottleneck, as on bench/linkemu, and 5% is thrown away when it comes after it).
 * Random loss is not congestion (draft-ietf-ccwg-bbr, IsInflightTooHigh: only a loss rate above BBRLossThresh, a share
 * a path may show at random, signals an overfull queue), so {@link Bbr} sends {@code 1 / (1 - floor)}
 * times its estimate to put the bottleneck's full rate through.
 *
 * <p>Why a windowed minimum, and why a queue counts as no loss: congestion loss comes from a queue that overflows,
 * and the PROBE_BW gain cycle ({@link Bbr#PROBE_BW_GAINS}: at most 10 phases of at least one round trip) always
 * has a probe-down and cruise phases in which the queue it built is gone. A path with no random loss therefore has a
 * loss-free round in every window, and its floor is 0: the sender backs off from congestion exactly as plain BBR
 * does. Only loss that shows in every round, queue or no queue, raises the floor; a round whose lowest RTT stood
 * {@link #QUEUE_RTT_INFLATION} above the propagation RTT (a standing queue, or two flows sharing a bottleneck whose
 * drops are congestion) counts as 0. A minimum of noisy per-round rates also errs low, and if the sender ever
 * overshot, the extra drops it causes stop in the next probe-down round. Rounds of fewer than
 * {@link #MIN_PACKETS_PER_ROUND} packets cannot measure a few percent and are skipped. The floor never exceeds
 * {@link #MAX_FLOOR}.
 */
final class RandomLossFloor {
    /** Round trips the minimum spans: the longest PROBE_BW gain cycle (2 + 4..8 phases), see the class comment. */
    static final int WINDOW_ROUNDS = 10;
    /** At most 1 / (1 - 0.2) = 1.25 times the delivery rate, the size of a PROBE_BW probe up. */
    static final double MAX_FLOOR = 0.2;
    /** A round with fewer packets says nothing about a loss rate of a few percent. */
    static final int MIN_PACKETS_PER_ROUND = 32;
    /** A round whose lowest RTT is this many times the propagation RTT saw a queue (Bbr's overflow guard's bar). */
    static final double QUEUE_RTT_INFLATION = Bbr.OVERFLOW_RTT_INFLATION;
    private static final long SCALE = 1_000_000L;

    /** Windowed maximum of the delivered share (1 - loss rate) per round, in millionths. */
    private final WindowedMaxFilter deliveredShare = new WindowedMaxFilter(WINDOW_ROUNDS);
    private long roundAckedBytes;
    private long roundLostBytes;
    private long roundMinRttNs = Long.MAX_VALUE;
    private double floor;

    /** An estimator with a floor of 0. */
    RandomLossFloor() {
        reset(0);
    }

    /** Forgets everything: floor 0 (the model restarts, e.g. after persistent congestion). */
    void reset(long roundCount) {
        deliveredShare.reset(roundCount, SCALE);
        roundAckedBytes = 0;
        roundLostBytes = 0;
        roundMinRttNs = Long.MAX_VALUE;
        floor = 0;
    }

    /** One packet of {@code bytes} acknowledged. */
    void onAcked(long bytes) {
        roundAckedBytes += bytes;
    }

    /** One packet of {@code bytes} declared lost. */
    void onLost(long bytes) {
        roundLostBytes += bytes;
    }

    /** One RTT sample of the current round. */
    void onRttSample(long rttNs) {
        if (rttNs > 0 && rttNs < roundMinRttNs) {
            roundMinRttNs = rttNs;
        }
    }

    /**
     * A round trip ended: its loss rate joins the window (as 0 if it saw a queue; skipped if too small to tell).
     *
     * @param roundCount the new round's number (never decreasing)
     * @param rtPropNs the propagation RTT estimate, or Long.MAX_VALUE before any
     * @param datagramBytes the datagram size in use
     */
    void onRoundEnd(long roundCount, long rtPropNs, int datagramBytes) {
        long totalBytes = roundAckedBytes + roundLostBytes;
        if (totalBytes >= (long) MIN_PACKETS_PER_ROUND * datagramBytes && rtPropNs != Long.MAX_VALUE) {
            boolean queued = roundMinRttNs == Long.MAX_VALUE || roundMinRttNs > QUEUE_RTT_INFLATION * rtPropNs;
            long share = queued ? SCALE : SCALE - (long) ((double) roundLostBytes * SCALE / totalBytes);
            long best = deliveredShare.update(roundCount, share);
            floor = Math.min(MAX_FLOOR, 1.0 - (double) best / SCALE);
        }
        roundAckedBytes = 0;
        roundLostBytes = 0;
        roundMinRttNs = Long.MAX_VALUE;
    }

    /** The random-loss floor, 0..{@link #MAX_FLOOR}. */
    double floor() {
        return floor;
    }

    /** {@code 1 / (1 - floor)}: what a delivery rate is scaled by to give the rate the path must be offered. */
    double compensation() {
        return 1.0 / (1.0 - floor);
    }
}
