package io.udpix.api.store;

import io.udpix.engine.util.Sha256Digests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The storage-thread side of one resumable transfer: writes the content into its partial file from the offset it
 * resumed at, keeps the journal in step (the file forced to disk first, so the journal never claims bytes a crash
 * could lose) and at the end verifies the whole file and gives it its final name, or keeps it for a later resume.
 *
 * <p>Journal cadence: every {@link #JOURNAL_INTERVAL_BYTES} written or {@link #JOURNAL_INTERVAL_NS}, whichever
 * comes first, and whenever the transfer stops (failure, take-over), so a server that keeps running resumes at
 * the exact byte; only a crash of the server itself loses up to that interval. Each journal update is one data
 * fsync of the partial and one of the small journal: ~64 per GiB.
 *
 * <p>When it resumed at an offset above 0 the engine could not hash the content (it never saw the first bytes),
 * so this writer hashes the whole file: the prefix is read back when the file is opened, the rest as it is
 * written, and {@link #verified} compares with the SHA-256 the sender announced. Every method runs on the item's
 * storage lane; none on a driver thread.
 */
public final class PartialWriter {
    /** Bytes written between journal updates. */
    public static final long JOURNAL_INTERVAL_BYTES = 16L << 20;
    /** Longest time between journal updates while bytes arrive. */
    public static final long JOURNAL_INTERVAL_NS = 1_000_000_000L;
    private static final int PREFIX_READ_BYTES = 1 << 20;

    private final OutputStore store;
    private final Partials partials;
    private final Partials.Partial partial;
    private final Partials.Owner owner;
    private final long startOffset;
    private FileChannel channel;
    private MessageDigest digest;
    private long position;
    private long journaledBytes;
    private long journaledAtNs;
    private boolean ended;
    /** Opening found the partial unusable (shorter than its journal, broken by a hand-over): never kept. */
    private boolean unusable;
    /** Its files were deleted: nothing to hand over. */
    private boolean dropped;

    /** A writer for {@code partial}, owned by {@code owner}, resuming at {@code startOffset}. */
    public PartialWriter(OutputStore store, Partials.Partial partial, Partials.Owner owner, long startOffset) {
        this.store = store;
        this.partials = store.partials();
        this.partial = partial;
        this.owner = owner;
        this.startOffset = startOffset;
        this.position = startOffset;
        this.journaledBytes = startOffset;
    }

    /** The offset the transfer resumed at. */
    public long startOffset() {
        return startOffset;
    }

    /** Content bytes in the file so far (from 0). */
    public long position() {
        return position;
    }

    /** Opens the partial file (on the first write or the commit); reads back and hashes the prefix when resumed. */
    private void open() throws IOException {
        if (channel != null) {
            return;
        }
        if (unusable) {
            throw new IOException("the partial file of '" + partial.name + "' cannot be used");
        }
        try {
            openFile();
        } catch (IOException | RuntimeException e) {
            unusable = true;
            closeQuietly();
            channel = null;
            throw e;
        }
    }

    private void openFile() throws IOException {
        store.touched("partial-open");
        if (partial.broken()) {
            throw new IOException("the partial file of '" + partial.name + "' was not fully written by the transfer"
                    + " it took over from; send the item again (it starts from 0)");
        }
        Path dir = partial.file.getParent();
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; remove it (udpix keeps partial files there)");
        }
        Files.createDirectories(dir);
        if (Files.isSymbolicLink(partial.file)) {
            throw new IOException(partial.file + " is a symbolic link; refusing to write through it");
        }
        channel = FileChannel.open(partial.file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        long sizeBytes = channel.size();
        if (sizeBytes < startOffset) {
            throw new IOException("the partial file " + partial.file + " holds " + sizeBytes + " bytes, fewer than"
                    + " the " + startOffset + " its journal promised; send the item again (it starts from 0)");
        }
        if (sizeBytes > startOffset) {
            channel.truncate(startOffset); // written after the last journal: not counted, written again
        }
        if (startOffset > 0) {
            digest = Sha256Digests.newDigest();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(PREFIX_READ_BYTES, startOffset));
            long at = 0;
            while (at < startOffset) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), startOffset - at));
                int n = channel.read(buffer, at);
                if (n <= 0) {
                    throw new IOException("the partial file " + partial.file + " ended early while it was read back");
                }
                buffer.flip();
                digest.update(buffer);
                at += n;
            }
        }
        journaledAtNs = System.nanoTime();
    }

    /** Appends {@code buffer} (the next bytes of the content, in order); updates the journal when due. */
    public void write(ByteBuffer buffer) throws IOException {
        open();
        store.touched("write");
        if (digest != null) {
            digest.update(buffer.duplicate());
        }
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        long nowNs = System.nanoTime();
        if (position - journaledBytes >= JOURNAL_INTERVAL_BYTES || nowNs - journaledAtNs >= JOURNAL_INTERVAL_NS) {
            journal(nowNs);
        }
    }

    private void journal(long nowNs) throws IOException {
        if (channel != null && position != journaledBytes) {
            channel.force(false);
            partial.writeJournal(position);
            journaledBytes = position;
        }
        journaledAtNs = nowNs;
    }

    /**
     * Whether the whole file has the SHA-256 {@code expected}: only this writer can tell when it resumed (the
     * engine hashed nothing); when it started at 0 the engine already verified every byte and this is true.
     */
    public boolean verified(byte[] expected) throws IOException {
        open();
        if (digest == null) {
            return true;
        }
        return position == partial.sizeBytes && Arrays.equals(digest.digest(), expected);
    }

    /** Gives the verified file its final name (see {@link OutputStore#commit}) and forgets the partial. */
    public Path commit(String safeName) throws IOException {
        open();
        ended = true;
        partials.remove(partial, owner);
        Files.deleteIfExists(partial.journal);
        return store.commit(new PendingFile(store, safeName, partial.file, channel));
    }

    /** The content did not verify (or cannot be used): deletes the partial so the next transfer starts at 0. */
    public void drop() {
        ended = true;
        dropped = true;
        closeQuietly();
        if (partials.remove(partial, owner)) {
            store.touched("partial-drop");
            deleteQuietly(partial.file);
            deleteQuietly(partial.journal);
        }
    }

    /**
     * The transfer failed: the bytes written stay, the journal says exactly how many, and a later transfer of the
     * same content resumes there.
     */
    public void keep() {
        if (ended) {
            return;
        }
        if (unusable || partial.broken() || (channel == null && startOffset == 0)) {
            drop(); // nothing (usable) written: no partial to keep
            return;
        }
        ended = true;
        try {
            journal(System.nanoTime());
            partials.release(partial, owner, journaledBytes, System.currentTimeMillis());
        } catch (IOException e) {
            // Cannot say what is on disk: the partial is useless.
            closeQuietly();
            if (partials.remove(partial, owner)) {
                deleteQuietly(partial.file);
                deleteQuietly(partial.journal);
            }
            return;
        }
        closeQuietly();
    }

    /**
     * A newer transfer of the same content took over: everything this transfer had taken is written (this runs
     * after its queued writes); the journal is brought up to date and the new owner may go on. {@code ok} false
     * when some write failed (the new owner then cannot use the file).
     */
    public void handOff(boolean ok) {
        if (ended) {
            partials.handedOver(partial, ok && !dropped); // a second call, or after keep(): the file is as it was left
            return;
        }
        ended = true;
        boolean written = ok;
        try {
            journal(System.nanoTime());
        } catch (IOException e) {
            written = false;
        }
        closeQuietly();
        partials.handedOver(partial, written);
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing more to write through it.
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Left for the next start, which deletes partials without a matching journal.
        }
    }
}
