package io.udpix.cli.stream;

import io.udpix.api.stream.Frame;
import io.udpix.engine.stream.StreamCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code serve --frames-out DIR}: keeps every delivered frame as {@code DIR/<sender>-<stream>/<frame number>.jpg}
 * (sender {@code HOST_PORT}, stream its id, the number zero-padded to 8 digits so names sort in order; {@code .png}
 * or {@code .bin} for other codecs). Written by its own thread, never a driver thread; the queue is bounded in
 * frames and bytes, and what does not fit is dropped and counted per stream (the disk being slower than the
 * stream must not hold frames in memory).
 */
public final class FramesOut implements AutoCloseable {
    /** Frames waiting to be written at most. */
    static final int MAX_QUEUED_FRAMES = 256;
    /** Bytes waiting to be written at most. */
    static final long MAX_QUEUED_BYTES = 64L << 20;
    /** Streams whose counts are kept at once; a new stream beyond it is not counted per stream. */
    private static final int MAX_COUNTED_STREAMS = 4_096;
    private static final long CLOSE_WAIT_MS = 10_000;

    private final Path dir;
    private final PrintStream err;
    private final ArrayBlockingQueue<Frame> queue = new ArrayBlockingQueue<>(MAX_QUEUED_FRAMES);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ConcurrentHashMap<String, Counts> counts = new ConcurrentHashMap<>();
    private final Thread writer;
    private volatile boolean closing;
    /** Writer thread only. */
    private final Set<String> madeDirs = new HashSet<>();
    private boolean failureReported;

    private FramesOut(Path dir, PrintStream err) {
        this.dir = dir;
        this.err = err;
        this.writer = new Thread(this::run, "udpix-frames-out");
        this.writer.setDaemon(true);
    }

    /**
     * Creates {@code dir} if needed and starts the writer.
     *
     * @throws IOException naming the directory when it cannot be created or written
     */
    public static FramesOut open(Path dir, PrintStream err) throws IOException {
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new IOException("--frames-out " + dir + " is not writable; pick a directory you may write to");
        }
        FramesOut out = new FramesOut(dir, err);
        out.writer.start();
        return out;
    }

    /** The directory name of a stream: {@code HOST_PORT-ID}. */
    public static String streamDirName(InetSocketAddress peer, int streamId) {
        String host = peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
        return host.replaceAll("[^A-Za-z0-9.]", "_") + "_" + peer.getPort() + "-" + streamId;
    }

    /** The file name of a frame. */
    static String fileName(long frameNumber, StreamCodec codec) {
        String ext = codec == StreamCodec.JPEG ? "jpg" : codec == StreamCodec.PNG ? "png" : "bin";
        return String.format(Locale.ROOT, "%08d.%s", frameNumber, ext);
    }

    /** Queues {@code frame} for writing; false (dropped, counted) when the queue is full. Never waits. */
    public boolean offer(Frame frame) {
        Counts c = countsOf(frame.streamKey());
        long bytes = frame.bytes().length;
        if (closing || queuedBytes.addAndGet(bytes) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-bytes);
            c.dropped.incrementAndGet();
            return false;
        }
        if (!queue.offer(frame)) {
            queuedBytes.addAndGet(-bytes);
            c.dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    private Counts countsOf(String key) {
        Counts c = counts.get(key);
        if (c == null) {
            c = counts.size() < MAX_COUNTED_STREAMS ? counts.computeIfAbsent(key, k -> new Counts()) : new Counts();
        }
        return c;
    }

    /** Frames of the stream {@code key} written so far. */
    public long written(String key) {
        Counts c = counts.get(key);
        return c == null ? 0 : c.written.get();
    }

    /** Frames of the stream {@code key} dropped because the writer was behind. */
    public long dropped(String key) {
        Counts c = counts.get(key);
        return c == null ? 0 : c.dropped.get();
    }

    /** Forgets the counts of {@code key} (its stream ended and was reported). */
    public void forget(String key) {
        counts.remove(key);
    }

    private void run() {
        while (true) {
            Frame frame;
            try {
                frame = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (frame == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            queuedBytes.addAndGet(-frame.bytes().length);
            write(frame);
        }
    }

    private void write(Frame frame) {
        String sub = streamDirName(frame.peer(), frame.streamId());
        Path streamDir = dir.resolve(sub);
        try {
            if (!madeDirs.contains(sub)) {
                Files.createDirectories(streamDir);
                if (madeDirs.size() >= MAX_COUNTED_STREAMS) {
                    madeDirs.clear();
                }
                madeDirs.add(sub);
            }
            Files.write(streamDir.resolve(fileName(frame.frameNumber(), frame.codec())), frame.bytes());
            countsOf(frame.streamKey()).written.incrementAndGet();
        } catch (IOException e) {
            countsOf(frame.streamKey()).dropped.incrementAndGet();
            if (!failureReported) {
                failureReported = true; // Once: a full disk would otherwise print a line per frame.
                err.println("udpix serve: cannot write frames to " + streamDir + " (" + e.getMessage()
                        + "); frames are dropped and counted until it works again");
            }
        }
    }

    /** Writes what is queued (at most 10 s), then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Per-stream counters. */
    private static final class Counts {
        final AtomicLong written = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
    }
}
