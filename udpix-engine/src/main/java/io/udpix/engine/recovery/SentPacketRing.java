package io.udpix.engine.recovery;

/**
 * Packets sent and not yet acknowledged or declared lost, indexed by packet number.
 *
 * <p>Packet numbers are consecutive and never reused (RFC 9000 section 12.3), so a ring indexed by
 * {@code packetNumber - basePacketNumber} finds any packet in O(1). Entries are pooled {@link SentPacket}s.
 *
 * <p>Memory follows what is in flight: the ring starts at {@link #INITIAL_PACKETS} slots, doubles when the window
 * outgrows it (up to {@code maxPackets}), creates each pooled entry the first time its slot is used, and
 * {@link #shrinkIfIdle} gives the pool back when the connection goes idle. An entry is
 * "done" once acked or lost; the base advances past done entries so the ring holds only the window between the
 * oldest outstanding packet and the newest. After warm-up the send path allocates nothing.
 */
public final class SentPacketRing {
    /** Slots of a new or idle ring: a handshake and a few keep-alives fit without growing. */
    public static final int INITIAL_PACKETS = 16;

    private SentPacket[] ring;
    private boolean[] done;
    private final int maxPackets;
    private long basePacketNumber;
    private long nextPacketNumber;

    /** A ring for at most {@code maxPackets} outstanding packets, starting at packet number 0. */
    public SentPacketRing(int maxPackets) {
        this.maxPackets = Integer.highestOneBit(Math.max(INITIAL_PACKETS, maxPackets));
        ring = new SentPacket[INITIAL_PACKETS];
        done = new boolean[INITIAL_PACKETS];
    }

    /** The packet number the next {@link #add} gets. */
    public long nextPacketNumber() {
        return nextPacketNumber;
    }

    /** Lowest packet number still outstanding (or {@link #nextPacketNumber()} when none). */
    public long basePacketNumber() {
        return basePacketNumber;
    }

    /** True when another packet can be recorded (the window is under the limit). */
    public boolean hasRoom() {
        return nextPacketNumber - basePacketNumber < maxPackets;
    }

    /** Slots allocated now (for tests and memory accounting). */
    public int capacity() {
        return ring.length;
    }

    /** Records a new packet and returns its cleared entry with {@code packetNumber} set; check {@link #hasRoom()} first. */
    public SentPacket add() {
        long span = nextPacketNumber - basePacketNumber;
        if (span >= ring.length) {
            grow();
        }
        int idx = index(nextPacketNumber);
        SentPacket p = ring[idx];
        if (p == null) {
            p = new SentPacket(); // first use of this slot; pooled from now on
            ring[idx] = p;
        }
        p.clear();
        p.packetNumber = nextPacketNumber;
        done[idx] = false;
        nextPacketNumber++;
        return p;
    }

    /** The outstanding packet {@code packetNumber}, or null when unknown, acknowledged or lost. */
    public SentPacket get(long packetNumber) {
        if (packetNumber < basePacketNumber || packetNumber >= nextPacketNumber) {
            return null;
        }
        int idx = index(packetNumber);
        return done[idx] ? null : ring[idx];
    }

    /** Marks {@code packet} acknowledged or lost; its entry is reused later, so read it before calling this. */
    public void markDone(SentPacket packet) {
        int idx = index(packet.packetNumber);
        done[idx] = true;
        while (basePacketNumber < nextPacketNumber && done[index(basePacketNumber)]) {
            basePacketNumber++;
        }
    }

    /**
     * Gives the pool back when the connection is idle: if the outstanding window (at most a few ACK-only packets
     * that nobody acknowledges on an idle connection) fits in {@link #INITIAL_PACKETS} slots, the ring goes back to
     * that size, keeping those entries. Called from the connection's idle timer, not on every ack, so a bursty
     * sender does not regrow the ring between bursts. Returns whether it shrank.
     */
    public boolean shrinkIfIdle() {
        long span = nextPacketNumber - basePacketNumber;
        if (ring.length == INITIAL_PACKETS || span > INITIAL_PACKETS) {
            return false;
        }
        SentPacket[] newRing = new SentPacket[INITIAL_PACKETS];
        boolean[] newDone = new boolean[INITIAL_PACKETS];
        for (long pn = basePacketNumber; pn < nextPacketNumber; pn++) {
            int from = index(pn);
            int to = (int) (pn & (INITIAL_PACKETS - 1));
            newRing[to] = ring[from];
            newDone[to] = done[from];
        }
        ring = newRing;
        done = newDone;
        return true;
    }

    private int index(long packetNumber) {
        return (int) (packetNumber & (ring.length - 1));
    }

    /** Called only when full (every slot in the window), so every pooled entry moves over. */
    private void grow() {
        int newLength = ring.length * 2;
        SentPacket[] newRing = new SentPacket[newLength];
        boolean[] newDone = new boolean[newLength];
        for (long pn = basePacketNumber; pn < nextPacketNumber; pn++) {
            int from = index(pn);
            int to = (int) (pn & (newLength - 1));
            newRing[to] = ring[from];
            newDone[to] = done[from];
            ring[from] = null;
        }
        ring = newRing;
        done = newDone;
    }
}
