package io.udpix.testkit;

import java.net.InetSocketAddress;

/**
 * One direction of a simulated path, created by {@link Simulator#link}; several routes may share one instance to
 * model a shared bottleneck (their datagrams share its queue, rate and random stream).
 *
 * <p>Order of fates for a datagram entering at {@code nowNs}: blackout, MTU, drop-tail queue, serialization at
 * the rate (FIFO), burst loss, iid loss (both after the bottleneck: a lost datagram still used capacity),
 * propagation + jitter (clamped so arrivals stay in order), reorder extra delay (that datagram only),
 * corruption, then an independent duplicate copy (jittered on its own, not clamped, not rate-limited). With
 * {@link LinkSpec#lossAtEntry()} the iid loss comes first instead, right after the MTU check.
 */
public final class Link {
    /** A bound on the backlog ring even when queueBytes is unlimited. */
    private static final int MAX_QUEUE_ENTRIES = 1 << 24;
    /**
     * The Gilbert-Elliott chain's time step on a rate-limited link: the time to send this many wire bytes (an
     * Ethernet frame). Datagrams closer together than that move the chain one step each, as before.
     */
    static final int BURST_STEP_WIRE_BYTES = 1500;

    private final Simulator owner;
    private final LinkSpec spec;
    private final SimRandom random;
    private final LinkStats stats = new LinkStats();
    private final int id;

    /** The transmitter is busy until busyUntilNs + busyFractionNum / rate ns: exact, no drift from rounding. */
    private long busyUntilNs;
    private long busyFractionNum;
    private long lastDeliveryNs;
    private boolean burstBad;
    /** One step of the burst chain in ns (0 on a link without a rate: one step per datagram). */
    private final long burstStepNs;
    private long lastBurstNs = Long.MIN_VALUE;

    /** FIFO of datagrams accepted but not yet fully serialized: (end of serialization, wire bytes). */
    private long[] queueEndNs = new long[64];
    private int[] queueWireBytes = new int[64];
    private int queueHead;
    private int queueCount;
    private long queuedBytes;

    Link(Simulator owner, LinkSpec spec, long seed, int id) {
        this.owner = owner;
        this.spec = spec;
        this.random = new SimRandom(seed);
        this.id = id;
        long rate = spec.rateBitsPerSecond();
        this.burstStepNs = rate > 0 ? Math.max(1, (BURST_STEP_WIRE_BYTES * 8L * 1_000_000_000L + rate - 1) / rate) : 0;
    }

    /** Datagrams offered so far; those numbered [holdFrom, holdFrom + holdCount) are held back holdNs. */
    private long offeredCount;
    private long holdFrom;
    private long holdCount;
    private long holdNs;

    /**
     * Models a cold peer: datagrams number {@code from} to {@code from + count - 1} offered to this link (0 is the
     * first; e.g. a FINISH that a freshly started server handles only after its first key work and class loading)
     * arrive {@code extraNs} late, and the datagrams after them queue behind (a busy process answers in order).
     * Deterministic. Call before the traffic starts.
     */
    public void holdBack(long from, long count, long extraNs) {
        if (from < 0 || count < 0 || extraNs < 0) {
            throw new IllegalArgumentException("from, count and extraNs must be >= 0; got " + from + ", " + count
                    + ", " + extraNs);
        }
        holdFrom = from;
        holdCount = count;
        holdNs = extraNs;
    }

    /** What this link does. */
    public LinkSpec spec() {
        return spec;
    }

    /** Live counters. */
    public LinkStats stats() {
        return stats;
    }

    /** Wire bytes in the queue at the last datagram's entry, counting the one being serialized. */
    public long queuedBytes() {
        return queuedBytes;
    }

    @Override
    public String toString() {
        return "Link#" + id + spec;
    }

    /** Decides the fate of one datagram (bytes [0, length) of src) and schedules each copy that survives. */
    void transmit(long nowNs, byte[] src, int length, InetSocketAddress from, InetSocketAddress to,
            EndpointSlot toSlot) {
        stats.offeredDatagrams++;
        stats.offeredBytes += length;
        long number = offeredCount++;
        if (inBlackout(nowNs)) {
            stats.droppedBlackout++;
            return;
        }
        if (spec.mtuBytes() != 0 && length > spec.mtuBytes() - LinkSpec.IPV4_UDP_OVERHEAD_BYTES) {
            stats.droppedMtu++; // like DF set on a real path: too big is dropped, never fragmented
            return;
        }
        if (spec.lossAtEntry() && random.chance(spec.lossProbability())) {
            stats.droppedLoss++;
            return;
        }
        long departNs = nowNs;
        long queueDelayNs = 0;
        long rate = spec.rateBitsPerSecond();
        if (rate > 0) {
            int wireBytes = length + spec.overheadBytes();
            releaseSerialized(nowNs);
            if (spec.queueBytes() > 0 && queuedBytes + wireBytes > spec.queueBytes()) {
                stats.droppedQueue++;
                return;
            }
            if (busyUntilNs < nowNs || (busyUntilNs == nowNs && busyFractionNum == 0)) {
                busyUntilNs = nowNs;
                busyFractionNum = 0;
            } else {
                queueDelayNs = busyUntilNs - nowNs;
            }
            // wire bits * 1e9 <= 65,535+1,024 bytes * 8e9 ~ 5.3e14: no overflow.
            long numerator = wireBytes * 8L * 1_000_000_000L + busyFractionNum;
            busyUntilNs += numerator / rate;
            busyFractionNum = numerator % rate;
            departNs = busyFractionNum > 0 ? busyUntilNs + 1 : busyUntilNs;
            enqueue(departNs, wireBytes);
        }
        // The burst chain moves for every datagram that left the queue, whatever iid loss decides.
        if (spec.hasBurstLoss() && burstLost(departNs)) {
            stats.droppedBurst++;
            return;
        }
        if (!spec.lossAtEntry() && random.chance(spec.lossProbability())) {
            stats.droppedLoss++;
            return;
        }
        long baseNs = departNs + spec.delayNs();
        if (number >= holdFrom && number - holdFrom < holdCount) {
            baseNs += holdNs;
        }
        long arrivalNs = Math.max(lastDeliveryNs, baseNs + jitter());
        if (random.chance(spec.reorderProbability())) {
            // This datagram alone is held back, so later ones overtake it; lastDeliveryNs stays put.
            stats.reordered++;
            arrivalNs += spec.reorderExtraDelayNs();
        } else {
            lastDeliveryNs = arrivalNs;
        }
        schedule(arrivalNs, src, length, from, to, toSlot, queueDelayNs);
        if (random.chance(spec.duplicateProbability())) {
            stats.duplicated++;
            schedule(baseNs + jitter(), src, length, from, to, toSlot, -1);
        }
    }

