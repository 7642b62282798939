package io.udpix.api.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory a server writes received files into. Files are written under a hidden temporary name and get
 * their final name only on {@link #commit} (after the SHA-256 matched), so an interrupted transfer never leaves
 * a file under a final name; an existing file is never overwritten; nothing is written outside the directory.
 *
 * <p>A name may have directories ({@code photos/2024/cat.jpg}, from {@link TreeNames}): they are checked when the
 * file starts and made at its commit, on the storage thread, each component without following links, so a
 * symbolic link (or a file) found where a directory should be refuses the item ({@link RefusedPathException})
 * instead of being written through.
 * Temporary files stay at the top of the directory; the commit links them into place.
 *
 * <p>One store per directory: it holds a lock on {@code DIR/.udpix.lock} until {@link #close()}, because
 * {@link #cleanStale()} would otherwise delete another running server's temporary files.
 */
public final class OutputStore implements AutoCloseable {

    /** Temporary files are named {@code .udpix-<16 hex digits>.part}. */
    public static final String TEMP_PREFIX = ".udpix-";
    /** See {@link #TEMP_PREFIX}. */
    public static final String TEMP_SUFFIX = ".part";
    /**
     * Names tried per commit from the index before a unique name: more than one only when something outside this
     * store created the numbered name meanwhile. Together with {@link #MAX_UNIQUE_ATTEMPTS} this bounds the
     * file-system calls of a commit, however many files share its name.
     */
    public static final int MAX_INDEXED_ATTEMPTS = 4;
    /** Unique names ({@code stem (<time>-<counter>).ext}) tried after the indexed ones. */
    public static final int MAX_UNIQUE_ATTEMPTS = 4;
    /** At most this many files pending at once; more means a caller leaks them. */
    public static final int MAX_PENDING_FILES = 4_096;

    private static final String LOCK_FILE_NAME = ".udpix.lock";
    private static final int MAX_TEMP_NAME_ATTEMPTS = 16;
    private static final int TEMP_NAME_RANDOM_BYTES = 8;

    /** Directories whose names were read into the clash index; bounded, beyond it names are just tried. */
    static final int MAX_SEEDED_DIRECTORIES = 4_096;

    private final Path dir;
    private final Set<String> seededDirectories = ConcurrentHashMap.newKeySet();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SecureRandom random = new SecureRandom();
    private final Set<PendingFile> pending = ConcurrentHashMap.newKeySet();
    /** Cleared when the file system refuses hard links; commits then reserve the name and rename instead. */
    private volatile boolean hardLinksWork = true;
    private final boolean durable;
    private final long existingBytes;
    /** Partial files of resumable transfers under {@code DIR/.udpix-partial}, their index loaded at open. */
    private final Partials partials;
    private final NameIndex names = new NameIndex();
    private final java.util.concurrent.atomic.AtomicLong nameAttempts = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong uniqueCounter = new java.util.concurrent.atomic.AtomicLong();
    /** Told of every file-system operation (its name); tests check which thread makes them. */
    private volatile java.util.function.Consumer<String> audit = op -> { };

    /** Opens (creating if needed) {@code dir} as an output directory whose commits do not fsync. */
    public OutputStore(Path dir) throws IOException {
        this(dir, false);
    }

    /**
     * Opens (creating if needed) {@code dir} as an output directory, and reads its names once so that clashes
     * are resolved in constant time (see {@link #commit}); do it at start, never on an I/O thread.
     *
     * @param durable whether {@link #commit} flushes a file's data to the disk before naming it, so that after a
     *                power loss a final name never holds missing bytes; costs about 0.9 s per GiB on this
     *                machine's disk. Without it a final name still appears complete in one step for every reader,
     *                and the kernel writes the data back in its own time (as cp, scp and rsync do by default).
     * @throws IOException when it is not a writable directory or another udpix process is using it
     */
    public OutputStore(Path dir, boolean durable) throws IOException {
        Objects.requireNonNull(dir, "dir");
        this.durable = durable;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + " exists and is not a directory; choose another --out");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create output directory " + dir + " (" + e + "); choose another --out", e);
        }
        // The real path: symlinks resolved once, so "inside DIR" checks compare like with like.
        this.dir = dir.toRealPath();
        if (!Files.isWritable(this.dir)) {
            throw new IOException("cannot write to " + this.dir + "; fix its permissions or choose another --out");
        }
        this.lockChannel = FileChannel.open(this.dir.resolve(LOCK_FILE_NAME),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        } catch (IOException e) {
            lockChannel.close();
            throw e;
        }
        if (acquired == null) {
            lockChannel.close();
            throw new IOException("another udpix server is writing to " + this.dir + "; choose another --out");
        }
        this.lock = acquired;
        long bytes;
        try {
            bytes = scanExisting();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        this.existingBytes = bytes;
        Partials loaded;
        try {
            loaded = Partials.load(this.dir, Partials.Limits.DEFAULT, System.currentTimeMillis());
        } catch (IOException | RuntimeException e) {
            close();
            throw new IOException("cannot use " + this.dir.resolve(Partials.DIR_NAME) + " for partial files (" + e
                    + "); fix its permissions or choose another --out", e);
        }
        this.partials = loaded;
    }

    /** The partial files of resumable transfers (index in memory, loaded when the store opened). */
    public Partials partials() {
        return partials;
    }

    /**
     * Bytes the directory's regular files took when the store opened, those in its folders (up to
     * {@link TreeNames#MAX_DIRECTORY_LEVELS} deep, links not followed) included: they count towards a quota.
     */
    public long existingBytes() {
        return existingBytes;
    }

    /**
     * Reads the directory once, when the store opens: records every name in the clash index (so a commit finds
     * the next free {@code (N)} in one step) and returns the bytes its regular files take.
     */
    private long scanExisting() throws IOException {
        long totalBytes = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.equals(LOCK_FILE_NAME) || name.equals(Partials.DIR_NAME)) {
                    continue;
                }
                names.seen(name);
                java.nio.file.attribute.BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(entry, java.nio.file.attribute.BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (attributes.isRegularFile()) {
                    totalBytes += attributes.size();
                } else if (attributes.isDirectory()) {
                    totalBytes += bytesUnder(entry);
                }
            }
        }
        return totalBytes;
    }

    /** Bytes of the regular files under {@code folder}, within the depth a stored name can have; no links. */
    private static long bytesUnder(Path folder) throws IOException {
        long[] totalBytes = {0};
        Files.walkFileTree(folder, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class),
                TreeNames.MAX_DIRECTORY_LEVELS, new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult visitFile(Path file,
                            java.nio.file.attribute.BasicFileAttributes attributes) {
                        if (attributes.isRegularFile()) {
                            totalBytes[0] += attributes.size();
                        }
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                        return java.nio.file.FileVisitResult.CONTINUE; // gone meanwhile, or unreadable
                    }
                });
        return totalBytes[0];
    }

    /** Sets the observer told of each file-system operation by name ("create", "commit", ...); for tests. */
    public void audit(java.util.function.Consumer<String> observer) {
        this.audit = Objects.requireNonNull(observer, "observer");
    }

    /** Tells the audit observer of a file-system operation made for this store (also by its callers). */
    public void touched(String operation) {
        audit.accept(operation);
    }

    /** Names tried with link() (or an exclusive create) by every commit so far: constant per commit. */
    public long nameAttempts() {
        return nameAttempts.get();
    }

    /** Whether files are flushed to the disk before they are named (see the constructor). */
    public boolean durable() {
        return durable;
    }

    /** The directory, as a real absolute path. */
    public Path dir() {
        return dir;
    }

    /**
     * Starts a file that will be named {@code safeName}: checks the directories of its name that exist already
     * (they are made only by {@link #commit}, so an item that never completes leaves no empty directories behind),
     * creates {@code DIR/.udpix-<random>.part} and opens it.
     *
     * @param safeName a name from {@link SafeNames#baseName}, or a relative one from
     *                 {@link TreeNames.SafePath#relative()}
     * @throws IllegalArgumentException when {@code safeName} is not a safe name
     * @throws RefusedPathException     when a directory of the name is a link or a file in this directory
     */
    public PendingFile create(String safeName) throws IOException {
        if (!TreeNames.isSafe(safeName)) {
            throw new IllegalArgumentException("'" + safeName
                    + "' is not a safe name; pass it through SafeNames.baseName or TreeNames.parse first");
        }
        touched("create");
        directories(safeName, false);
        if (pending.size() >= MAX_PENDING_FILES) {
            throw new IOException("already " + MAX_PENDING_FILES + " files being received into " + dir
                    + "; commit or abort some first");
        }
        for (int attempt = 0; attempt < MAX_TEMP_NAME_ATTEMPTS; attempt++) {
            byte[] randomBytes = new byte[TEMP_NAME_RANDOM_BYTES];
            random.nextBytes(randomBytes);
            Path tempPath = inside(TEMP_PREFIX + HexFormat.of().formatHex(randomBytes) + TEMP_SUFFIX);
            try {
                FileChannel channel = FileChannel.open(tempPath,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
                PendingFile file = new PendingFile(this, safeName, tempPath, channel);
                pending.add(file);
                return file;
            } catch (FileAlreadyExistsException e) {
                // 64 random bits collided; try another name.
            }
        }
        throw new IOException("could not create a temporary file in " + dir + " after "
                + MAX_TEMP_NAME_ATTEMPTS + " attempts; is something else writing .udpix-*.part files there?");
    }

    /**
     * Gives {@code file} its final name: {@code safeName}, or {@code stem (N).ext} with the next N free for that
     * name (an in-memory index seeded when the store opened, so no probing of the N-1 before), or, should those
     * be taken by something outside this store, {@code stem (<yyyyMMdd-HHmmss>-<counter>).ext}. At most
     * {@link #MAX_INDEXED_ATTEMPTS} + {@link #MAX_UNIQUE_ATTEMPTS} names are tried. The file appears under its
     * final name complete, in one step, and never replaces an existing file (link(), or an exclusive create then
     * rename), even when other threads or processes commit the same name at the same time.
     *
     * @return the final path
     * @throws IllegalStateException when the file was already committed or aborted
     */
    public Path commit(PendingFile file) throws IOException {
        checkOwned(file);
        if (!file.finish(PendingFile.State.COMMITTED)) {
            throw new IllegalStateException(file + " was already committed or aborted");
        }
        touched("commit");
        pending.remove(file);
        try (FileChannel channel = file.channel()) {
            if (durable) {
                // Data on disk before the name: after a crash a final name never holds missing bytes.
                channel.force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(file.tempPath());
            throw e;
        }
        try {
            directories(file.safeName(), true);
            long previous = -2;
            for (int attempt = 0; attempt < MAX_INDEXED_ATTEMPTS; attempt++) {
                long suffix = names.claim(file.safeName());
                if (suffix < 0 || suffix == previous) {
                    suffix = attempt == 0 ? 0 : -1; // untracked name: try it as it is, once
                }
                if (suffix < 0) {
                    break;
                }
                previous = suffix;
                Path named = tryName(file, withSuffixInTree(file.safeName(), suffix));
                if (named != null) {
                    return named;
                }
            }
            String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
            for (int attempt = 0; attempt < MAX_UNIQUE_ATTEMPTS; attempt++) {
                Path named = tryName(file, TreeNames.directoryOf(file.safeName()) + withSuffix(
                        TreeNames.baseOf(file.safeName()), stamp + "-" + uniqueCounter.incrementAndGet()));
                if (named != null) {
                    return named;
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file.tempPath());
            throw e;
        }
        Files.deleteIfExists(file.tempPath());
        throw new IOException("could not find a free name like '" + file.safeName() + "' in " + dir + " after "
                + (MAX_INDEXED_ATTEMPTS + MAX_UNIQUE_ATTEMPTS) + " tries; is another program creating files "
                + "there? choose another --out");
    }

    /** Gives the temporary file {@code name} (relative, safe) if it is free; null when taken. */
    private Path tryName(PendingFile file, String name) throws IOException {
        Path candidate = insideTree(name);
        nameAttempts.incrementAndGet();
        touched("name");
        if (hardLinksWork) {
            Path linked = tryLink(file.tempPath(), candidate);
            if (linked != null) {
                checkLanded(linked, name);
                Files.deleteIfExists(file.tempPath());
                return linked;
            }
            if (hardLinksWork) {
                return null;
            }
        }
        if (!tryReserveAndMove(file.tempPath(), candidate)) {
            return null;
        }
        checkLanded(candidate, name);
        return candidate;
    }

    /**
     * Makes ({@code make}) or only checks the directories of the safe relative {@code name}, one component at a
     * time and never through a link: an existing component must be a real directory. Directories found already
     * there have their names read into the clash index once (when making).
     *
     * @throws RefusedPathException when a component is a symbolic link or not a directory
     */
    private void directories(String name, boolean make) throws IOException {
        String directory = TreeNames.directoryOf(name);
        if (directory.isEmpty()) {
            return;
        }
        Path current = dir;
        int end = 0;
        while (end < directory.length()) {
            int slash = directory.indexOf('/', end);
            String component = directory.substring(end, slash);
            String prefix = directory.substring(0, slash + 1);
            end = slash + 1;
            current = current.resolve(component);
            touched("directory");
            java.nio.file.attribute.BasicFileAttributes attributes = attributesNoFollow(current);
            if (attributes == null) {
                if (!make) {
                    return; // nothing deeper exists either; commit makes them
                }
                try {
                    Files.createDirectory(current); // mkdir: never follows a link in the last component
                    if (seededDirectories.size() < MAX_SEEDED_DIRECTORIES) {
                        seededDirectories.add(prefix); // new and empty: nothing to read
                    }
                    continue;
                } catch (FileAlreadyExistsException e) {
                    attributes = attributesNoFollow(current); // made meanwhile (another lane, or not by us)
                    if (attributes == null) {
                        throw new IOException("'" + prefix + "' appeared and vanished while it was being made in "
                                + "the receiver's output directory; send the item again");
                    }
                }
            }
            if (attributes.isSymbolicLink()) {
                throw new RefusedPathException("'" + prefix + "' in the receiver's output directory is a symbolic "
                        + "link, and udpix never writes through links there, so '" + name + "' was not stored; "
                        + "its operator can remove the link or choose another --out");
            }
            if (!attributes.isDirectory()) {
                throw new RefusedPathException("'" + prefix.substring(0, prefix.length() - 1) + "' exists in the "
                        + "receiver's output directory as a file, not a directory, so '" + name + "' was not "
                        + "stored; rename one of them or send to another --out");
            }
            if (make) {
                seed(current, prefix);
            }
        }
    }

    /** Reads the names of {@code directory} (an existing one) into the clash index, once per directory. */
    private void seed(Path directory, String prefix) throws IOException {
        if (seededDirectories.contains(prefix) || seededDirectories.size() >= MAX_SEEDED_DIRECTORIES
                || !seededDirectories.add(prefix)) {
            return;
        }
        touched("scan");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                names.seen(prefix + entry.getFileName().toString());
            }
        }
    }

    private static java.nio.file.attribute.BasicFileAttributes attributesNoFollow(Path path) throws IOException {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Defence in depth behind {@link #directories}: a component swapped for a link between that check and the
     * link() would have put the file elsewhere; then the new name is removed again and the item refused.
     */
    private void checkLanded(Path named, String name) throws IOException {
        String directory = TreeNames.directoryOf(name);
        if (directory.isEmpty()) {
            return;
        }
        Path expected = dir.resolve(directory.substring(0, directory.length() - 1));
        if (!named.getParent().toRealPath().equals(expected)) {
            Files.deleteIfExists(named);
            throw new RefusedPathException("a directory of '" + name + "' in the receiver's output directory was "
                    + "replaced by a link while the item was stored, so it was not stored; its operator should "
                    + "check who else writes there");
        }
    }

    /** Deletes {@code file}'s temporary file; does nothing when it was already committed or aborted. */
    public void abort(PendingFile file) throws IOException {
        checkOwned(file);
        if (!file.finish(PendingFile.State.ABORTED)) {
            return;
        }
        touched("abort");
        pending.remove(file);
        try {
            file.channel().close();
        } finally {
            Files.deleteIfExists(file.tempPath());
        }
    }

    /**
     * Deletes {@code .udpix-*.part} files left by an earlier run that stopped mid-transfer (this store's own
     * pending files are kept).
     *
     * @return how many were deleted
     */
    public int cleanStale() throws IOException {
        Set<Path> ours = ConcurrentHashMap.newKeySet();
        pending.forEach(file -> ours.add(file.tempPath()));
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path entry : entries) {
                // Never follow a link planted in DIR: only plain files we could have written are deleted.
                if (!ours.contains(entry) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                        && Files.deleteIfExists(entry)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** How many files are pending (created, neither committed nor aborted). */
    public int pendingCount() {
        return pending.size();
    }

    /** Aborts every pending file (a stopping server abandons unfinished transfers) and releases the lock. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (PendingFile file : pending) {
            try {
                abort(file);
            } catch (IOException e) {
                failure = e;
            }
        }
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Hard-links {@code target} to {@code source}: atomic and fails if the name exists. Null when it failed. */
    private Path tryLink(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
            return target;
        } catch (FileAlreadyExistsException e) {
            return null;
        } catch (java.nio.file.NoSuchFileException e) {
            // The target's directory (or the temporary file) was removed meanwhile: not a lack of hard links.
            throw new IOException("'" + dir.relativize(target) + "' could not be linked: " + e.getMessage()
                    + " vanished while the item was stored (is another program deleting files in " + dir
                    + "?); send the item again", e);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            // E.g. FAT or some network shares: no hard links. Fall back to reserve-then-rename.
            hardLinksWork = false;
            return null;
        }
    }

    /**
     * Reserves {@code target} with an exclusive create (so no one else can take it), then atomically renames the
     * temporary file over the empty reservation.
     */
    private static boolean tryReserveAndMove(Path source, Path target) throws IOException {
        try {
            Files.createFile(target);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
    }

    /** {@link #withSuffix(String, long)} applied to the base name of a relative name. */
    static String withSuffixInTree(String relative, long suffix) {
        return TreeNames.directoryOf(relative) + withSuffix(TreeNames.baseOf(relative), suffix);
    }

    /** {@code stem (N).ext}; N = 0 is the name itself. The extension starts at the last dot not at index 0. */
    static String withSuffix(String name, long suffix) {
        if (suffix == 0) {
            return name;
        }
        return withSuffix(name, Long.toString(suffix));
    }

    /** {@code stem (tag).ext}. */
    static String withSuffix(String name, String suffix) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return name + " (" + suffix + ")";
        }
        return name.substring(0, dot) + " (" + suffix + ")" + name.substring(dot);
    }

    /** {@code dir/name}, refusing anything that would land elsewhere (defence in depth behind SafeNames). */
    private Path inside(String name) throws IOException {
        Path path = dir.resolve(name).normalize();
        if (!path.startsWith(dir) || !dir.equals(path.getParent())) {
            throw new IOException("refusing to write '" + name + "' outside " + dir);
        }
        return path;
    }

    /** {@code dir/a/b/name} for a safe relative name, refusing anything that would land elsewhere. */
    private Path insideTree(String relative) throws IOException {
        String directory = TreeNames.directoryOf(relative);
        if (directory.isEmpty()) {
            return inside(relative);
        }
        Path parent = dir.resolve(directory.substring(0, directory.length() - 1)).normalize();
        Path path = parent.resolve(TreeNames.baseOf(relative)).normalize();
        if (!parent.startsWith(dir) || !parent.equals(path.getParent()) || parent.equals(dir)) {
            throw new IOException("refusing to write '" + relative + "' outside " + dir);
        }
        return path;
    }

    private void checkOwned(PendingFile file) {
        Objects.requireNonNull(file, "file");
        if (file.store() != this) {
            throw new IllegalArgumentException(file + " belongs to another OutputStore");
        }
    }
}
