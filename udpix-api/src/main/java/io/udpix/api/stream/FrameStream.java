package io.udpix.api.stream;

import io.udpix.api.UdpixException;
import io.udpix.engine.stream.StreamStats;
import java.awt.image.BufferedImage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An open frame stream to a server ({@code UdpixClient.openStream}). Sending never waits for the network: each
 * frame replaces one that has not started to go yet (latest wins; counted as dropped at the source), so a slow
 * link makes the stream skip frames, never build a queue. Thread-safe.
 */
public interface FrameStream extends AutoCloseable {

    /** The stream id on this connection. */
    int id();

    /** What the stream was opened with. */
    StreamOptions options();

    /**
     * Encodes {@code image} as JPEG (scaled to the options' size, at the current adaptive quality) on the calling
     * thread and hands it to the engine; captured now.
     *
     * @throws UdpixException when the stream has ended (refused, closed, connection lost), with the reason; or
     *                        {@code TOO_LARGE} when the encoded frame is larger than the server takes
     *                        ({@link #maxFrameBytes()}): that frame is not sent, the stream stays open
     */
    void send(BufferedImage image) throws UdpixException;

    /** As {@link #send(BufferedImage)}, captured at {@code captureNs} ({@code System.nanoTime()} clock). */
    void send(BufferedImage image, long captureNs) throws UdpixException;

    /**
     * Hands an already encoded frame (in the stream's codec) to the engine as it is, captured now; the stream
     * keeps {@code encoded}: do not change it afterwards.
     *
     * @throws UdpixException when the stream has ended, with the reason; or {@code TOO_LARGE} when
     *                        {@code encoded} is larger than the server takes ({@link #maxFrameBytes()}): that frame
     *                        is not sent (counted in {@link #framesTooLarge()}), the stream stays open
     */
    void send(byte[] encoded) throws UdpixException;

    /** As {@link #send(byte[])}, captured at {@code captureNs} ({@code System.nanoTime()} clock). */
    void send(byte[] encoded, long captureNs) throws UdpixException;

    /**
     * The stream's figures as of the last hand-over to the engine (refreshed at most every 100 ms while frames
     * flow; never waits). {@code droppedAtSource} includes frames replaced before they reached the engine.
     */
    StreamStats stats();

    /**
     * The largest frame the server takes, in bytes (its {@code --max-frame-size}, docs/PROTOCOL.md 5.8.1; 16 MiB
     * by default), or 0 when it is not known.
     */
    long maxFrameBytes();

    /** Frames refused because they were larger than {@link #maxFrameBytes()} (never sent). */
    long framesTooLarge();

    /** Which JPEG encoder {@link #send(BufferedImage)} uses (TurboJPEG or ImageIO, and why). */
    String encoder();

    /** The JPEG quality the next image is encoded at. */
    int quality();

    /** Width and height the next image is encoded at ({@code {0, 0}} before the first image). */
    int[] encodedSize();

    /** Why the stream ended, once it has ended other than by {@link #close()}. */
    Optional<UdpixException> failure();

    /** Completes with the final figures when the stream has ended, either way. */
    CompletableFuture<StreamStats> ended();

    /**
     * Ends the stream: the last frame handed over and those in progress still go (each within its deadline), then
     * the server is told; {@link #ended()} completes when it confirmed. Idempotent; never waits, never throws.
     */
    @Override
    void close();
}
