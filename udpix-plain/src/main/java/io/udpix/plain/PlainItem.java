package io.udpix.plain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One completed plain item: who sent it, what it is, and its bytes, held in memory or (for large items) in a
 * temporary spill file that the consumer now owns: move it with {@link #moveTo} or delete it with
 * {@link #discard}.
 */
public final class PlainItem {
    private final InetSocketAddress from;
    private final PlainItemKind kind;
    private final String extension;
    private final long lengthBytes;
    private final byte[] bytes;
    private final Path spillFile;
    /** Largest reply its sender may get about it: the datagram's size for a one-datagram item (anti-amplification). */
    private final int replyLimitBytes;

    /** An item assembled after an accepted header: its sender is known, so replies about it are not limited. */
    PlainItem(InetSocketAddress from, PlainItemKind kind, String extension, long lengthBytes, byte[] bytes,
            Path spillFile) {
        this(from, kind, extension, lengthBytes, bytes, spillFile, PlainReceiver.KNOWN_SENDER);
    }

    PlainItem(InetSocketAddress from, PlainItemKind kind, String extension, long lengthBytes, byte[] bytes,
            Path spillFile, int replyLimitBytes) {
        this.replyLimitBytes = replyLimitBytes;
        this.from = from;
        this.kind = kind;
        this.extension = extension;
        this.lengthBytes = lengthBytes;
        this.bytes = bytes;
        this.spillFile = spillFile;
    }

    /** The sender's address. */
    public InetSocketAddress from() {
        return from;
    }

    /** Image, JSON message, or other bytes. */
    public PlainItemKind kind() {
        return kind;
    }

    /** Suggested file extension without the dot: {@code jpg png gif bmp webp json bin}. */
    public String extension() {
        return extension;
    }

    /** The item's size. */
    public long lengthBytes() {
        return lengthBytes;
    }

    /** True when the bytes are held in memory rather than in a spill file. */
    public boolean inMemory() {
        return bytes != null;
    }

    /** The spill file holding the bytes, when the item was too large to keep in memory. */
    public Optional<Path> spillFile() {
        return Optional.ofNullable(spillFile);
    }

    int replyLimitBytes() {
        return replyLimitBytes;
    }

    /** The item's bytes (a copy; reads the spill file when there is one, so only for items below 2 GiB). */
    public byte[] readAllBytes() throws IOException {
        if (bytes != null) {
            return bytes.clone();
        }
        if (lengthBytes > Integer.MAX_VALUE - 8) {
            throw new IOException("item of " + lengthBytes + " bytes is too large for one array; use openStream()");
        }
        return Files.readAllBytes(spillFile);
    }

    /** A stream over the item's bytes. */
    public InputStream openStream() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(spillFile);
    }

    /**
     * Stores the item at {@code target}, which must not exist yet; a spill file is moved (renamed when on the same
     * file system), so the item cannot be stored twice.
     */
    public void moveTo(Path target) throws IOException {
        if (bytes != null) {
            Files.write(target, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return;
        }
        try {
            Files.move(spillFile, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(spillFile, target);
        }
    }

    /** Deletes the spill file, if any; call it for items that are not stored. Idempotent. */
    public void discard() {
        if (spillFile != null) {
            try {
                Files.deleteIfExists(spillFile);
            } catch (IOException e) {
                // Nothing else to do: the file stays in the spill directory (udpix-plain-*.part), cleaned at the next start.
            }
        }
    }

    @Override
    public String toString() {
        return kind + " " + lengthBytes + " bytes (." + extension + ") from " + from;
    }
}
