package io.udpix.cli.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of docs/PROTOCOL.md section 4 written and read byte by byte, independently of the product's codecs,
 * so the attack tests speak the wire format as an outsider would. Frames do not depend on how packets are
 * protected, so they stay valid when the packet layer changes (CRC32C in version 1, AES-256-GCM in version 2).
 */
public final class Frames {
    /** PING frame type. */
    public static final int PING = 0x01;
    /** ACK frame type. */
    public static final int ACK = 0x02;
    /** OPEN frame type. */
    public static final int OPEN = 0x10;
    /** CHUNK frame type. */
    public static final int CHUNK = 0x11;
    /** WINDOW frame type. */
    public static final int WINDOW = 0x12;
    /** RESULT frame type. */
    public static final int RESULT = 0x13;
    /** CANCEL frame type. */
    public static final int CANCEL = 0x14;
    /** DIGEST frame type. */
    public static final int DIGEST = 0x15;
    /** CLOSE frame type. */
    public static final int CLOSE = 0x1C;

    /** Transfer kinds (section 4.10). */
    public static final int KIND_BYTES = 0;
    /** A JSON document. */
    public static final int KIND_JSON = 2;
    /** A file. */
    public static final int KIND_FILE = 3;

    private Frames() {
    }

    /** PING: makes a packet ack-eliciting (keep-alive). */
    public static byte[] ping() {
        return new byte[] {PING};
    }

    /** ACK of {@code [largest - firstRange, largest]}, no further ranges, no delay. */
    public static byte[] ack(long largest, long firstRange) {
        ByteBuffer b = ByteBuffer.allocate(14);
        b.put((byte) ACK).putInt((int) largest).putInt(0).put((byte) 0).putInt((int) firstRange);
        return b.array();
    }

    /** OPEN of transfer {@code id}: metadata before any data. */
    public static byte[] open(long id, int kind, long sizeBytes, byte[] sha256, String mediaType, String name) {
        byte[] media = mediaType.getBytes(StandardCharsets.US_ASCII);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(49 + media.length + nameBytes.length);
        b.put((byte) OPEN).putInt((int) id).put((byte) kind).put((byte) 0).putLong(sizeBytes).put(sha256);
        b.put((byte) media.length).put(media).put((byte) nameBytes.length).put(nameBytes);
        return b.array();
    }

    /** CHUNK of transfer {@code id}: {@code data} at content offset {@code offset}. */
    public static byte[] chunk(long id, long offset, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(15 + data.length);
        b.put((byte) CHUNK).putInt((int) id).putLong(offset).putShort((short) data.length).put(data);
        return b.array();
    }

    /** RESULT of transfer {@code id} with {@code code} and the hash the receiver claims it computed. */
    public static byte[] result(long id, int code, byte[] sha256) {
        ByteBuffer b = ByteBuffer.allocate(40);
        b.put((byte) RESULT).putInt((int) id).putShort((short) code).put(sha256).put((byte) 0);
        return b.array();
    }

    /** CLOSE with {@code code} and {@code reason}. */
    public static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + text.length);
        b.put((byte) CLOSE).putShort((short) code).put((byte) text.length).put(text);
        return b.array();
    }

    /** Frames concatenated into one packet body. */
    public static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    /** One frame read from a packet body. */
    public record Frame(int type, long transferId, int code, long offset, byte[] bytes) {
    }

    /**
     * The frames of a DATA body; stops at the first frame it cannot read (an unknown type hides everything after
     * it, section 4). For RESULT, CANCEL and CLOSE {@code code} is the error code; for WINDOW {@code offset} is the
     * maximum offset; for ACK {@code offset} is the largest acknowledged.
     */
    public static List<Frame> parse(byte[] body) {
        List<Frame> frames = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(body);
        while (b.hasRemaining()) {
            int type = b.get() & 0xFF;
            try {
                switch (type) {
                    case 0x00 -> {
                        continue;
                    }
                    case PING -> frames.add(new Frame(PING, -1, -1, -1, new byte[0]));
                    case ACK -> {
                        long largest = b.getInt() & 0xFFFF_FFFFL;
                        b.getInt();
                        int ranges = b.get() & 0xFF;
                        b.getInt();
                        b.position(b.position() + 8 * ranges);
                        frames.add(new Frame(ACK, -1, -1, largest, new byte[0]));
                    }
                    case OPEN -> {
                        long id = b.getInt() & 0xFFFF_FFFFL;
                        b.position(b.position() + 1 + 1 + 8 + 32);
                        int m = b.get() & 0xFF;
                        b.position(b.position() + m);
                        int n = b.get() & 0xFF;
                        b.position(b.position() + n);
                        frames.add(new Frame(OPEN, id, -1, -1, new byte[0]));
                    }
                    case CHUNK -> {
                        long id = b.getInt() & 0xFFFF_FFFFL;
                        long offset = b.getLong();
                        byte[] data = new byte[b.getShort() & 0xFFFF];
                        b.get(data);
                        frames.add(new Frame(CHUNK, id, -1, offset, data));
                    }
                    case WINDOW -> {
                        long id = b.getInt() & 0xFFFF_FFFFL;
                        frames.add(new Frame(WINDOW, id, -1, b.getLong(), new byte[0]));
                    }
                    case RESULT -> {
                        long id = b.getInt() & 0xFFFF_FFFFL;
                        int code = b.getShort() & 0xFFFF;
                        byte[] sha = new byte[32];
                        b.get(sha);
                        byte[] reason = new byte[b.get() & 0xFF];
                        b.get(reason);
                        frames.add(new Frame(RESULT, id, code, -1, reason));
                    }
                    case CANCEL -> {
                        long id = b.getInt() & 0xFFFF_FFFFL;
                        int code = b.getShort() & 0xFFFF;
                        byte[] reason = new byte[b.get() & 0xFF];
                        b.get(reason);
                        frames.add(new Frame(CANCEL, id, code, -1, reason));
                    }
                    case DIGEST -> {
                        long id = b.getInt() & 0xFFFF_FFFFL;
                        b.position(b.position() + 32);
                        frames.add(new Frame(DIGEST, id, -1, -1, new byte[0]));
                    }
                    case CLOSE -> {
                        int code = b.getShort() & 0xFFFF;
                        byte[] reason = new byte[b.get() & 0xFF];
                        b.get(reason);
                        frames.add(new Frame(CLOSE, -1, code, -1, reason));
                    }
                    default -> {
                        return frames;
                    }
                }
            } catch (RuntimeException e) {
                return frames; // Truncated: what was read so far.
            }
        }
        return frames;
    }
}