    private void schedule(long arrivalNs, byte[] src, int length, InetSocketAddress from, InetSocketAddress to,
            EndpointSlot toSlot, long queueDelayNs) {
        int corruptPosition = -1;
        int corruptMask = 0;
        if (length > 0 && random.chance(spec.corruptProbability())) {
            stats.corrupted++;
            corruptPosition = random.nextInt(length);
            corruptMask = 1 + random.nextInt(255); // 1 to 8 bits of that byte
        }
        owner.scheduleArrival(this, arrivalNs, src, length, from, to, toSlot, queueDelayNs, corruptPosition,
                corruptMask);
    }

    /** Called by the simulator when a copy arrives. */
    void onArrival(int length, long queueDelayNs) {
        stats.deliveredDatagrams++;
        stats.deliveredBytes += length;
        if (queueDelayNs >= 0) {
            stats.queueDelay().record(queueDelayNs);
        }
    }

    private boolean inBlackout(long nowNs) {
        var blackouts = spec.blackouts();
        for (int i = 0, n = blackouts.size(); i < n; i++) {
            if (blackouts.get(i).contains(nowNs)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gilbert-Elliott: the state moves once per datagram that reaches this stage, or, on a rate-limited link, once
     * per {@link #BURST_STEP_WIRE_BYTES} of link time since the previous one if that is more; then it decides the
     * datagram's loss. A bad spell is a span of the link's time, not a number of the sender's datagrams: counted in
     * datagrams only, a sender that backs off to one probe a second (RFC 9002 section 6.2) would stretch a burst of
     * a few milliseconds into minutes, a cut the scenario never asked for.
     */
    private boolean burstLost(long departNs) {
        long steps = 1;
        if (burstStepNs > 0) {
            if (lastBurstNs != Long.MIN_VALUE) {
                steps = Math.max(1, (departNs - lastBurstNs) / burstStepNs);
            }
            lastBurstNs = departNs;
        }
        if (steps == 1) {
            if (burstBad) {
                if (random.chance(spec.burstBadToGood())) {
                    burstBad = false;
                }
            } else if (random.chance(spec.burstGoodToBad())) {
                burstBad = true;
            }
        } else {
            burstBad = random.chance(badAfter(steps));
        }
        return burstBad && random.chance(spec.burstLossInBad());
    }

    /** Chance of the bad state {@code steps} steps on: pi + (bad ? 1 - pi : -pi) * (1 - p - q)^steps. */
    private double badAfter(long steps) {
        double p = spec.burstGoodToBad();
        double q = spec.burstBadToGood();
        if (p + q == 0) {
            return burstBad ? 1 : 0;
        }
        double pi = p / (p + q);
        double decay = Math.pow(1 - p - q, (double) steps);
        return burstBad ? pi + (1 - pi) * decay : pi * (1 - decay);
    }

    private long jitter() {
        long j = spec.jitterNs();
        return j == 0 ? 0 : random.nextLong(j + 1);
    }

    private void releaseSerialized(long nowNs) {
        while (queueCount > 0 && queueEndNs[queueHead] <= nowNs) {
            queuedBytes -= queueWireBytes[queueHead];
            queueHead = (queueHead + 1) & (queueEndNs.length - 1);
            queueCount--;
        }
    }

    private void enqueue(long endNs, int wireBytes) {
        if (queueCount == queueEndNs.length) {
            if (queueCount >= MAX_QUEUE_ENTRIES) {
                throw new SimulationException(queueCount + " datagrams wait in the queue of " + this
                        + ": the sender overruns an unlimited queue; set LinkSpec.queueBytes; " + owner.describeSeed());
            }
            growQueue();
        }
        int tail = (queueHead + queueCount) & (queueEndNs.length - 1);
        queueEndNs[tail] = endNs;
        queueWireBytes[tail] = wireBytes;
        queueCount++;
        queuedBytes += wireBytes;
        if (queuedBytes > stats.maxQueueBytes) {
            stats.maxQueueBytes = queuedBytes;
        }
    }

    private void growQueue() {
        int n = queueEndNs.length;
        long[] ends = new long[n * 2];
        int[] sizes = new int[n * 2];
        for (int i = 0; i < queueCount; i++) {
            ends[i] = queueEndNs[(queueHead + i) & (n - 1)];
            sizes[i] = queueWireBytes[(queueHead + i) & (n - 1)];
        }
        queueEndNs = ends;
        queueWireBytes = sizes;
        queueHead = 0;
    }
}
