package io.udpix.cli.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * How badly {@link LossyRelay} treats datagrams; each probability applies to every datagram, in both directions.
 *
 * @param lossProbability      chance a datagram is dropped
 * @param duplicateProbability chance a datagram is sent twice
 * @param reorderProbability   chance a datagram is held back and sent after the next one in the same direction
 * @param reorderHold          how long a held datagram waits for a next one before it is sent anyway
 * @param delay                one-way delay added to every datagram, each direction (zero: none), so the round
 *                             trip grows by twice this; at most 10 s
 */
public record Impairment(double lossProbability, double duplicateProbability, double reorderProbability,
                         Duration reorderHold, Duration delay) {

    /** Default hold: long enough that the next datagram of a transfer usually overtakes, short next to an RTO. */
    public static final Duration DEFAULT_REORDER_HOLD = Duration.ofMillis(5);

    /** Checks that probabilities are in [0, 1] and the hold is positive. */
    public Impairment {
        checkProbability("lossProbability", lossProbability);
        checkProbability("duplicateProbability", duplicateProbability);
        checkProbability("reorderProbability", reorderProbability);
        Objects.requireNonNull(reorderHold, "reorderHold");
        if (reorderHold.isNegative() || reorderHold.isZero() || reorderHold.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("reorderHold must be in (0, 10 s], was " + reorderHold);
        }
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("delay must be in [0, 10 s], was " + delay);
        }
    }

    /** Without added delay. */
    public Impairment(double lossProbability, double duplicateProbability, double reorderProbability,
                      Duration reorderHold) {
        this(lossProbability, duplicateProbability, reorderProbability, reorderHold, Duration.ZERO);
    }

    /** A copy that also delays every datagram by {@code oneWay}. */
    public Impairment withDelay(Duration oneWay) {
        return new Impairment(lossProbability, duplicateProbability, reorderProbability, reorderHold, oneWay);
    }

    /** A perfect link: everything forwarded once, in order. */
    public static Impairment none() {
        return new Impairment(0, 0, 0, DEFAULT_REORDER_HOLD);
    }

    /** The given probabilities with the {@link #DEFAULT_REORDER_HOLD default hold}. */
    public static Impairment of(double lossProbability, double duplicateProbability, double reorderProbability) {
        return new Impairment(lossProbability, duplicateProbability, reorderProbability, DEFAULT_REORDER_HOLD);
    }

    private static void checkProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }
}
