package io.udpix.wire;

import java.nio.ByteBuffer;

/**
 * What every handshake packet flyweight shares (model: Aeron's {@code HeaderFlyweight}): the wrapped buffer, the
 * packet start and the {@link PacketHeader} view over its first 16 bytes, plus the common-header part of each
 * packet's {@code check}, so that the header rules (magic, version, type, room for the fixed fields) are written
 * once. Only this package subclasses it (the constructor is package-private).
 *
 * @param <T> the concrete packet type, so that {@link #wrap} returns it for chained reads
 */
public abstract class PacketFlyweight<T extends PacketFlyweight<T>> {

    private final PacketHeader header = new PacketHeader();
    /** The wrapped buffer; read by the subclasses' getters and setters. */
    ByteBuffer buffer;
    /** The packet start inside {@link #buffer}; field offsets are relative to it. */
    int offset;

    PacketFlyweight() {
    }

    /** Points this flyweight (and its header view) at the packet starting at {@code offset}; returns this. */
    @SuppressWarnings("unchecked") // T is the subclass itself: every subclass is declared as X extends ...<X>.
    public final T wrap(ByteBuffer buf, int offset) {
        this.buffer = buf;
        this.offset = offset;
        header.wrap(buf, offset);
        return (T) this;
    }

    /** The header flyweight over the same packet. */
    public final PacketHeader header() {
        return header;
    }

    /**
     * The common start of every handshake packet's {@code check}: a whole header in {@code [offset, limit)} with
     * the magic, {@code version} and {@code type}, and at least {@code fixedBytes} (header included) before
     * {@code limit} for the packet's fixed fields. Returns {@code limit - offset}, the packet length without tag,
     * or -1. Never throws, for any arguments.
     */
    static int checkStart(ByteBuffer buf, int offset, int limit, int type, int version, int fixedBytes) {
        return Bounds.fits(buf, offset, limit, Math.max(PacketHeader.LENGTH, fixedBytes))
                && BigEndian.getU16(buf, offset + PacketHeader.MAGIC_OFFSET) == PacketHeader.MAGIC
                && BigEndian.getU8(buf, offset + PacketHeader.VERSION_OFFSET) == version
                && BigEndian.getU8(buf, offset + PacketHeader.TYPE_OFFSET) == type
                ? limit - offset : -1;
    }
}
