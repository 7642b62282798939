package io.udpix.api;

import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import io.udpix.driver.Driver;
import io.udpix.engine.Endpoint;
import io.udpix.engine.stream.FrameAdmission;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamStats;
import io.udpix.wire.ErrorCode;
import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link FrameStream} of a {@link UdpixClient}. Frames pass to the driver thread through a one-frame slot:
 * {@code send} swaps its frame into the slot and queues at most one hand-over command at a time, so neither the
 * driver's command queue nor memory grows when the application sends faster than the link carries (the engine
 * then keeps at most one waiting frame too: latest wins twice, never a queue).
 */
final class OutgoingFrameStream implements FrameStream {
    /** How often the driver thread refreshes the figures {@link #stats()} returns while frames flow. */
    private static final long STATS_REFRESH_NS = 100_000_000L;

    private final Driver<Endpoint> driver;
    private final Endpoint endpoint;
    private final long connectionId;
    private final StreamOptions options;
    private final String server;
    private final FrameEncoder encoder;
    private final AtomicReference<PendingFrame> slot = new AtomicReference<>();
    private final AtomicBoolean handOffQueued = new AtomicBoolean();
    private final AtomicLong droppedBeforeEngine = new AtomicLong();
    private final AtomicLong refusedByEngine = new AtomicLong();
    private final CompletableFuture<StreamStats> ended = new CompletableFuture<>();
    /** Completes when the engine reports the stream taken (StreamOpened), or fails when it ended first. */
    final CompletableFuture<Void> opened = new CompletableFuture<>();
    private volatile int id = -1;
    /** The largest frame the server takes (its STREAM_LIMITS), known once the stream is open; 0 until then. */
    private volatile long peerMaxFrameBytes;
    private final AtomicLong framesTooLarge = new AtomicLong();
    private volatile StreamStats stats;
    private volatile UdpixException failure;
    private volatile boolean closed;
    /** Driver thread only. */
    private long statsAtNs = Long.MIN_VALUE;

    OutgoingFrameStream(Driver<Endpoint> driver, Endpoint endpoint, long connectionId, StreamOptions options,
            String server) {
        this.driver = driver;
        this.endpoint = endpoint;
        this.connectionId = connectionId;
        this.options = options;
        this.server = server;
        this.encoder = new FrameEncoder(options);
    }

    /** The server's frame limit (driver thread, when the stream opened; docs/PROTOCOL.md 5.8.1). */
    void peerMaxFrameBytes(long bytes) {
        this.peerMaxFrameBytes = bytes;
    }

    /** The engine gave the stream its id (driver thread, before anyone can send). */
    void assignId(int streamId) {
        this.id = streamId;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public StreamOptions options() {
        return options;
    }

    @Override
    public void send(BufferedImage image) throws UdpixException {
        send(image, System.nanoTime());
    }

    @Override
    public void send(BufferedImage image, long captureNs) throws UdpixException {
        Objects.requireNonNull(image, "image");
        if (options.codec() != StreamCodec.JPEG) {
            throw new IllegalStateException("send(BufferedImage) encodes JPEG, but the stream was opened with codec "
                    + options.codec() + "; open it with codec JPEG or send encoded bytes");
        }
        checkOpen();
        send(encoder.encode(image, stats), captureNs);
    }

    @Override
    public void send(byte[] encoded) throws UdpixException {
        send(encoded, System.nanoTime());
    }

    @Override
    public void send(byte[] encoded, long captureNs) throws UdpixException {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length == 0) {
            throw new IllegalArgumentException("a frame must have at least one byte");
        }
        checkOpen();
        long max = peerMaxFrameBytes;
        if (max > 0 && encoded.length > max) {
            // Refused here, on the caller's thread, rather than dropped unseen by the engine (which would refuse it
            // too): the application learns at once, and the stream stays open for the next, smaller frame.
            framesTooLarge.incrementAndGet();
            throw new UdpixException(UdpixException.Kind.TOO_LARGE, ErrorCode.TOO_LARGE, "a frame of "
                    + encoded.length + " bytes is larger than the server at " + server + " takes (at most " + max
                    + " bytes per frame); send a smaller frame (lower the quality or the size), or raise the "
                    + "server's limit (udpix serve --max-frame-size); the stream stays open", null);
        }
        PendingFrame older = slot.getAndSet(new PendingFrame(encoded, captureNs));
        if (older != null) {
            droppedBeforeEngine.incrementAndGet();
        }
        if (handOffQueued.compareAndSet(false, true)) {
            try {
                driver.execute(ep -> handOff());
            } catch (RejectedExecutionException e) {
                handOffQueued.set(false);
                // A full command queue only delays this frame (the slot keeps it); a closed client ends the stream.
                if (closed || failure != null) {
                    checkOpen();
                }
            }
        }
    }

