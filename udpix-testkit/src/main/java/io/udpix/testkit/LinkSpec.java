package io.udpix.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Immutable description of one direction of a simulated path: rate, delay, jitter, loss (iid and
 * Gilbert-Elliott), reordering, duplication, corruption, MTU, drop-tail queue and blackouts.
 *
 * <p>Model (see {@link Link}): a datagram entering the link is dropped if a blackout covers the entry time, or its
 * UDP payload exceeds {@code mtuBytes - 28}, or the drop-tail queue is full; otherwise it is serialized at
 * {@code rateBitsPerSecond} (counting {@code overheadBytes} of IP/UDP header), may then be lost (iid, then
 * burst), and arrives {@code delayNs} + uniform jitter later.
 *
 * @param rateBitsPerSecond bottleneck rate; 0 = unlimited (no serialization delay, no queue)
 * @param delayNs one-way propagation delay
 * @param jitterNs uniform extra delay in [0, jitterNs]; never reorders by itself
 * @param lossProbability iid loss per datagram
 * @param burstGoodToBad Gilbert-Elliott: chance per step to enter the bad state; 0 = no burst loss. A step is a
 *     datagram, or on a rate-limited link the time of 1,500 bytes at the rate when datagrams are further apart
 * @param burstBadToGood Gilbert-Elliott: chance per step to leave the bad state
 * @param burstLossInBad Gilbert-Elliott: loss probability while bad
 * @param reorderProbability chance that one datagram gets {@code reorderExtraDelayNs} more delay
 * @param reorderExtraDelayNs the extra delay of a reordered datagram
 * @param duplicateProbability chance of an extra, independently jittered copy
 * @param corruptProbability chance (per delivered copy) of 1-8 bits flipped in one random byte
 * @param mtuBytes IP MTU (68..65535); 0 = no limit
 * @param queueBytes drop-tail buffer in front of the rate limiter, counting the datagram being serialized
 *     (wire bytes incl. overhead); 0 = unlimited
 * @param blackouts windows during which everything entering the link is dropped
 * @param overheadBytes bytes added to each datagram for rate and queue accounting (IPv4 20 + UDP 8 = 28)
 * @param lossAtEntry iid loss decided as a datagram enters the link, before the queue and the rate limiter (a lost
 *     datagram uses no capacity), as bench/linkemu and netem on the sender's egress do; false (the default): after
 *     the bottleneck, where a lost datagram has used its share of the rate
 */
