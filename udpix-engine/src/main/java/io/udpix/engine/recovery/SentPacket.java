package io.udpix.engine.recovery;

/**
 * What the sender remembers about one packet in flight; instances are pooled in a ring and reused, never
 * allocated per packet.
 */
public final class SentPacket {
    /** Packet number (never reused on a connection). */
    public long packetNumber;
    /** When it was sent. */
    public long timeSentNs;
    /** Datagram size, header and trailer included. */
    public int sizeBytes;
    /** Whether the packet elicits an acknowledgement (anything but ACK/PADDING only). */
    public boolean ackEliciting;
    /** Whether it counts towards bytes in flight (RFC 9002 section 2: ack-eliciting or padding). */
    public boolean inFlight;
    /** A path MTU probe: its loss is not a congestion signal (RFC 8899 section 4.4). */
    public boolean mtuProbe;

    // Delivery-rate sampling state, set by the congestion controller when the packet is sent
    // (draft-cheng-iccrg-delivery-rate-estimation section 3.2).
    /** Connection's delivered bytes when this packet was sent. */
    public long delivered;
    /** Time of the latest delivery when this packet was sent. */
    public long deliveredTimeNs;
    /** Send time of the first packet of the flight this packet belongs to. */
    public long firstSentTimeNs;
    /** Whether the sender was application-limited when this packet was sent. */
    public boolean appLimited;

    // What the packet carried, so that its content can be re-queued if it is lost.
    /** Transfer id of the CHUNK frame it carried, or -1. */
    public int chunkTransferId = -1;
    /** Content offset of that chunk. */
    public long chunkOffset;
    /** Content length of that chunk. */
    public int chunkLength;
    /** Stream id of the FRAGMENT or PARITY frame it carried, or -1 (docs/PROTOCOL.md sections 4.14-4.15). */
    public int streamId = -1;
    /** Frame number of that FRAGMENT or PARITY. */
    public long streamFrameNumber;
    /** Fragment index of that FRAGMENT, or -1 (none, or a PARITY). */
    public int streamFragment = -1;
    /** Parity group of that PARITY, or -1 (none, or a FRAGMENT): parity is never sent again. */
    public int streamParityGroup = -1;
    /** Bit set of control frames carried (see the engine's ControlFrames); re-queued on loss. */
    public long controlMask;
    /** Largest packet number acknowledged by an ACK frame this packet carried, or -1. */
    public long largestAckCarried = -1;
    /** Maximum transfers whose control frames (OPEN, WINDOW, RESULT, CANCEL) one packet records. */
    public static final int MAX_CONTROL_ENTRIES = 8;
    /** Transfer IDs whose control frames this packet carried. */
    public final int[] controlTransferIds = new int[MAX_CONTROL_ENTRIES];
    /** Per entry, which control frames (bit mask defined by the connection) it carried. */
    public final int[] controlFrames = new int[MAX_CONTROL_ENTRIES];
    /** Per entry, the value the control frame named when it needs one (ABANDON's frame number), else 0. */
    public final long[] controlValues = new long[MAX_CONTROL_ENTRIES];
    /** Entries used in the arrays above. */
    public int controlCount;

    /** Resets every field so that the slot can be reused. */
    public void clear() {
        packetNumber = -1;
        timeSentNs = 0;
        sizeBytes = 0;
        ackEliciting = false;
        inFlight = false;
        mtuProbe = false;
        delivered = 0;
        deliveredTimeNs = 0;
        firstSentTimeNs = 0;
        appLimited = false;
        chunkTransferId = -1;
        chunkOffset = 0;
        chunkLength = 0;
        streamId = -1;
        streamFrameNumber = 0;
        streamFragment = -1;
        streamParityGroup = -1;
        controlMask = 0;
        largestAckCarried = -1;
        controlCount = 0;
    }
}