    private void checkOpen() throws UdpixException {
        UdpixException why = failure;
        if (why != null) {
            throw new UdpixException(why.kind(), why.errorCode(), why.getMessage(), why);
        }
        if (closed) {
            throw new UdpixException(UdpixException.Kind.CONNECTION_CLOSED, ErrorCode.CLOSED, "stream " + id
                    + " to " + server + " was closed; open a new one", null);
        }
    }

    /** Driver thread: gives the engine the newest frame. */
    private void handOff() {
        handOffQueued.set(false); // Before taking the slot: a frame swapped in after this queues a new hand-over.
        PendingFrame frame = slot.getAndSet(null);
        if (frame == null || failure != null) {
            return;
        }
        long nowNs = System.nanoTime();
        FrameAdmission admission = endpoint.sendFrame(connectionId, id, frame.bytes, frame.captureNs, nowNs);
        if (admission == FrameAdmission.REFUSED) {
            refusedByEngine.incrementAndGet();
        }
        refreshStats(nowNs, false);
    }

    /** Driver thread: takes the engine's figures for this stream. */
    void refreshStats(long nowNs, boolean force) {
        if (!force && nowNs - statsAtNs < STATS_REFRESH_NS) {
            return;
        }
        statsAtNs = nowNs;
        for (StreamStats s : endpoint.allStreamStats(nowNs)) {
            if (s.connectionId() == connectionId && s.streamId() == id && !s.incoming()) {
                stats = s;
                return;
            }
        }
    }

    @Override
    public StreamStats stats() {
        StreamStats s = stats;
        if (s == null) {
            return new StreamStats(connectionId, id, false, options.codec(), options.latency().toNanos(), 0, 0, 0,
                    0, droppedBeforeEngine.get(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return withApiDrops(s);
    }

    /** {@code s} with the frames this stream replaced before they reached the engine added to its source drops. */
    StreamStats withApiDrops(StreamStats s) {
        long apiDrops = droppedBeforeEngine.get();
        return new StreamStats(s.connectionId(), s.streamId(), false, s.codec(), s.latencyBudgetNs(), s.frames(),
                s.onTime(), s.late(), s.lost(), s.droppedAtSource() + apiDrops, s.abandoned(), s.fecRecovered(),
                s.retransmittedFragments(), s.dataBytes(), s.parityBytes(), s.retransmittedBytes(),
                s.latencyP50Ns(), s.latencyP99Ns(), s.latencyMaxNs(), s.availableRateBytesPerSecond(),
                s.queuedFrames(), s.fecPercent());
    }

    @Override
    public long framesTooLarge() {
        return framesTooLarge.get();
    }

    @Override
    public long maxFrameBytes() {
        return peerMaxFrameBytes;
    }

    /** Frames the engine did not take (frame too large for the peer, stream unknown to it). */
    long refusedByEngine() {
        return refusedByEngine.get();
    }

    @Override
    public String encoder() {
        return encoder.description();
    }

    @Override
    public int quality() {
        return encoder.quality();
    }

    @Override
    public int[] encodedSize() {
        return encoder.size();
    }

    @Override
    public Optional<UdpixException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public CompletableFuture<StreamStats> ended() {
        return ended;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        encoder.close();
        try {
            driver.execute(ep -> {
                handOff(); // The last frame handed over still goes; the engine sends it before STREAM_CLOSE.
                long nowNs = System.nanoTime();
                refreshStats(nowNs, true);
                if (id >= 0 && !ended.isDone()) {
                    endpoint.closeStream(connectionId, id, false, nowNs);
                }
            });
        } catch (RejectedExecutionException e) {
            ended.complete(stats()); // The client is closed: the stream ended with the connection.
        }
    }

    /** Driver thread: the stream ended (the engine's StreamEnded, or the connection closed with {@code why}). */
    void onEnded(StreamStats last, int code, String reason) {
        if (last != null) {
            stats = last;
        }
        if (!closed && failure == null) {
            String text = reason == null || reason.isEmpty() ? ErrorCode.describe(code) : reason;
            if (code == ErrorCode.OK) {
                text = "the server ended the stream";
            }
            int wireCode = code == ErrorCode.OK ? ErrorCode.CLOSED : code;
            // Refused before it had an id: the engine's reason already names the server and the fix.
            failure = new UdpixException(UdpixException.kindOf(wireCode, false), wireCode, id < 0 ? text
                    : "stream " + id + " to " + server + " ended: " + text, null);
        }
        opened.completeExceptionally(failure != null ? failure : new UdpixException(
                UdpixException.Kind.CONNECTION_CLOSED, ErrorCode.CLOSED, "the stream was closed", null));
        ended.complete(stats());
    }

    /** A frame waiting for the driver thread. */
    private record PendingFrame(byte[] bytes, long captureNs) {
    }
}
