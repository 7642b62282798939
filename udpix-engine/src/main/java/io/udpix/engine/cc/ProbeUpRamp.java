package io.udpix.engine.cc;

/**
 * Probing up faster after a STARTUP exit that {@link Bbr} suspects was premature: an exit while an endpoint's pause
 * ({@link StallDetector}) had been seen, or an exit on delay ({@link DelayIncreaseDetector}), which a path's own
 * jitter causes as readily as a queue (RFC 9406 section 4.3 keeps probing after HyStart's delay exit for the same
 * reason). Plain BBR then climbs by one probe of 25% per gain cycle (6 to 10
 * round trips): 5-8 s from 10 Mbit/s to a 100 Mbit/s, 50 ms link (docs/BENCHMARKS.md, issue 13's diagnosis).
 *
 * <p>After such an exit, a probe up that found room (the bandwidth estimate rose by {@link #ROOM_GROWTH} within
 * {@link #ROUNDS_TO_FIND_ROOM} rounds of its start not spoiled by a pause, with no queue in those rounds) is followed
 * at once by another, each with twice the step of the last: pacing gains 1.25, 1.5, 2, then STARTUP's 2.89. This is BBRv3's PROBE_UP
 * (draft-ietf-ccwg-bbr, ProbeBW_UP, BBRRaiseInflightHiSlope: inflight_hi grows by 1, 2, 4, 8... packets per round
 * while probing finds no loss or queue) applied to the pacing gain, so reaching the link takes a few round trips.
 * The first probe that finds no room, or a queue, ends the ramp for good: the pipe is full.
 */
final class ProbeUpRamp {
    /** A probe that raised the estimate by this much found room (at gain 1.25, 40% of what it asked for). */
    static final double ROOM_GROWTH = 1.1;
    /** Rounds after a probe's start in which its samples come back (the probe's own round and the next). */
    static final int ROUNDS_TO_FIND_ROOM = 3;
    /** Steps of 0.25 x 2^k: gains 1.25, 1.5, 2, 3 (capped at STARTUP's 2.89). */
    static final int MAX_STEP = 3;
    /** A round whose lowest RTT stood this far above RTprop saw a queue (Bbr's overflow guard's bar). */
    static final double QUEUE_RTT_INFLATION = Bbr.OVERFLOW_RTT_INFLATION;

    private boolean armed;
    private int step;
    private long bandwidthAtProbeStart;
    private int roundsSinceProbeStart = Integer.MAX_VALUE;
    private long roundMinRttNs = Long.MAX_VALUE;

    /** STARTUP ended; {@code suspectPremature}: a pause had been seen, so the pipe may not be full. */
    void onStartupExit(boolean suspectPremature) {
        armed = suspectPremature;
        step = 0;
    }

    /** An RTT sample not spoiled by a pause. */
    void onRttSample(long rttNs) {
        roundMinRttNs = Math.min(roundMinRttNs, rttNs);
    }

    /** A PROBE_BW probe up begins; returns its pacing gain. */
    double onProbeStart(long bandwidthBytesPerSecond) {
        bandwidthAtProbeStart = bandwidthBytesPerSecond;
        roundsSinceProbeStart = 0;
        return armed ? Math.min(Bbr.STARTUP_GAIN, 1.0 + 0.25 * (1 << step)) : Bbr.PROBE_BW_GAINS[0];
    }

    /**
     * A round ended in PROBE_BW. Returns whether the last probe found room, so that the next should start now with
     * twice the step.
     */
    boolean onRoundEnd(long bandwidthBytesPerSecond, long rtPropNs, boolean stalled) {
        boolean queued = roundMinRttNs != Long.MAX_VALUE && rtPropNs != Long.MAX_VALUE
                && roundMinRttNs > QUEUE_RTT_INFLATION * rtPropNs;
        roundMinRttNs = Long.MAX_VALUE;
        if (!armed || roundsSinceProbeStart >= ROUNDS_TO_FIND_ROOM) {
            return false;
        }
        if (stalled) {
            return false; // a pause spoiled the round: it shows neither room nor its absence
        }
        roundsSinceProbeStart++;
        if (queued) {
            armed = false;
            return false;
        }
        if (bandwidthBytesPerSecond >= ROOM_GROWTH * bandwidthAtProbeStart) {
            step = Math.min(step + 1, MAX_STEP);
            roundsSinceProbeStart = Integer.MAX_VALUE;
            return true;
        }
        if (roundsSinceProbeStart >= ROUNDS_TO_FIND_ROOM) {
            armed = false; // this probe found no room: the pipe is full
        }
        return false;
    }

    /** Whether the ramp is still on (a suspect exit, and every probe since found room). */
    boolean armed() {
        return armed;
    }
}
