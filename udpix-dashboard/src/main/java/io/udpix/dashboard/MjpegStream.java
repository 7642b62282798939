package io.udpix.dashboard;

import com.sun.net.httpserver.HttpExchange;
import io.udpix.api.stream.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code /api/stream/KEY.mjpg}: a stream's frames as {@code multipart/x-mixed-replace} (the MJPEG browsers show in
 * an {@code <img>}), at most {@link #MAX_CLIENTS} at once. Each viewer has a one-frame slot the frame thread
 * overwrites: a slow viewer skips frames (latest wins), nothing is buffered.
 */
final class MjpegStream {
    /** Viewers at once (OBS.md). */
    static final int MAX_CLIENTS = 16;
    static final String BOUNDARY = "udpixframe";
    /** A viewer of a stream with no frame for this long is ended, so a dead key does not hold a thread. */
    static final long IDLE_NS = TimeUnit.SECONDS.toNanos(30);

    private final LiveFrames frames;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);

    MjpegStream(LiveFrames frames) {
        this.frames = frames;
    }

    /** Serves the frames of stream {@code key} on this (HTTP) thread until it ends or the viewer goes. */
    void serve(HttpExchange exchange, String key) throws IOException {
        if (!slots.tryAcquire()) {
            Responses.text(exchange, 503, "this dashboard already sends " + MAX_CLIENTS + " MJPEG views (the most "
                    + "at once); close one, or fetch single frames from /api/stream/KEY.jpg");
            return;
        }
        Viewer viewer = new Viewer(Thread.currentThread());
        try {
            Frame first = frames.watch(key, viewer);
            if (first != null) {
                viewer.offer(first);
            }
            exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            long lastFrameNs = System.nanoTime();
            while (!viewer.ended && System.nanoTime() - lastFrameNs < IDLE_NS) {
                Frame frame = viewer.slot.getAndSet(null);
                if (frame == null) {
                    LockSupport.parkNanos(viewer, TimeUnit.SECONDS.toNanos(1));
                    if (Thread.interrupted()) {
                        break;
                    }
                    continue;
                }
                lastFrameNs = System.nanoTime();
                writePart(out, frame.bytes());
            }
            out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // The viewer went away.
        } finally {
            frames.unwatch(key, viewer);
            slots.release();
            exchange.close();
        }
    }

    /** One part (RFC 2046 section 5.1.1): boundary, headers, the JPEG. */
    static void writePart(OutputStream out, byte[] jpeg) throws IOException {
        out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(jpeg);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A viewer's slot: the frame thread sets it and wakes the writer; never waits. */
    private static final class Viewer implements LiveFrames.Viewer {
        final AtomicReference<Frame> slot = new AtomicReference<>();
        final Thread writer;
        volatile boolean ended;

        Viewer(Thread writer) {
            this.writer = writer;
        }

        @Override
        public void offer(Frame frame) {
            slot.set(frame);
            LockSupport.unpark(writer);
        }

        @Override
        public void end() {
            ended = true;
            LockSupport.unpark(writer);
        }
    }
}
