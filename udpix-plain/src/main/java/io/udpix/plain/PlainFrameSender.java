package io.udpix.plain;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * Plain mode's one-datagram form for live frames, as the tutorial's camera loop sends them ({@code cv2.imencode}
 * then one {@code sendto} per frame): each frame, a whole image of at most {@link #MAX_DATAGRAM_BYTES}, goes as one
 * datagram, which udpix's plain receiver (rule 1 of docs/PLAIN_MODE.md: a whole image) and a tutorial-style
 * receiver take as one item. Unlike {@link PlainSender} it never waits for a reply: a camera loop does not wait, so
 * replies are only read when they are already there, and counted. Not thread-safe: one sending thread.
 */
public final class PlainFrameSender implements AutoCloseable {

    /** Largest UDP payload over IPv4: a frame must fit in it. */
    public static final int MAX_DATAGRAM_BYTES = PlainSender.MAX_DATAGRAM_BYTES;
    /** Replies read per call at most, so a flood of replies cannot hold the sending loop. */
    private static final int MAX_REPLIES_PER_POLL = 256;
    private static final int MAX_REPLY_TEXT_CHARS = 200;
    private static final byte[] ERROR_PREFIX = "error".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress target;
    private final DatagramChannel channel;
    private final ByteBuffer replyBuffer = ByteBuffer.allocateDirect(PlainReceiver.MAX_DATAGRAM_BYTES + 1);
    private long framesSent;
    private long bytesSent;
    private long socketFull;
    private long replies;
    private long errorReplies;
    private long unreachable;
    private String lastError;

    private PlainFrameSender(InetSocketAddress target, DatagramChannel channel) {
        this.target = target;
        this.channel = channel;
    }

    /** Opens a non-blocking socket on an ephemeral port, connected to {@code target} so only its replies are read. */
    public static PlainFrameSender open(InetSocketAddress target) throws IOException {
        if (target.isUnresolved()) {
            throw new IOException("cannot resolve host '" + target.getHostString() + "'; check the --to address");
        }
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.connect(target);
            channel.configureBlocking(false);
            return new PlainFrameSender(target, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Sends {@code frame} as one datagram without waiting, then reads the replies already there.
     *
     * @return true when the datagram went to the socket; false when the socket's send buffer was full (the frame is
     *         dropped and counted in {@link #socketFull()}: a camera loop skips a frame rather than wait) or an
     *         earlier datagram was reported unreachable ({@link #unreachable()})
     * @throws IllegalArgumentException when {@code frame} is not an image a plain receiver takes whole (a JPEG, PNG,
     *         GIF, BMP or WebP of 16 to 65,507 bytes)
     * @throws IOException when the socket fails
     */
    public boolean send(byte[] frame) throws IOException {
        if (frame.length > MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("a frame of " + frame.length + " bytes does not fit one datagram ("
                    + MAX_DATAGRAM_BYTES + " bytes at most); lower its quality or size, or use native mode");
        }
        if (ItemSniffer.imageExtension(frame) == null) {
            throw new IllegalArgumentException("a frame of " + frame.length + " bytes is not an image a plain "
                    + "receiver takes as one datagram (JPEG, PNG, GIF, BMP or WebP, at least "
                    + ItemSniffer.MIN_IMAGE_BYTES + " bytes)");
        }
        boolean sent = false;
        try {
            sent = channel.write(ByteBuffer.wrap(frame)) > 0;
            if (!sent) {
                socketFull++;
            }
        } catch (PortUnreachableException e) {
            // An ICMP port unreachable from an earlier datagram: nobody listens (yet). A camera loop goes on.
            unreachable++;
            lastError = "nothing listens at " + text(target) + " (port unreachable)";
        }
        if (sent) {
            framesSent++;
            bytesSent += frame.length;
        }
        pollReplies();
        return sent;
    }

    /** Reads the replies that are already there (at most 256), never waiting; returns how many. */
    public int pollReplies() throws IOException {
        int n = 0;
        for (int attempt = 0; attempt < MAX_REPLIES_PER_POLL; attempt++) {
            replyBuffer.clear();
            int length;
            try {
                length = channel.read(replyBuffer);
            } catch (PortUnreachableException e) {
                unreachable++;
                lastError = "nothing listens at " + text(target) + " (port unreachable)";
                continue;
            }
            if (length <= 0) {
                break;
            }
            n++;
            replies++;
            replyBuffer.flip();
            if (startsWithError(replyBuffer)) {
                errorReplies++;
                byte[] text = new byte[Math.min(replyBuffer.remaining(), MAX_REPLY_TEXT_CHARS)];
                replyBuffer.get(text);
                lastError = "replied: " + new String(text, StandardCharsets.UTF_8);
            }
        }
        return n;
    }

    private static boolean startsWithError(ByteBuffer reply) {
        if (reply.remaining() < ERROR_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < ERROR_PREFIX.length; i++) {
            if (reply.get(reply.position() + i) != ERROR_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    private static String text(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** The receiver's address. */
    public InetSocketAddress target() {
        return target;
    }

    /** Frames that went to the socket. */
    public long framesSent() {
        return framesSent;
    }

    /** Bytes of the frames that went to the socket. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Frames dropped because the socket's send buffer was full. */
    public long socketFull() {
        return socketFull;
    }

    /** Replies read so far (udpix's plain receiver answers each datagram; a tutorial-style one may not). */
    public long replies() {
        return replies;
    }

    /** Replies that started with {@code error}. */
    public long errorReplies() {
        return errorReplies;
    }

    /** ICMP port-unreachable reports seen (nobody listening at the target). */
    public long unreachable() {
        return unreachable;
    }

    /** The last error reply or socket report, or null. */
    public String lastError() {
        return lastError;
    }

    /** Closes the socket. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
