package io.udpix.wire;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Flyweight over a VERSION packet: the reply to a datagram that has the udpix magic but a version the receiver
 * does not speak. Its header has version 0 (so it can never be mistaken for a packet of any real version), type
 * {@link PacketType#VERSION}, the connection id of the datagram it answers and packet number 0. Offsets are from
 * the packet start.
 *
 * <pre>
 *  0            16       17                         17+count
 *  +------------+--------+--------------------------+-----+
 *  | header     | count  | versions: count x u8     | tag |
 *  | version=0  | u8 1-16| (each one spoken)        |     |
 *  +------------+--------+--------------------------+-----+
 * </pre>
 */
public final class VersionPacket extends PacketFlyweight<VersionPacket> {

    /** The header version byte of every VERSION packet. */
    public static final int HEADER_VERSION = 0;
    /** Offset of the u8 count of versions listed. */
    public static final int COUNT_OFFSET = 16;
    /** Offset of the first u8 version. */
    public static final int VERSIONS_OFFSET = 17;
    /** Most versions one packet lists. */
    public static final int MAX_VERSIONS = 16;

    /** Number of versions listed (1..16 in a well-formed packet). */
    public int count() {
        return BigEndian.getU8(buffer, offset + COUNT_OFFSET);
    }

    /** Sets the number of versions listed (1..16); returns this. */
    public VersionPacket count(int count) {
        requireCount(count);
        BigEndian.putU8(buffer, offset + COUNT_OFFSET, count);
        return this;
    }

    /** The {@code i}-th version listed (0 &lt;= i &lt; 16). */
    public int supportedVersion(int i) {
        return BigEndian.getU8(buffer, offset + VERSIONS_OFFSET + Objects.checkIndex(i, MAX_VERSIONS));
    }

    /** Sets the {@code i}-th version listed (0 &lt;= i &lt; 16, version 1..255); returns this. */
    public VersionPacket supportedVersion(int i, int version) {
        Objects.checkIndex(i, MAX_VERSIONS);
        requireVersion(version);
        BigEndian.putU8(buffer, offset + VERSIONS_OFFSET + i, version);
        return this;
    }

    /** Packet length without tag for {@code count} versions: {@code 17 + count}. */
    public static int length(int count) {
        return VERSIONS_OFFSET + count;
    }

    /**
     * Writes a whole VERSION packet (header version 0, connection id echoed, packet number 0) listing
     * {@code versions[0..count)}; returns the end offset, where the caller seals the tag.
     */
    public static int encode(ByteBuffer buf, int offset, long connectionId, int[] versions, int count) {
        requireCount(count);
        if (versions == null || versions.length < count) {
            throw new IllegalArgumentException("versions holds fewer than " + count + " entries");
        }
        for (int i = 0; i < count; i++) {
            requireVersion(versions[i]);
        }
        Bounds.requireRoom(buf, offset, length(count), "VERSION");
        PacketHeader.write(buf, offset, PacketType.VERSION, connectionId, 0);
        BigEndian.putU8(buf, offset + PacketHeader.VERSION_OFFSET, HEADER_VERSION);
        BigEndian.putU8(buf, offset + COUNT_OFFSET, count);
        for (int i = 0; i < count; i++) {
            BigEndian.putU8(buf, offset + VERSIONS_OFFSET + i, versions[i]);
        }
        return offset + length(count);
    }

    /**
     * Validates a VERSION packet filling exactly {@code [offset, limit)} (limit = where the tag starts): magic,
     * header version 0, type VERSION, count 1..16, no listed version 0. Returns {@code 17 + count} or -1. Never
     * throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        int packetBytes = checkStart(buf, offset, limit, PacketType.VERSION, HEADER_VERSION, VERSIONS_OFFSET);
        if (packetBytes < 0) {
            return -1;
        }
        int count = BigEndian.getU8(buf, offset + COUNT_OFFSET);
        if (count < 1 || count > MAX_VERSIONS || packetBytes != length(count)) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            if (BigEndian.getU8(buf, offset + VERSIONS_OFFSET + i) == HEADER_VERSION) {
                return -1;
            }
        }
        return length(count);
    }

    private static void requireCount(int count) {
        if (count < 1 || count > MAX_VERSIONS) {
            throw new IllegalArgumentException("version count " + count + " is outside 1.." + MAX_VERSIONS);
        }
    }

    private static void requireVersion(int version) {
        if (version < 1 || version > BigEndian.MAX_U8) {
            throw new IllegalArgumentException("version " + version + " is outside 1..255 (0 marks VERSION packets)");
        }
    }
}
