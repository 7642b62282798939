package io.udpix.plain;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Blocking plain-mode client for one receiver address: sends images, files and JSON the tutorial's way and
 * checks the receiver's replies. Not thread-safe; one item at a time.
 *
 * <p>An item goes as one datagram when it is an image or JSON document of at most 65,507 bytes and no chunk
 * size is set; otherwise as a length header, then pieces. Every datagram must be answered (udpix's plain
 * receiver and the tutorial's stop-and-wait server answer each one): with {@code waitEach} the sender waits for
 * each reply before the next datagram; without it, up to {@code maxUnrepliedDatagrams} may be unanswered and the
 * rest of the replies are awaited at the end. A missing reply fails the send: plain mode cannot recover from loss.
 *
 * <pre>{@code
 * try (PlainSender sender = PlainSender.open(new InetSocketAddress("127.0.0.1", 9000), PlainSendOptions.DEFAULTS)) {
 *     sender.sendFile(Path.of("photo.jpg"));
 * }
 * }</pre>
 */
public final class PlainSender implements AutoCloseable {

    /** Largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;
    /** Piece size when chunking and none is given: the tutorial's. */
    public static final int DEFAULT_CHUNK_BYTES = 1024;

    /** Replies left over from an earlier, failed item are skipped, up to this many. */
    private static final int MAX_STALE_REPLIES = 65_536;
    /** Bound on write attempts for one datagram; each waits for buffer space until the reply timeout. */
    private static final int MAX_WRITE_ATTEMPTS = 1024;
    private static final byte[] ERROR_PREFIX = "error".getBytes(StandardCharsets.US_ASCII);
    /** An error reply this short was cut by the receiver (a header is at most 8 bytes). */
    private static final int SHORT_ERROR_REPLY_BYTES = 8;

    private final InetSocketAddress target;
    private final PlainSendOptions options;
    private final DatagramChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer replyBuffer = ByteBuffer.allocateDirect(PlainReceiver.MAX_DATAGRAM_BYTES + 1);
    private final ByteBuffer headerBuffer = ByteBuffer.allocate(8);
    private long sent;
    private long replies;

    private PlainSender(InetSocketAddress target, PlainSendOptions options, DatagramChannel channel,
            Selector selector, SelectionKey key) {
        this.target = target;
        this.options = options;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    /** Opens a socket on an ephemeral port, connected to {@code target} so only its replies are read. */
    public static PlainSender open(InetSocketAddress target, PlainSendOptions options) throws IOException {
        if (target.isUnresolved()) {
            throw new IOException("cannot resolve host '" + target.getHostString() + "'; check the --to address");
        }
        DatagramChannel channel = DatagramChannel.open();
        Selector selector = null;
        try {
            channel.connect(target);
            channel.configureBlocking(false);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            return new PlainSender(target, options, channel, selector, key);
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** The receiver's address. */
    public InetSocketAddress target() {
        return target;
    }

    /** This sender's own address (the receiver keys its state by it). */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Sends {@code item} (not empty) and waits for the replies; see the class comment for the layout. */
    public PlainSendResult sendBytes(byte[] item) throws IOException {
        requireNotEmpty(item.length);
        if (isOneShot(item)) {
            return sendOneDatagram(item);
        }
        return sendChunked(item.length, new PieceSource() {
            private int offset;

            @Override
            public void fill(ByteBuffer dst) {
                int n = dst.remaining();
                dst.put(item, offset, n);
                offset += n;
            }
        });
    }

    /** Sends a file's content, streaming it when it is chunked (any size the header format can declare). */
    public PlainSendResult sendFile(Path file) throws IOException {
        long size = Files.size(file);
        requireNotEmpty(size);
        if (options.chunkBytes() == 0 && size <= MAX_DATAGRAM_BYTES) {
            return sendBytes(Files.readAllBytes(file));
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return sendChunked(size, dst -> {
                for (int i = 0; dst.hasRemaining() && i < MAX_WRITE_ATTEMPTS; i++) {
                    if (in.read(dst) < 0) {
                        throw new IOException(file + " shrank while being sent; send it again");
                    }
                }
                if (dst.hasRemaining()) {
                    throw new IOException("could not read " + file);
                }
            });
        }
    }

    /** Sends one JSON object or array as one datagram and waits for its reply. */
    public PlainSendResult sendJson(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (!ItemSniffer.isJsonDocument(bytes)) {
            throw new IllegalArgumentException("not a JSON object or array; plain receivers take only objects and"
                    + " arrays as messages (wrap a bare value: [42])");
        }
        if (bytes.length > MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("JSON document of " + bytes.length + " bytes does not fit one"
                    + " datagram (" + MAX_DATAGRAM_BYTES + " bytes at most); send it as a file instead");
        }
        return sendOneDatagram(bytes);
    }

    /** Closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    private boolean isOneShot(byte[] item) {
        // A datagram the receiver would not recognise as a whole item must be announced by a header instead.
        return options.chunkBytes() == 0 && item.length <= MAX_DATAGRAM_BYTES
                && (ItemSniffer.imageExtension(item) != null || ItemSniffer.isJsonDocument(item));
    }

    private PlainSendResult sendOneDatagram(byte[] bytes) throws IOException {
        beginItem();
        sendDatagram(ByteBuffer.wrap(bytes));
        awaitAllReplies();
        return new PlainSendResult(bytes.length, sent, false, replies);
    }

    private PlainSendResult sendChunked(long length, PieceSource source) throws IOException {
        PlainHeaderFormat format = options.headerFormat();
        if (length > format.maxLength()) {
            throw new IllegalArgumentException("item of " + length + " bytes is too large for a " + format.describe()
                    + " header; use an 8-byte header format");
        }
        int chunk = options.chunkBytes() == 0 ? DEFAULT_CHUNK_BYTES : options.chunkBytes();
        beginItem();
        headerBuffer.clear();
        format.encode(length, headerBuffer);
        headerBuffer.flip();
        sendDatagram(headerBuffer);
        ByteBuffer piece = ByteBuffer.allocateDirect((int) Math.min(chunk, length));
        // Bounded: one iteration per piece of a finite length.
        for (long offset = 0; offset < length; offset += chunk) {
            piece.clear();
            piece.limit((int) Math.min(chunk, length - offset));
            source.fill(piece);
            piece.flip();
            sendDatagram(piece);
        }
        awaitAllReplies();
        return new PlainSendResult(length, sent, true, replies);
    }

    private void beginItem() throws IOException {
        for (int i = 0; i < MAX_STALE_REPLIES; i++) {
            replyBuffer.clear();
            if (receive() == null) {
                break;
            }
        }
        sent = 0;
        replies = 0;
    }

    private void sendDatagram(ByteBuffer datagram) throws IOException {
        int window = options.waitEach() ? 1 : options.maxUnrepliedDatagrams();
        // Bounded: each turn consumes a reply or throws at the reply timeout.
        while (sent - replies >= window) {
            awaitReply();
        }
        write(datagram);
        sent++;
        for (int i = 0; i < window && readReply(); i++) {
            // Take replies that already arrived, so the socket buffer never fills with them.
        }
    }

    private void write(ByteBuffer datagram) throws IOException {
        for (int i = 0; i < MAX_WRITE_ATTEMPTS; i++) {
            int n;
            try {
                n = channel.write(datagram);
            } catch (PortUnreachableException e) {
                throw refused();
            }
            if (n > 0 || !datagram.hasRemaining()) {
                return;
            }
            // The socket's send buffer is full: wait for room, at most the reply timeout.
            key.interestOps(SelectionKey.OP_WRITE);
            try {
                if (selector.select(millis(options.replyTimeoutNs())) == 0) {
                    throw new PlainSendException("could not send to " + address() + " within "
                            + seconds(options.replyTimeoutNs()) + ": the socket's send buffer stayed full", null);
                }
                selector.selectedKeys().clear();
            } finally {
                key.interestOps(SelectionKey.OP_READ);
            }
        }
        throw new PlainSendException("could not send to " + address() + ": the socket kept refusing the datagram",
                null);
    }

    private void awaitAllReplies() throws IOException {
        // Bounded: each turn consumes a reply or throws at the reply timeout.
        while (replies < sent) {
            awaitReply();
        }
    }

    private void awaitReply() throws IOException {
        long deadlineNs = System.nanoTime() + options.replyTimeoutNs();
        while (!readReply()) {
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                throw new PlainSendException("no reply from " + address() + " within "
                        + seconds(options.replyTimeoutNs()) + "; the receiver may not be running, or datagrams"
                        + " were lost - plain mode cannot recover from loss; use udpix's native mode", null);
            }
            selector.select(millis(leftNs));
            selector.selectedKeys().clear();
        }
    }

    /** Reads one reply if one is there; counts it, or throws for an error reply. */
    private boolean readReply() throws IOException {
        replyBuffer.clear();
        if (receive() == null) {
            return false;
        }
        replyBuffer.flip();
        if (startsWithError(replyBuffer)) {
            byte[] text = new byte[replyBuffer.remaining()];
            replyBuffer.get(text);
            String reply = new String(text, StandardCharsets.UTF_8);
            throw new PlainSendException(address() + " replied: " + reply + cutReplyHint(text.length), reply);
        }
        replies++;
        return true;
    }

    private java.net.SocketAddress receive() throws IOException {
        try {
            return channel.receive(replyBuffer);
        } catch (PortUnreachableException e) {
            throw refused();
        }
    }

    private PlainSendException refused() {
        return new PlainSendException("no reply from " + address() + ": the port is closed (ICMP port unreachable);"
                + " the receiver is not running there, or listens on another port", null);
    }

    private String address() {
        return target.getAddress().getHostAddress().contains(":")
                ? "[" + target.getAddress().getHostAddress() + "]:" + target.getPort()
                : target.getAddress().getHostAddress() + ":" + target.getPort();
    }

    /**
     * A receiver never answers a sender whose header it has not accepted with more bytes than that datagram had
     * (anti-amplification, docs/PLAIN_MODE.md), so a refused 8-byte header gets {@code error: d}: say why it is
     * short and where the cause is.
     */
    private static String cutReplyHint(int replyBytes) {
        if (replyBytes > SHORT_ERROR_REPLY_BYTES) {
            return "";
        }
        return " (cut to the size of the datagram it answers, as plain receivers do for a sender whose length header"
                + " they did not accept; the receiver's log names the cause, e.g. a length above its --max-size or a"
                + " full share)";
    }

    private static boolean startsWithError(ByteBuffer reply) {
        if (reply.remaining() < ERROR_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < ERROR_PREFIX.length; i++) {
            if (Character.toLowerCase(reply.get(reply.position() + i)) != ERROR_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    private static void requireNotEmpty(long lengthBytes) {
        if (lengthBytes == 0) {
            throw new IllegalArgumentException("the item is empty; plain mode cannot send an empty item");
        }
    }

    private static long millis(long ns) {
        return Math.max(1, (ns + 999_999) / 1_000_000);
    }

    private static String seconds(long ns) {
        long ms = ns / 1_000_000;
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    /** Fills the next piece. */
    private interface PieceSource {
        void fill(ByteBuffer dst) throws IOException;
    }
}
