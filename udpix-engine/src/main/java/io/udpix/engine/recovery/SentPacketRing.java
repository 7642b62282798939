package io.udpix.engine.recovery;

/**
 * Packets sent and not yet acknowledged or declared lost, indexed by packet number.
 *
 * <p>Packet numbers are consecutive and never reused (RFC 9000 section 12.3), so a ring indexed by
 * {@code packetNumber - basePacketNumber} finds any packet in O(1). Entries are pooled {@link SentPacket}s; the
 * ring grows by doubling up to {@code maxPackets} and never allocates after that. An entry is "done" once acked or
 * lost; the base advances past done entries so the ring holds only the window between the oldest outstanding
 * packet and the newest.
 */
public final class SentPacketRing {
    private SentPacket[] ring;
    private boolean[] done;
    private final int maxPackets;
    private long basePacketNumber;
    private long nextPacketNumber;

    /** A ring for at most {@code maxPackets} outstanding packets, starting at packet number 0. */
    public SentPacketRing(int maxPackets) {
        this.maxPackets = Integer.highestOneBit(Math.max(16, maxPackets));
        int initial = Math.min(this.maxPackets, 1024);
        ring = new SentPacket[initial];
        done = new boolean[initial];
        for (int i = 0; i < initial; i++) {
            ring[i] = new SentPacket();
        }
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

    /** Records a new packet and returns its cleared entry with {@code packetNumber} set; check {@link #hasRoom()} first. */
    public SentPacket add() {
        long span = nextPacketNumber - basePacketNumber;
        if (span >= ring.length) {
            grow();
        }
        int idx = index(nextPacketNumber);
        SentPacket p = ring[idx];
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

    private int index(long packetNumber) {
        return (int) (packetNumber & (ring.length - 1));
    }

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
        for (int i = 0; i < newLength; i++) {
            if (newRing[i] == null) {
                newRing[i] = new SentPacket();
                newDone[i] = true;
            }
        }
        ring = newRing;
        done = newDone;
    }
}
