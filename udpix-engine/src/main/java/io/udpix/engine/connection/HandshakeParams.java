package io.udpix.engine.connection;

import io.udpix.engine.EndpointConfig;
import io.udpix.engine.stream.StreamLimits;
import io.udpix.wire.CapabilityBlock;
import io.udpix.wire.HelloPacket;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.ResetPacket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the server announces in the capability block of Noise message 2 (inside ACCEPT), and the helpers both sides
 * share to build the handshake: the prologue and the client's capability block.
 *
 * @param serverConnectionId the id the client puts in its packets
 * @param maxDatagramBytes   largest datagram the server accepts
 * @param idleTimeoutMs      idle timeout the server settled on
 * @param helloSizeBytes     size of the HELLO datagram that reached the server
 * @param maxTransfers       concurrent transfers the server accepts
 * @param initialWindowBytes flow-control credit each new transfer starts with
 * @param resetToken         16-byte stateless reset token for {@code serverConnectionId}
 * @param features           {@link CapabilityBlock#FEATURES} bits
 * @param streamLimits       what the server takes in frame streams (its STREAM_LIMITS, or the defaults when it set
 *                           STREAMS without a valid entry); null when it does not take streams
 */
public record HandshakeParams(long serverConnectionId, int maxDatagramBytes, long idleTimeoutMs, int helloSizeBytes,
        int maxTransfers, long initialWindowBytes, byte[] resetToken, long features, StreamLimits streamLimits) {

    /** The prologue's label, then the HELLO's fixed fields follow. */
    static final byte[] PROLOGUE_LABEL = ("udpix/" + PacketHeader.VERSION).getBytes(StandardCharsets.US_ASCII);
    /** Types the server's block must carry or may carry with the must-understand bit. */
    static final int[] KNOWN = {CapabilityBlock.SERVER_CONNECTION_ID, CapabilityBlock.MAX_DATAGRAM_BYTES,
        CapabilityBlock.IDLE_TIMEOUT_MS, CapabilityBlock.HELLO_SIZE_BYTES, CapabilityBlock.MAX_TRANSFERS,
        CapabilityBlock.INITIAL_WINDOW_BYTES, CapabilityBlock.RESET_TOKEN, CapabilityBlock.FEATURES,
        CapabilityBlock.STREAM_LIMITS};
    /** Features this engine always speaks; STREAMS is added when the endpoint takes streams. */
    public static final long OUR_FEATURES = CapabilityBlock.FEATURE_DIGEST_FOLLOWS
            | CapabilityBlock.FEATURE_ITEM_EXTENSIONS;

    /** The FEATURES bits an endpoint with {@code config} announces (docs/PROTOCOL.md sections 3.7 and 5.8.1). */
    public static long features(EndpointConfig config) {
        long features = OUR_FEATURES | (config.acceptStreams ? CapabilityBlock.FEATURE_STREAMS : 0);
        return config.advertiseItemExtensions ? features : features & ~CapabilityBlock.FEATURE_ITEM_EXTENSIONS;
    }

    /** The stream limits an endpoint with {@code config} announces, or null when it takes no streams. */
    public static StreamLimits announcedStreamLimits(EndpointConfig config) {
        return config.acceptStreams ? config.streamLimits() : null;
    }

    /** The Noise prologue: "udpix/2" and the HELLO's fixed fields [0, 30) starting at {@code helloStart}. */
    public static byte[] prologue(ByteBuffer hello, int helloStart) {
        byte[] p = new byte[PROLOGUE_LABEL.length + HelloPacket.PROLOGUE_FIELDS_END];
        System.arraycopy(PROLOGUE_LABEL, 0, p, 0, PROLOGUE_LABEL.length);
        hello.get(helloStart, p, PROLOGUE_LABEL.length, HelloPacket.PROLOGUE_FIELDS_END);
        return p;
    }

    /** The capability block of a client with the default configuration (takes streams, default limits). */
    public static byte[] clientBlock() {
        return clientBlock(OUR_FEATURES | CapabilityBlock.FEATURE_STREAMS, StreamLimits.DEFAULTS);
    }

    /** The client's capability block (messages 1 and 3): its features and, when it takes streams, its limits. */
    public static byte[] clientBlock(EndpointConfig config) {
        return clientBlock(features(config), announcedStreamLimits(config));
    }

    private static byte[] clientBlock(long features, StreamLimits limits) {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = CapabilityBlock.putNumber(b, 0, CapabilityBlock.FEATURES, 4, features);
        n = putStreamLimits(b, n, limits);
        byte[] out = new byte[n];
        b.get(0, out);
        return out;
    }

    private static int putStreamLimits(ByteBuffer b, int offset, StreamLimits limits) {
        return limits == null ? offset : CapabilityBlock.putStreamLimits(b, offset, limits.maxStreams(),
                limits.maxFrameBytes(), limits.latencyMinMs(), limits.latencyMaxMs());
    }

    /**
     * What a peer's capability block says about frame streams: its limits when it set FEATURES bit STREAMS (the
     * defaults of docs/PROTOCOL.md section 5.8.1 when its STREAM_LIMITS entry is absent or malformed), else null.
     * For a block {@link CapabilityBlock#check} accepted; never throws.
     */
    public static StreamLimits peerStreamLimits(byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block);
        if (CapabilityBlock.check(b, 0, block.length, KNOWN) < 0) {
            return null;
        }
        return streamLimits(b, block.length, CapabilityBlock.number(b, 0, block.length, CapabilityBlock.FEATURES, 0));
    }

    /** The FEATURES bits of a peer's capability block (0 when absent or the block is malformed). Never throws. */
    public static long peerFeatures(byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block);
        if (CapabilityBlock.check(b, 0, block.length, KNOWN) < 0) {
            return 0;
        }
        return CapabilityBlock.number(b, 0, block.length, CapabilityBlock.FEATURES, 0);
    }

    private static StreamLimits streamLimits(ByteBuffer b, int n, long features) {
        if ((features & CapabilityBlock.FEATURE_STREAMS) == 0) {
            return null;
        }
        long[] values = new long[4];
        return CapabilityBlock.streamLimits(b, 0, n, values) ? StreamLimits.fromWire(values) : StreamLimits.DEFAULTS;
    }

    /** Null when a client block is acceptable, else why not. */
    public static String checkClientBlock(byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block);
        int r = CapabilityBlock.check(b, 0, block.length, CapabilityBlock.FEATURES);
        if (r == CapabilityBlock.UNKNOWN_MUST_UNDERSTAND) {
            return unknownType(b, block.length, new int[] {CapabilityBlock.FEATURES});
        }
        return r < 0 ? "the client's capability block is malformed" : null;
    }

    private static String unknownType(ByteBuffer b, int length, int[] known) {
        int type = CapabilityBlock.firstUnknownMustUnderstand(b, 0, length, known);
        return String.format("the peer requires capability 0x%04X, which this udpix does not know; install "
                + "matching udpix versions", type);
    }

    /** This block as bytes. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(128);
        int o = CapabilityBlock.putNumber(b, 0, CapabilityBlock.SERVER_CONNECTION_ID, 8, serverConnectionId);
        o = CapabilityBlock.putNumber(b, o, CapabilityBlock.MAX_DATAGRAM_BYTES, 2, maxDatagramBytes);
        o = CapabilityBlock.putNumber(b, o, CapabilityBlock.IDLE_TIMEOUT_MS, 4, idleTimeoutMs);
        o = CapabilityBlock.putNumber(b, o, CapabilityBlock.HELLO_SIZE_BYTES, 2, helloSizeBytes);
        o = CapabilityBlock.putNumber(b, o, CapabilityBlock.MAX_TRANSFERS, 2, maxTransfers);
        o = CapabilityBlock.putNumber(b, o, CapabilityBlock.INITIAL_WINDOW_BYTES, 4, initialWindowBytes);
        o = CapabilityBlock.putBytes(b, o, CapabilityBlock.RESET_TOKEN, resetToken);
        o = CapabilityBlock.putNumber(b, o, CapabilityBlock.FEATURES, 4, features);
        if ((features & CapabilityBlock.FEATURE_STREAMS) != 0) {
            o = putStreamLimits(b, o, streamLimits == null ? StreamLimits.DEFAULTS : streamLimits);
        }
        byte[] out = new byte[o];
        b.get(0, out);
        return out;
    }

    /** Parsed server block, or the reason it is refused. */
    public record Parsed(HandshakeParams params, String error) {
    }

    /** Parses the server's block from message 2. */
    public static Parsed parse(byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block);
        int n = block.length;
        int r = CapabilityBlock.check(b, 0, n, KNOWN);
        if (r == CapabilityBlock.UNKNOWN_MUST_UNDERSTAND) {
            return new Parsed(null, unknownType(b, n, KNOWN));
        }
        int token = CapabilityBlock.find(b, 0, n, CapabilityBlock.RESET_TOKEN);
        long serverId = CapabilityBlock.number(b, 0, n, CapabilityBlock.SERVER_CONNECTION_ID, 0);
        if (r < 0 || serverId == 0 || token < 0 || CapabilityBlock.length(b, token) != ResetPacket.TOKEN_LENGTH) {
            return new Parsed(null, "the server's capability block is malformed or lacks its connection id or "
                    + "reset token");
        }
        byte[] resetToken = new byte[ResetPacket.TOKEN_LENGTH];
        b.get(token + CapabilityBlock.ENTRY_HEADER_BYTES, resetToken);
        long features = CapabilityBlock.number(b, 0, n, CapabilityBlock.FEATURES, 0);
        return new Parsed(new HandshakeParams(serverId,
                (int) CapabilityBlock.number(b, 0, n, CapabilityBlock.MAX_DATAGRAM_BYTES, 1200),
                CapabilityBlock.number(b, 0, n, CapabilityBlock.IDLE_TIMEOUT_MS, 0),
                (int) CapabilityBlock.number(b, 0, n, CapabilityBlock.HELLO_SIZE_BYTES, 0),
                (int) CapabilityBlock.number(b, 0, n, CapabilityBlock.MAX_TRANSFERS, 0),
                CapabilityBlock.number(b, 0, n, CapabilityBlock.INITIAL_WINDOW_BYTES, 0),
                resetToken, features, streamLimits(b, n, features)), null);
    }
}
