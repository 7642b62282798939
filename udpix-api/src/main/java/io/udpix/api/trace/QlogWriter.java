package io.udpix.api.trace;

import io.udpix.engine.trace.QlogFormat;
import io.udpix.engine.trace.TraceRing;
import io.udpix.engine.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes connection traces as qlog JSON-SEQ files (docs/QLOG.md), one per connection, named
 * {@code <ISO time>-<client|server>-<connection id hex>.sqlog}. Each endpoint gets its own {@link TraceRing}
 * ({@link #newRing}) that its I/O thread fills; this writer's own thread ({@code udpix-qlog}) drains every ring
 * and does all file-system work, so the I/O threads never wait on a disk. Bounded: each ring, each file
 * ({@code maxBytesPerFile}) and the number of files open at once; what does not fit is dropped and counted, and
 * every file ends with a summary event that says so.
 */
public final class QlogWriter implements AutoCloseable {
    /** Default cap of one file: 64 MiB. */
    public static final long DEFAULT_MAX_BYTES_PER_FILE = 64L << 20;
    /** Smallest cap: room for the header, a few events and the summary. */
    public static final long MIN_BYTES_PER_FILE = 4096;
    /** Records per endpoint ring (88 bytes each: 2.9 MB per endpoint), about 0.2 s of a 10 Gbit/s transfer. */
    public static final int RING_RECORDS = 1 << 15;
    /** Files open at once; records of further connections are dropped and counted until one closes. */
    public static final int MAX_OPEN_FILES = 256;
    /** Records read from one ring before turning to the next, so one busy endpoint cannot starve the others. */
    private static final int DRAIN_BATCH = 4096;
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long FLUSH_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final System.Logger LOG = System.getLogger(QlogWriter.class.getName());

    private final Path dir;
    private final long maxBytesPerFile;
    private final List<Ring> rings = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final AtomicLong filesCreated = new AtomicLong();
    private final AtomicLong droppedNoFile = new AtomicLong();
    private final AtomicLong droppedCap = new AtomicLong();
    private volatile boolean stopping;
    // Writer thread only.
    private final StringBuilder scratch = new StringBuilder(QlogFormat.MAX_EVENT_CHARS);
    private int openFiles;
    private long lastFlushNs = System.nanoTime();
    private boolean warned;

    private record Ring(TraceRing ring, boolean client, Map<Long, QlogFile> files) {}

    /**
     * Creates {@code dir} if needed and starts the writer thread.
     *
     * @throws IOException when {@code dir} cannot be created or is not a writable directory
     */
    public QlogWriter(Path dir, long maxBytesPerFile) throws IOException {
        if (maxBytesPerFile < MIN_BYTES_PER_FILE) {
            throw new IllegalArgumentException("qlog file cap must be at least " + MIN_BYTES_PER_FILE
                    + " bytes, was " + maxBytesPerFile);
        }
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IOException(dir + " is not a writable directory; give --qlog a directory you can write to");
        }
        this.dir = dir;
        this.maxBytesPerFile = maxBytesPerFile;
        this.thread = new Thread(this::run, "udpix-qlog");
        thread.setDaemon(true);
        thread.start();
    }

    /** A new ring for one endpoint (give it to {@code EndpointConfig.Builder.tracer}); one producer thread only. */
    public Tracer newRing(boolean client) {
        TraceRing ring = new TraceRing(RING_RECORDS);
        rings.add(new Ring(ring, client, new HashMap<>()));
        return ring;
    }

    /** The directory traces go to. */
    public Path directory() {
        return dir;
    }

    /** Files created so far. */
    public long filesCreated() {
        return filesCreated.get();
    }

    /** Events dropped so far: rings full, files at their cap, or too many files open. */
    public long droppedEvents() {
        long ringDrops = 0;
        for (Ring r : rings) {
            ringDrops += r.ring.dropped();
        }
        return ringDrops + droppedCap.get() + droppedNoFile.get();
    }

    /** Writes what the rings still hold, ends every file with its summary and stops the thread. */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!stopping) {
                if (drainAll() == 0) {
                    LockSupport.parkNanos(IDLE_PARK_NS);
                }
                long now = System.nanoTime();
                if (now - lastFlushNs >= FLUSH_INTERVAL_NS) {
                    lastFlushNs = now;
                    flushAll();
                }
            }
            while (drainAll() > 0) {
                // the endpoints are closed by now: empty the rings
            }
        } finally {
            for (Ring r : rings) {
                for (Map.Entry<Long, QlogFile> e : new ArrayList<>(r.files.entrySet())) {
                    closeFile(r, e.getKey(), "writer_closed");
                }
            }
        }
    }

    private int drainAll() {
        int n = 0;
        for (Ring r : rings) {
            n += r.ring.drain((slots, off) -> onRecord(r, slots, off), DRAIN_BATCH);
        }
        return n;
    }

    private void onRecord(Ring r, long[] slots, int off) {
        long connectionId = slots[off + 1];
        QlogFile f = r.files.get(connectionId);
        if (f == null) {
            f = open(r, connectionId, slots, off);
            if (f == null) {
                droppedNoFile.incrementAndGet();
                return;
            }
        }
        try {
            long before = f.droppedCap();
            f.append(slots, off, scratch);
            droppedCap.addAndGet(f.droppedCap() - before);
        } catch (IOException e) {
            warn("cannot write " + f.path + ": " + e.getMessage() + "; that trace ends here");
            closeFile(r, connectionId, "write_failed");
            return;
        }
        if (slots[off] == Tracer.CONNECTION_CLOSED) {
            f.droppedInRing(slots[off + 4]);
            closeFile(r, connectionId, "connection_closed");
        }
    }

    private QlogFile open(Ring r, long connectionId, long[] slots, int off) {
        if (openFiles >= MAX_OPEN_FILES) {
            return null;
        }
        boolean client = QlogFormat.isStart(slots, off) ? slots[off + 3] == 1 : r.client;
        long originNs = slots[off + 2];
        long nowMs = System.currentTimeMillis();
        // The drivers' clock is System.nanoTime(): the first event happened this long before now.
        long referenceEpochMs = nowMs - TimeUnit.NANOSECONDS.toMillis(Math.max(0, System.nanoTime() - originNs));
        String name = FILE_TIME.format(java.time.Instant.ofEpochMilli(nowMs)) + "-" + (client ? "client" : "server")
                + "-" + QlogFormat.hex(connectionId) + ".sqlog";
        try {
            QlogFile f = QlogFile.create(dir.resolve(name), client, connectionId, maxBytesPerFile, originNs,
                    referenceEpochMs, scratch);
            r.files.put(connectionId, f);
            openFiles++;
            filesCreated.incrementAndGet();
            return f;
        } catch (IOException e) {
            warn("cannot create " + dir.resolve(name) + ": " + e.getMessage() + "; check --qlog " + dir);
            return null;
        }
    }

    private void closeFile(Ring r, long connectionId, String why) {
        QlogFile f = r.files.remove(connectionId);
        if (f == null) {
            return;
        }
        openFiles--;
        try {
            f.close(why, scratch);
        } catch (IOException e) {
            warn("cannot finish " + f.path + ": " + e.getMessage());
        }
    }

    private void flushAll() {
        for (Ring r : rings) {
            for (QlogFile f : r.files.values()) {
                try {
                    f.flush();
                } catch (IOException e) {
                    warn("cannot write " + f.path + ": " + e.getMessage());
                }
            }
        }
    }

    private void warn(String message) {
        if (!warned) {
            warned = true; // once: a full disk would otherwise log per event
            LOG.log(System.Logger.Level.WARNING, "qlog: " + message);
        }
    }
}
