package io.udpix.api.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The partial files of resumable transfers in one output directory ({@code DIR/.udpix-partial/}): for each, the
 * bytes received so far ({@code <id>.part}) and a small journal ({@code <id>.journal}, see {@link PartialJournal})
 * naming the content (name + size + SHA-256 of the whole; {@code id} is derived from them) and how many of its
 * first bytes are durably written. A later transfer of the same content resumes from there; a changed file (other
 * SHA-256) has another key and starts from 0.
 *
 * <p>The index is read once when the store opens (on the starting thread: every journal checked against its file,
 * a mismatch or an expired partial deleted); afterwards {@link #claim} answers from memory only, so the driver
 * thread can ask it when an OPEN arrives. File work (writes, journal updates, deletions) happens on storage
 * threads through the entries' owners. Thread-safe (one lock; every operation is a few map look-ups).
 *
 * <p>Bounded: at most {@link Limits#maxFiles} partials holding at most {@link Limits#maxBytes} (their declared
 * sizes, what they will take on disk), and one sender address at most half of either while it makes a new one
 * (its own oldest idle partials make room first, then the oldest of all); a partial not touched for
 * {@link Limits#expiryMs} is removed.
 */
public final class Partials {
    /** The directory under the output directory (hidden: no received name can reach it, SafeNames refuses dots). */
    public static final String DIR_NAME = ".udpix-partial";
    static final String PART_SUFFIX = ".part";

    /** Bounds on the partials one output directory keeps. */
    public record Limits(int maxFiles, long maxBytes, long expiryMs) {
        /** 64 partials, 64 GiB of declared sizes, 7 days. */
        public static final Limits DEFAULT = new Limits(64, 64L << 30, 7L * 24 * 3600 * 1000);

        /** Checks the bounds. */
        public Limits {
            if (maxFiles < 1 || maxBytes < 1 || expiryMs < 1) {
                throw new IllegalArgumentException("partial limits must be positive: " + maxFiles + " files, "
                        + maxBytes + " bytes, " + expiryMs + " ms");
            }
        }
    }

    /** Who writes a partial now (a receiving sink); asked to give it up when the same content comes again. */
    public interface Owner {
        /**
         * Stops taking bytes and returns how many of the content's first bytes it has taken (all of them will be
         * on disk once its storage lane ran what it queued, after which it calls {@link Partials#handedOver});
         * a negative value when it cannot give up (its commit started).
         */
        long handOver();
    }

    /** One partial file and what its journal says. */
    public static final class Partial {
        final String id;
        final String name;
        final long sizeBytes;
        final byte[] sha256;
        final String address;
        final Path file;
        final Path journal;
        // Guarded by the Partials lock.
        long heldBytes;
        long updatedMs;
        Owner owner;
        /** The address of {@link #owner}'s sender. */
        String ownerAddress;
        boolean removed;
        /** False between a hand-over and the old owner's last write; the new owner waits for it. */
        private volatile boolean ready = true;
        /** The old owner could not write all it had taken: the new owner must not use the file. */
        private volatile boolean broken;

        Partial(String id, String name, long sizeBytes, byte[] sha256, String address, Path dir, long heldBytes,
                long updatedMs) {
            this.id = id;
            this.name = name;
            this.sizeBytes = sizeBytes;
            this.sha256 = sha256.clone();
            this.address = address;
            this.file = dir.resolve(id + PART_SUFFIX);
            this.journal = dir.resolve(id + PartialJournal.SUFFIX);
            this.heldBytes = heldBytes;
            this.updatedMs = updatedMs;
        }

        /** The partial file. */
        public Path file() {
            return file;
        }

        /** Its journal. */
        public Path journal() {
            return journal;
        }

        /** The content's declared size. */
        public long sizeBytes() {
            return sizeBytes;
        }

        /** Whether the previous owner finished writing what it had taken (always, unless just taken over). */
        public boolean ready() {
            return ready;
        }

        /** Whether the previous owner failed to write what it had taken: the file cannot be trusted. */
        public boolean broken() {
            return broken;
        }

        /** Writes the journal saying the first {@code heldBytes} are durable (the caller forced the file). */
        public void writeJournal(long bytes) throws IOException {
            PartialJournal.write(journal, new PartialJournal(name, sizeBytes, sha256, bytes, address));
        }

        @Override
        public String toString() {
            return "Partial[" + name + ", " + sizeBytes + " bytes, " + id + "]";
        }
    }

    /** What {@link #claim} gives a new transfer: the partial it writes and the offset it starts at. */
    public record Claim(Partial partial, long offsetBytes, List<Path> evicted) {}

    private final Path dir;
    private final Limits limits;
    private final Map<String, Partial> byId = new HashMap<>();
    private long totalBytes;
    /** Journals and files found broken or expired when the index was loaded (tests, and the start-up message). */
    private final int discardedAtLoad;

    private Partials(Path dir, Limits limits, int discardedAtLoad) {
        this.dir = dir;
        this.limits = limits;
        this.discardedAtLoad = discardedAtLoad;
    }

    /**
     * Reads the partials under {@code outDir/.udpix-partial} (if it exists), deleting those whose journal
     * does not match its file (unreadable, other key, file shorter than the journal says, a file without journal)
     * and those older than the expiry, then the oldest beyond the limits. On the starting thread, never a driver's.
     */
    public static Partials load(Path outDir, Limits limits, long nowMs) throws IOException {
        Path dir = outDir.resolve(DIR_NAME);
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; remove it (udpix keeps partial files there)");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return new Partials(dir, limits, 0); // made by the first resumable transfer (PartialWriter)
        }
        List<Partial> found = new ArrayList<>();
        List<Path> doomed = new ArrayList<>();
        Map<String, Path> parts = new HashMap<>();
        int entries = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                if (++entries > 16 * limits.maxFiles() + 1024) {
                    break; // something else filled the directory; the rest is left alone
                }
                String fileName = entry.getFileName().toString();
                if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (fileName.endsWith(PART_SUFFIX)) {
                    parts.put(fileName.substring(0, fileName.length() - PART_SUFFIX.length()), entry);
                } else if (fileName.endsWith(PartialJournal.SUFFIX)) {
                    String id = fileName.substring(0, fileName.length() - PartialJournal.SUFFIX.length());
                    PartialJournal j = PartialJournal.read(entry);
                    long updatedMs = Files.getLastModifiedTime(entry).toMillis();
                    if (j == null || !id.equals(idOf(j.name(), j.sizeBytes(), j.sha256()))
                            || nowMs - updatedMs > limits.expiryMs()) {
                        doomed.add(entry);
                        continue;
                    }
                    found.add(new Partial(id, j.name(), j.sizeBytes(), j.sha256(), j.address(), dir, j.heldBytes(),
                            updatedMs));
                } else if (fileName.endsWith(PartialJournal.TEMP_SUFFIX)) {
                    doomed.add(entry); // a journal update cut short
                }
            }
        }
        Partials partials;
        List<Partial> kept = new ArrayList<>();
        for (Partial p : found) {
            Path part = parts.remove(p.id);
            if (part == null || Files.size(part) < p.heldBytes) {
                doomed.add(p.journal); // the file does not hold what the journal says
                if (part != null) {
                    doomed.add(part);
                }
                continue;
            }
            kept.add(p);
        }
        doomed.addAll(parts.values()); // files without a journal: nothing says what they hold
        kept.sort(Comparator.comparingLong((Partial p) -> p.updatedMs).reversed());
        partials = new Partials(dir, limits, doomed.size());
        for (Partial p : kept) {
            if (partials.byId.size() < limits.maxFiles() && partials.totalBytes + p.sizeBytes <= limits.maxBytes()) {
                partials.byId.put(p.id, p);
                partials.totalBytes += p.sizeBytes;
            } else {
                doomed.add(p.journal);
                doomed.add(p.file);
            }
        }
        for (Path path : doomed) {
            Files.deleteIfExists(path);
        }
        return partials;
    }

    /** The key of a content: hex of SHA-256(name, size, SHA-256 of the whole), 32 digits. */
    static String idOf(String name, long sizeBytes, byte[] sha256) {
        java.security.MessageDigest md = io.udpix.engine.util.Sha256Digests.newDigest();
        md.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(java.nio.ByteBuffer.allocate(8).putLong(0, sizeBytes));
        md.update(sha256);
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    /** The directory holding the partial files. */
    public Path dir() {
        return dir;
    }

    /** Partials deleted when the index was loaded (mismatched, expired or beyond the limits). */
    public int discardedAtLoad() {
        return discardedAtLoad;
    }

    /** Partials known now. */
    public synchronized int count() {
        return byId.size();
    }

    /** Declared bytes of the partials known now. */
    public synchronized long totalBytes() {
        return totalBytes;
    }

    /**
     * Whether {@code file} (a partial file or journal) belongs to a partial the index knows now: one evicted and
     * then made again before its deletion ran must keep its new file.
     */
    public synchronized boolean inUse(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 && byId.containsKey(name.substring(0, dot));
    }

    /** How many first bytes of this content a partial holds (0 when none); from memory. */
    public synchronized long heldBytes(String name, long sizeBytes, byte[] sha256) {
        Partial p = byId.get(idOf(name, sizeBytes, sha256));
        return p == null ? 0 : p.heldBytes;
    }

    /**
     * A partial for the content {@code (name, sizeBytes, sha256)} from {@code address}, now written by
     * {@code owner}; from memory only (driver thread). An idle partial resumes at its journal's offset; one still
     * written by an earlier transfer (its sender was killed and its connection has not timed out yet) is taken
     * over at once when it comes from the same address (a different one goes without resume), at the offset that
     * owner reached ({@link Owner#handOver}; the new owner waits for
     * {@link Partial#ready}); a new one starts at 0, after removing the oldest idle partials beyond the limits
     * ({@link Claim#evicted}: files the caller deletes on a storage thread). The claim's partial is null when the
     * content cannot be resumable now (its earlier transfer is committing, it is larger than half the byte limit,
     * or every slot is taken by transfers in progress).
     */
    public synchronized Claim claim(String name, long sizeBytes, byte[] sha256, String address, Owner owner,
            long nowMs) {
        Objects.requireNonNull(owner, "owner");
        String id = idOf(name, sizeBytes, sha256);
        Partial p = byId.get(id);
        if (p != null) {
            if (p.owner != null && !p.ownerAddress.equals(address)) {
                // Only the address writing it may take it over (a sender back after a kill or a lost link): another
                // address that knows the content's hash must not be able to cut a running transfer off.
                return new Claim(null, 0, List.of());
            }
            if (p.owner != null) {
                long taken = p.owner.handOver();
                if (taken < 0) {
                    return new Claim(null, 0, List.of()); // its commit started: this transfer goes as usual
                }
                p.heldBytes = taken;
                p.ready = false;
            }
            p.owner = owner;
            p.ownerAddress = address;
            p.updatedMs = nowMs;
            return new Claim(p, p.heldBytes, List.of());
        }
        if (sizeBytes > limits.maxBytes() / 2) {
            return new Claim(null, 0, List.of());
        }
        List<Path> evicted = new ArrayList<>();
        expire(nowMs, evicted);
        // The address's share first: it makes room from its own partials, so it cannot push out others'.
        while (countOf(address) >= Math.max(1, limits.maxFiles() / 2)
                || bytesOf(address) + sizeBytes > limits.maxBytes() / 2) {
            if (!evictOldestIdle(address, evicted)) {
                return new Claim(null, 0, evicted);
            }
        }
        while (byId.size() >= limits.maxFiles() || totalBytes + sizeBytes > limits.maxBytes()) {
            if (!evictOldestIdle(null, evicted)) {
                return new Claim(null, 0, evicted);
            }
        }
        p = new Partial(id, name, sizeBytes, sha256, address, dir, 0, nowMs);
        p.owner = owner;
        p.ownerAddress = address;
        byId.put(id, p);
        totalBytes += sizeBytes;
        return new Claim(p, 0, evicted);
    }

    private void expire(long nowMs, List<Path> evicted) {
        for (Partial p : new ArrayList<>(byId.values())) {
            if (p.owner == null && nowMs - p.updatedMs > limits.expiryMs()) {
                drop(p, evicted);
            }
        }
    }

    private int countOf(String address) {
        int n = 0;
        for (Partial p : byId.values()) {
            if (p.address.equals(address)) {
                n++;
            }
        }
        return n;
    }

    private long bytesOf(String address) {
        long n = 0;
        for (Partial p : byId.values()) {
            if (p.address.equals(address)) {
                n += p.sizeBytes;
            }
        }
        return n;
    }

    /** Removes the least recently used idle partial (of {@code address}, or of anyone when null). */
    private boolean evictOldestIdle(String address, List<Path> evicted) {
        Partial oldest = null;
        for (Partial p : byId.values()) {
            if (p.owner == null && (address == null || p.address.equals(address))
                    && (oldest == null || p.updatedMs < oldest.updatedMs)) {
                oldest = p;
            }
        }
        if (oldest == null) {
            return false;
        }
        drop(oldest, evicted);
        return true;
    }

    private void drop(Partial p, List<Path> evicted) {
        byId.remove(p.id);
        totalBytes -= p.sizeBytes;
        p.removed = true;
        evicted.add(p.journal);
        evicted.add(p.file);
    }

    /**
     * The old owner's storage lane wrote everything it had taken (or, {@code ok} false, could not): the new owner
     * may go on. Storage thread.
     */
    public void handedOver(Partial p, boolean ok) {
        if (!ok) {
            p.broken = true;
        }
        p.ready = true;
    }

    /** {@code owner} stopped (its transfer failed) with the first {@code heldBytes} durable; storage thread. */
    public synchronized void release(Partial p, Owner owner, long heldBytes, long nowMs) {
        if (p.owner == owner) {
            p.owner = null;
            p.heldBytes = heldBytes;
            p.updatedMs = nowMs;
        }
    }

    /**
     * Forgets {@code p} (committed, or its content did not verify); true when the caller should delete its files
     * (it was still {@code owner}'s and not removed already). Storage thread.
     */
    public synchronized boolean remove(Partial p, Owner owner) {
        if (p.owner != owner || p.removed) {
            return false;
        }
        byId.remove(p.id);
        totalBytes -= p.sizeBytes;
        p.removed = true;
        p.owner = null;
        return true;
    }
}
