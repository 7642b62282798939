package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over an ACCEPT packet (server to client; header type {@link PacketType#ACCEPT}, connection id = the
 * client's connection id, packet number 0). Offsets are from the packet start.
 *
 * <pre>
 *  0            16                  24          26            30           32          34              38
 *  +------------+-------------------+-----------+-------------+------------+-----------+---------------+-----+
 *  | header     | serverConnection  | maxDatagr.| idleTimeout | helloSize  | max       | initialWindow | tag |
 *  | (16 bytes) | Id u64, nonzero   | Bytes u16 | Ms u32      | Bytes u16  | Transfers | Bytes u32     |     |
 *  |            |                   |           |             |            | u16       |               |     |
 *  +------------+-------------------+-----------+-------------+------------+-----------+---------------+-----+
 * </pre>
 */
public final class AcceptPacket {

    /** Offset of the u64 server connection id (the id the client must put in packets to the server). */
    public static final int SERVER_CONNECTION_ID_OFFSET = 16;
    /** Offset of the u16 largest datagram the server accepts. */
    public static final int MAX_DATAGRAM_BYTES_OFFSET = 24;
    /** Offset of the u32 idle timeout the server settled on, in milliseconds. */
    public static final int IDLE_TIMEOUT_MS_OFFSET = 26;
    /** Offset of the u16 size of the HELLO datagram that got through (the path carries datagrams this big). */
    public static final int HELLO_SIZE_BYTES_OFFSET = 30;
    /** Offset of the u16 number of concurrent transfers the server accepts on this connection. */
    public static final int MAX_TRANSFERS_OFFSET = 32;
    /** Offset of the u32 flow-control credit each new transfer starts with. */
    public static final int INITIAL_WINDOW_BYTES_OFFSET = 34;
    /** Packet length without tag. */
    public static final int LENGTH = 38;

    private final PacketHeader header = new PacketHeader();
    private ByteBuffer buffer;
    private int offset;

    /** Points this flyweight at the packet starting at {@code offset}; returns this. */
    public AcceptPacket wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        header.wrap(buf, offset);
        return this;
    }

    /** The header flyweight over the same packet. */
    public PacketHeader header() {
        return header;
    }

    /** The server's connection id (u64, nonzero in a well-formed ACCEPT). */
    public long serverConnectionId() {
        return BigEndian.getI64(buffer, offset + SERVER_CONNECTION_ID_OFFSET);
    }

    /** Sets the server's connection id (nonzero); returns this. */
    public AcceptPacket serverConnectionId(long serverConnectionId) {
        if (serverConnectionId == 0) {
            throw new IllegalArgumentException("serverConnectionId 0 is reserved; draw another random id");
        }
        BigEndian.putI64(buffer, offset + SERVER_CONNECTION_ID_OFFSET, serverConnectionId);
        return this;
    }

    /** The largest datagram the server accepts, 0..65535. */
    public int maxDatagramBytes() {
        return BigEndian.getU16(buffer, offset + MAX_DATAGRAM_BYTES_OFFSET);
    }

    /** Sets the largest datagram the server accepts (0..65535); returns this. */
    public AcceptPacket maxDatagramBytes(int maxDatagramBytes) {
        Bounds.requireRange("maxDatagramBytes", maxDatagramBytes, BigEndian.MAX_U16);
        BigEndian.putU16(buffer, offset + MAX_DATAGRAM_BYTES_OFFSET, maxDatagramBytes);
        return this;
    }

    /** The idle timeout in milliseconds (0..2^32-1). */
    public long idleTimeoutMs() {
        return BigEndian.getU32(buffer, offset + IDLE_TIMEOUT_MS_OFFSET);
    }

    /** Sets the idle timeout (0..2^32-1 ms); returns this. */
    public AcceptPacket idleTimeoutMs(long idleTimeoutMs) {
        Bounds.requireRange("idleTimeoutMs", idleTimeoutMs, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + IDLE_TIMEOUT_MS_OFFSET, idleTimeoutMs);
        return this;
    }

    /** Size of the HELLO datagram that reached the server, 0..65535. */
    public int helloSizeBytes() {
        return BigEndian.getU16(buffer, offset + HELLO_SIZE_BYTES_OFFSET);
    }

    /** Sets the size of the HELLO datagram that reached the server (0..65535); returns this. */
    public AcceptPacket helloSizeBytes(int helloSizeBytes) {
        Bounds.requireRange("helloSizeBytes", helloSizeBytes, BigEndian.MAX_U16);
        BigEndian.putU16(buffer, offset + HELLO_SIZE_BYTES_OFFSET, helloSizeBytes);
        return this;
    }

    /** Concurrent transfers the server accepts on this connection, 0..65535. */
    public int maxTransfers() {
        return BigEndian.getU16(buffer, offset + MAX_TRANSFERS_OFFSET);
    }

    /** Sets the concurrent transfers the server accepts (0..65535); returns this. */
    public AcceptPacket maxTransfers(int maxTransfers) {
        Bounds.requireRange("maxTransfers", maxTransfers, BigEndian.MAX_U16);
        BigEndian.putU16(buffer, offset + MAX_TRANSFERS_OFFSET, maxTransfers);
        return this;
    }

    /** Flow-control credit each new transfer starts with, in bytes (0..2^32-1). */
    public long initialWindowBytes() {
        return BigEndian.getU32(buffer, offset + INITIAL_WINDOW_BYTES_OFFSET);
    }

    /** Sets the initial per-transfer credit (0..2^32-1 bytes); returns this. */
    public AcceptPacket initialWindowBytes(long initialWindowBytes) {
        Bounds.requireRange("initialWindowBytes", initialWindowBytes, BigEndian.MAX_U32);
        BigEndian.putU32(buffer, offset + INITIAL_WINDOW_BYTES_OFFSET, initialWindowBytes);
        return this;
    }

    /**
     * Writes a whole ACCEPT (header: connection id = the client's, packet number 0); returns the end offset,
     * where the caller seals the tag.
     */
    public static int encode(ByteBuffer buf, int offset, long clientConnectionId, long serverConnectionId,
                             int maxDatagramBytes, long idleTimeoutMs, int helloSizeBytes, int maxTransfers,
                             long initialWindowBytes) {
        if (serverConnectionId == 0) {
            throw new IllegalArgumentException("serverConnectionId 0 is reserved; draw another random id");
        }
        Bounds.requireRange("maxDatagramBytes", maxDatagramBytes, BigEndian.MAX_U16);
        Bounds.requireRange("idleTimeoutMs", idleTimeoutMs, BigEndian.MAX_U32);
        Bounds.requireRange("helloSizeBytes", helloSizeBytes, BigEndian.MAX_U16);
        Bounds.requireRange("maxTransfers", maxTransfers, BigEndian.MAX_U16);
        Bounds.requireRange("initialWindowBytes", initialWindowBytes, BigEndian.MAX_U32);
        Bounds.requireRoom(buf, offset, LENGTH, "ACCEPT");
        PacketHeader.write(buf, offset, PacketType.ACCEPT, clientConnectionId, 0);
        BigEndian.putI64(buf, offset + SERVER_CONNECTION_ID_OFFSET, serverConnectionId);
        BigEndian.putU16(buf, offset + MAX_DATAGRAM_BYTES_OFFSET, maxDatagramBytes);
        BigEndian.putU32(buf, offset + IDLE_TIMEOUT_MS_OFFSET, idleTimeoutMs);
        BigEndian.putU16(buf, offset + HELLO_SIZE_BYTES_OFFSET, helloSizeBytes);
        BigEndian.putU16(buf, offset + MAX_TRANSFERS_OFFSET, maxTransfers);
        BigEndian.putU32(buf, offset + INITIAL_WINDOW_BYTES_OFFSET, initialWindowBytes);
        return offset + LENGTH;
    }

    /**
     * Validates an ACCEPT filling exactly {@code [offset, limit)} (limit = where the tag starts): magic,
     * version 1, type ACCEPT, server connection id nonzero. Returns {@link #LENGTH} or -1. Never throws.
     */
    public static int check(ByteBuffer buf, int offset, int limit) {
        return PacketHeader.checkHeader(buf, offset, limit, PacketType.ACCEPT, PacketHeader.VERSION)
                && limit - offset == LENGTH
                && BigEndian.getI64(buf, offset + SERVER_CONNECTION_ID_OFFSET) != 0
                ? LENGTH : -1;
    }
}