public record LinkSpec(long rateBitsPerSecond, long delayNs, long jitterNs, double lossProbability,
        double burstGoodToBad, double burstBadToGood, double burstLossInBad, double reorderProbability,
        long reorderExtraDelayNs, double duplicateProbability, double corruptProbability, int mtuBytes,
        long queueBytes, List<Blackout> blackouts, int overheadBytes, boolean lossAtEntry) {

    /** IPv4 (20) + UDP (8) header bytes: what a real link carries on top of the UDP payload. */
    public static final int IPV4_UDP_OVERHEAD_BYTES = 28;
    /** Largest UDP payload over IPv4. */
    public static final int MAX_UDP_PAYLOAD_BYTES = 65_507;
    /** Delays above ~11.6 days are refused so that time arithmetic can never overflow. */
    public static final long MAX_DELAY_NS = 1_000_000_000_000_000L;
    private static final int MIN_IPV4_MTU = 68; // RFC 791
    private static final int MAX_BLACKOUTS = 10_000;

    private static final LinkSpec PERFECT = builder().build();

    /** Validates every field and copies the blackout list. */
    public LinkSpec {
        requireNonNegative("rateBitsPerSecond", rateBitsPerSecond);
        requireDelay("delayNs", delayNs);
        requireDelay("jitterNs", jitterNs);
        requireDelay("reorderExtraDelayNs", reorderExtraDelayNs);
        requireProbability("lossProbability", lossProbability);
        requireProbability("burstGoodToBad", burstGoodToBad);
        requireProbability("burstBadToGood", burstBadToGood);
        requireProbability("burstLossInBad", burstLossInBad);
        requireProbability("reorderProbability", reorderProbability);
        requireProbability("duplicateProbability", duplicateProbability);
        requireProbability("corruptProbability", corruptProbability);
        if (mtuBytes != 0 && (mtuBytes < MIN_IPV4_MTU || mtuBytes > 65_535)) {
            throw new IllegalArgumentException("mtuBytes must be 0 (no limit) or in [68, 65535], got " + mtuBytes);
        }
        requireNonNegative("queueBytes", queueBytes);
        if (overheadBytes < 0 || overheadBytes > 1024) {
            throw new IllegalArgumentException("overheadBytes must be in [0, 1024], got " + overheadBytes);
        }
        blackouts = List.copyOf(blackouts);
        if (blackouts.size() > MAX_BLACKOUTS) {
            throw new IllegalArgumentException(blackouts.size() + " blackouts exceed the limit of " + MAX_BLACKOUTS
                    + "; merge adjacent windows");
        }
    }

    /** No rate limit, no delay, no impairment. */
    public static LinkSpec perfect() {
        return PERFECT;
    }

    /** A builder starting from {@link #perfect()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether the Gilbert-Elliott chain can ever enter its bad state. */
    public boolean hasBurstLoss() {
        return burstGoodToBad > 0 && burstLossInBad > 0;
    }

    /** Largest UDP payload this link carries (65,507 when the MTU is unlimited). */
    public int maxPayloadBytes() {
        return mtuBytes == 0 ? MAX_UDP_PAYLOAD_BYTES
                : Math.min(MAX_UDP_PAYLOAD_BYTES, mtuBytes - IPV4_UDP_OVERHEAD_BYTES);
    }

    /**
     * Long-run fraction of datagrams lost to iid and burst loss together (the Gilbert-Elliott chain spends
     * pGB / (pGB + pBG) of the time bad).
     */
    public double expectedLossFraction() {
        double burst = 0;
        if (hasBurstLoss()) {
            double bad = burstBadToGood == 0 ? 1 : burstGoodToBad / (burstGoodToBad + burstBadToGood);
            burst = bad * burstLossInBad;
        }
        return 1 - (1 - lossProbability) * (1 - burst);
    }

    /** Whether some blackout never ends. */
    public boolean hasPermanentCut() {
        for (Blackout b : blackouts) {
            if (b.isPermanent()) {
                return true;
            }
        }
        return false;
    }

    /** Every field that differs from {@link #perfect()}, with exact values (for failure messages). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LinkSpec{");
        int start = sb.length();
        if (rateBitsPerSecond != 0) {
            sep(sb, start).append("rateBitsPerSecond=").append(rateBitsPerSecond).append(" (")
                    .append(trimRate(rateBitsPerSecond)).append(')');
        }
        ns(sb, start, "delayNs", delayNs);
        ns(sb, start, "jitterNs", jitterNs);
        p(sb, start, "lossProbability", lossProbability);
        if (burstGoodToBad != 0 || burstBadToGood != 0 || burstLossInBad != 0) {
            sep(sb, start).append("burstLoss(pGoodToBad=").append(burstGoodToBad).append(", pBadToGood=")
                    .append(burstBadToGood).append(", lossInBad=").append(burstLossInBad).append(')');
        }
        p(sb, start, "reorderProbability", reorderProbability);
        ns(sb, start, "reorderExtraDelayNs", reorderExtraDelayNs);
        p(sb, start, "duplicateProbability", duplicateProbability);
        p(sb, start, "corruptProbability", corruptProbability);
        if (mtuBytes != 0) {
            sep(sb, start).append("mtuBytes=").append(mtuBytes);
        }
        if (queueBytes != 0) {
            sep(sb, start).append("queueBytes=").append(queueBytes);
        }
        if (!blackouts.isEmpty()) {
            sep(sb, start).append("blackouts=").append(blackouts);
        }
        if (overheadBytes != IPV4_UDP_OVERHEAD_BYTES) {
            sep(sb, start).append("overheadBytes=").append(overheadBytes);
        }
        if (lossAtEntry) {
            sep(sb, start).append("lossAtEntry");
        }
        if (sb.length() == start) {
            sb.append("perfect");
        }
        return sb.append('}').toString();
    }

    private static StringBuilder sep(StringBuilder sb, int start) {
        return sb.length() == start ? sb : sb.append(", ");
    }

    private static void ns(StringBuilder sb, int start, String name, long value) {
        if (value != 0) {
            sep(sb, start).append(name).append('=').append(value).append(" (").append(Durations.format(value))
                    .append(')');
        }
    }

    private static void p(StringBuilder sb, int start, String name, double value) {
        if (value != 0) {
            sep(sb, start).append(name).append('=').append(value);
        }
    }

    private static String trimRate(long bitsPerSecond) {
        return String.format(java.util.Locale.ROOT, "%.3f Mbit/s", bitsPerSecond / 1e6);
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    private static void requireDelay(String name, long value) {
        if (value < 0 || value > MAX_DELAY_NS) {
            throw new IllegalArgumentException(name + " must be in [0, " + MAX_DELAY_NS + "] ns, got " + value);
        }
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + value);
        }
    }

    /** Builds a {@link LinkSpec}; every setter returns this builder, and {@link #build()} validates. */
    public static final class Builder {
        private long rateBitsPerSecond;
        private long delayNs;
        private long jitterNs;
        private double lossProbability;
        private double burstGoodToBad;
        private double burstBadToGood;
        private double burstLossInBad;
        private double reorderProbability;
        private long reorderExtraDelayNs;
        private double duplicateProbability;
        private double corruptProbability;
        private int mtuBytes;
        private long queueBytes;
        private final List<Blackout> blackouts = new ArrayList<>();
        private int overheadBytes = IPV4_UDP_OVERHEAD_BYTES;
        private boolean lossAtEntry;

        private Builder() {
        }

        private Builder(LinkSpec s) {
            rateBitsPerSecond = s.rateBitsPerSecond;
            delayNs = s.delayNs;
            jitterNs = s.jitterNs;
            lossProbability = s.lossProbability;
            burstGoodToBad = s.burstGoodToBad;
            burstBadToGood = s.burstBadToGood;
            burstLossInBad = s.burstLossInBad;
            reorderProbability = s.reorderProbability;
            reorderExtraDelayNs = s.reorderExtraDelayNs;
            duplicateProbability = s.duplicateProbability;
            corruptProbability = s.corruptProbability;
            mtuBytes = s.mtuBytes;
            queueBytes = s.queueBytes;
            blackouts.addAll(s.blackouts);
            overheadBytes = s.overheadBytes;
            lossAtEntry = s.lossAtEntry;
        }

        /** Bottleneck rate in bit/s; 0 = unlimited. */
        public Builder rateBitsPerSecond(long v) {
            rateBitsPerSecond = v;
            return this;
        }

        /** Bottleneck rate in Mbit/s (10^6 bit/s). */
        public Builder rateMegabitsPerSecond(double v) {
            rateBitsPerSecond = Math.round(v * 1e6);
            return this;
        }

        /** One-way propagation delay. */
        public Builder delayNs(long v) {
            delayNs = v;
            return this;
        }

        /** One-way propagation delay in milliseconds. */
        public Builder delayMillis(long v) {
            delayNs = v * 1_000_000L;
            return this;
        }

        /** Uniform extra delay in [0, v]. */
        public Builder jitterNs(long v) {
            jitterNs = v;
            return this;
        }

        /** iid loss probability. */
        public Builder lossProbability(double v) {
            lossProbability = v;
            return this;
        }

        /** Gilbert-Elliott burst loss: state changes per datagram, loss {@code lossInBad} while bad. */
        public Builder burstLoss(double pGoodToBad, double pBadToGood, double lossInBad) {
            burstGoodToBad = pGoodToBad;
            burstBadToGood = pBadToGood;
            burstLossInBad = lossInBad;
            return this;
        }

        /** Reordering: each datagram with probability {@code probability} gets {@code extraDelayNs} more. */
        public Builder reorder(double probability, long extraDelayNs) {
            reorderProbability = probability;
            reorderExtraDelayNs = extraDelayNs;
            return this;
        }

        /** Chance of reordering one datagram. */
        public Builder reorderProbability(double v) {
            reorderProbability = v;
            return this;
        }

        /** Extra delay of a reordered datagram. */
        public Builder reorderExtraDelayNs(long v) {
            reorderExtraDelayNs = v;
            return this;
        }

        /** Chance of an extra copy. */
        public Builder duplicateProbability(double v) {
            duplicateProbability = v;
            return this;
        }

        /** Chance of flipping 1-8 bits of one byte of a delivered copy. */
        public Builder corruptProbability(double v) {
            corruptProbability = v;
            return this;
        }

        /** IP MTU; 0 = no limit. */
        public Builder mtuBytes(int v) {
            mtuBytes = v;
            return this;
        }

        /** Drop-tail queue capacity in wire bytes; 0 = unlimited. */
        public Builder queueBytes(long v) {
            queueBytes = v;
            return this;
        }

        /** Adds a blackout [startNs, endNs). */
        public Builder blackout(long startNs, long endNs) {
            blackouts.add(new Blackout(startNs, endNs));
            return this;
        }

        /** Adds a blackout from {@code startNs} to forever: the link is cut. */
        public Builder cutFromNs(long startNs) {
            blackouts.add(Blackout.forever(startNs));
            return this;
        }

        /** Replaces all blackouts. */
        public Builder blackouts(List<Blackout> v) {
            blackouts.clear();
            blackouts.addAll(v);
            return this;
        }

        /** Per-datagram header bytes counted by the rate limiter and queue (default 28; 0 = payload only). */
        public Builder overheadBytes(int v) {
            overheadBytes = v;
            return this;
        }

        /**
         * Whether iid loss is decided as a datagram enters the link (before the queue: a lost datagram uses no
         * capacity, like bench/linkemu) rather than after the bottleneck (the default).
         */
        public Builder lossAtEntry(boolean v) {
            lossAtEntry = v;
            return this;
        }

        /** Validates and builds. */
        public LinkSpec build() {
            return new LinkSpec(rateBitsPerSecond, delayNs, jitterNs, lossProbability, burstGoodToBad,
                    burstBadToGood, burstLossInBad, reorderProbability, reorderExtraDelayNs, duplicateProbability,
                    corruptProbability, mtuBytes, queueBytes, blackouts, overheadBytes, lossAtEntry);
        }
    }
}
