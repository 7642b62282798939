package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over the 16-byte header that starts every udpix datagram (all packet types).
 *
 * <pre>
 *  0       1       2       3       4                               12              16
 *  +-------+-------+-------+-------+-------------------------------+---------------+
 *  | 0x55  | 0x58  |version| type  | connectionId u64              | packetNumber  |
 *  | magic u16 "UX"|  u8   |  u8   | (the receiver's id)           | u32           |
 *  +-------+-------+-------+-------+-------------------------------+---------------+
 * </pre>
 *
 * <p>Offsets are relative to the packet start. Getters and setters never allocate and never move the buffer's
 * position or limit; setters throw {@link IllegalArgumentException} for values that do not fit their field.
 */
public final class PacketHeader {

    /** Header length in bytes. */
    public static final int LENGTH = 16;
    /** The magic: ASCII "UX". */
    public static final int MAGIC = 0x5558;
    /** The protocol version these codecs speak. */
    public static final int VERSION = 2;
    /** Offset of the u16 magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the u8 version. */
    public static final int VERSION_OFFSET = 2;
    /** Offset of the u8 packet type ({@link PacketType}). */
    public static final int TYPE_OFFSET = 3;
    /** Offset of the u64 destination connection id. */
    public static final int CONNECTION_ID_OFFSET = 4;
    /** Offset of the u32 packet number. */
    public static final int PACKET_NUMBER_OFFSET = 12;
    /** The last packet number; a connection that would need more must close (never reuse one). */
    public static final long MAX_PACKET_NUMBER = BigEndian.MAX_U32;

    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the header starting at {@code offset}; returns this. */
    public PacketHeader wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        return this;
    }

    /** The wrapped buffer. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The packet start inside the buffer. */
    public int offset() {
        return offset;
    }

    /** The u16 magic (0x5558 in a udpix datagram). */
    public int magic() {
        return BigEndian.getU16(buffer, offset + MAGIC_OFFSET);
    }

    /** The u8 version. */
    public int version() {
        return BigEndian.getU8(buffer, offset + VERSION_OFFSET);
    }

    /** The u8 packet type. */
    public int type() {
        return BigEndian.getU8(buffer, offset + TYPE_OFFSET);
    }

    /** The u64 destination connection id (all 64 bits; may read as negative). */
    public long connectionId() {
        return BigEndian.getI64(buffer, offset + CONNECTION_ID_OFFSET);
    }

    /** The u32 packet number, 0..2^32-1. */
    public long packetNumber() {
        return BigEndian.getU32(buffer, offset + PACKET_NUMBER_OFFSET);
    }

    /** Writes the magic 0x5558; returns this. */
    public PacketHeader writeMagic() {
        BigEndian.putU16(buffer, offset + MAGIC_OFFSET, MAGIC);
        return this;
    }

    /** Sets the version (0..255); returns this. */
    public PacketHeader version(int version) {
        Bounds.requireRange("version", version, BigEndian.MAX_U8);
        BigEndian.putU8(buffer, offset + VERSION_OFFSET, version);
        return this;
    }

    /** Sets the packet type (0..255); returns this. */
    public PacketHeader type(int type) {
        Bounds.requireRange("packet type", type, BigEndian.MAX_U8);
        BigEndian.putU8(buffer, offset + TYPE_OFFSET, type);
        return this;
    }

    /** Sets the destination connection id (any 64 bits); returns this. */
    public PacketHeader connectionId(long connectionId) {
        BigEndian.putI64(buffer, offset + CONNECTION_ID_OFFSET, connectionId);
        return this;
    }

    /** Sets the packet number (0..2^32-1); returns this. */
    public PacketHeader packetNumber(long packetNumber) {
        Bounds.requireRange("packetNumber", packetNumber, MAX_PACKET_NUMBER);
        BigEndian.putU32(buffer, offset + PACKET_NUMBER_OFFSET, packetNumber);
        return this;
    }

    /**
     * Writes a whole header (magic, {@link #VERSION}, type, connection id, packet number) at {@code offset};
     * returns {@code offset + 16}, where the body starts.
     */
    public static int write(ByteBuffer buf, int offset, int type, long connectionId, long packetNumber) {
        Bounds.requireRange("packet type", type, BigEndian.MAX_U8);
        Bounds.requireRange("packetNumber", packetNumber, MAX_PACKET_NUMBER);
        BigEndian.putU16(buf, offset + MAGIC_OFFSET, MAGIC);
        BigEndian.putU8(buf, offset + VERSION_OFFSET, VERSION);
        BigEndian.putU8(buf, offset + TYPE_OFFSET, type);
        BigEndian.putI64(buf, offset + CONNECTION_ID_OFFSET, connectionId);
        BigEndian.putU32(buf, offset + PACKET_NUMBER_OFFSET, packetNumber);
        return offset + LENGTH;
    }

    /**
     * True when at least 4 bytes (magic, version, type) lie in {@code [offset, limit)} and the magic matches.
     * Never throws.
     */
    public static boolean hasMagic(ByteBuffer buf, int offset, int limit) {
        return Bounds.fits(buf, offset, limit, TYPE_OFFSET + 1)
                && BigEndian.getU16(buf, offset + MAGIC_OFFSET) == MAGIC;
    }

    /**
     * Returns {@link #LENGTH} when a whole header with the right magic lies in {@code [offset, limit)}, else -1.
     * Does not judge version or type: the caller answers unknown versions with VERSION and dispatches on type.
     * Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return Bounds.fits(buf, offset, limit, LENGTH) && BigEndian.getU16(buf, offset + MAGIC_OFFSET) == MAGIC
                ? LENGTH : -1;
    }
}
