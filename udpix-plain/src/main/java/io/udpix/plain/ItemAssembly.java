package io.udpix.plain;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One item being put together from a sender's datagrams after a length header. Bytes go to a growing array
 * until the item or the receiver's total would pass its memory limit, then to a spill file.
 */
final class ItemAssembly {
    /** First allocation; doubling from here keeps copies amortised without trusting the declared length. */
    private static final int INITIAL_CAPACITY_BYTES = 64 << 10;
    /** Bytes kept from the start to recognise the content once it is complete (signatures need 18). */
    private static final int HEAD_BYTES = 64;
    /** A regular file takes all bytes in one write; the bound only guards against a misbehaving channel. */
    private static final int MAX_WRITE_ATTEMPTS = 1024;

    final InetSocketAddress from;
    final long declaredBytes;
    /** What the sender's address holds; this item's declared bytes and memory are counted in it. */
    final SenderShares.Share share;
    long receivedBytes;
    long lastActivityNs;

    private final byte[] head = new byte[HEAD_BYTES];
    private int headLength;
    private byte[] memory;
    private FileChannel spill;
    private Path spillPath;

    ItemAssembly(InetSocketAddress from, long declaredBytes, SenderShares.Share share, long nowNs) {
        this.from = from;
        this.declaredBytes = declaredBytes;
        this.share = share;
        this.lastActivityNs = nowNs;
    }

    long missingBytes() {
        return declaredBytes - receivedBytes;
    }

    boolean isComplete() {
        return receivedBytes == declaredBytes;
    }

    /** Appends {@code src} (position to limit; the caller checked it fits); on return position == limit. */
    void append(ByteBuffer src, MemoryBudget budget, PlainReceiverConfig config) throws IOException {
        int n = src.remaining();
        if (n == 0) {
            // A 0-byte UDP datagram is legal; before the first data byte there is no array to copy nothing into.
            return;
        }
        if (headLength < HEAD_BYTES) {
            int take = Math.min(n, HEAD_BYTES - headLength);
            src.get(src.position(), head, headLength, take);
            headLength += take;
        }
        if (spill == null) {
            ensureMemory(receivedBytes + n, budget, config);
        }
        if (spill == null) {
            src.get(memory, (int) receivedBytes, n);
        } else {
            for (int i = 0; src.hasRemaining() && i < MAX_WRITE_ATTEMPTS; i++) {
                spill.write(src);
            }
            if (src.hasRemaining()) {
                throw new IOException("spill file " + spillPath + " stopped accepting bytes (disk full?)");
            }
        }
        receivedBytes += n;
    }

    private void ensureMemory(long neededBytes, MemoryBudget budget, PlainReceiverConfig config) throws IOException {
        int capacity = memory == null ? 0 : memory.length;
        if (neededBytes <= capacity) {
            return;
        }
        if (neededBytes <= config.memoryPerItemBytes()) {
            long target = Math.max(neededBytes, Math.max(2L * capacity, INITIAL_CAPACITY_BYTES));
            target = Math.min(target, Math.min(declaredBytes, config.memoryPerItemBytes()));
            if (budget.tryReserve(share, target - capacity)) {
                memory = memory == null ? new byte[(int) target] : Arrays.copyOf(memory, (int) target);
                return;
            }
        }
        spillToFile(budget, config.spillDirectory());
    }

    private void spillToFile(MemoryBudget budget, Path directory) throws IOException {
        if (directory == null) {
            throw new IOException("no memory left for this item and no spill directory is configured; set"
                    + " PlainReceiverConfig.spillDirectory (the CLI uses OUT/" + PlainSpillDirectory.NAME + ")");
        }
        // Files.createTempFile gives owner-only permissions (rw-------) where the file system is POSIX.
        spillPath = Files.createTempFile(directory, "udpix-plain-", ".part");
        spill = FileChannel.open(spillPath, StandardOpenOption.WRITE);
        if (memory != null) {
            ByteBuffer existing = ByteBuffer.wrap(memory, 0, (int) receivedBytes);
            for (int i = 0; existing.hasRemaining() && i < MAX_WRITE_ATTEMPTS; i++) {
                spill.write(existing);
            }
            budget.release(share, memory.length);
            memory = null;
        }
    }

    /** Turns the complete assembly into an item; its memory leaves the budget (the consumer owns it now). */
    PlainItem finish(MemoryBudget budget) throws IOException {
        String imageExtension = ItemSniffer.imageExtension(head, 0, headLength);
        PlainItemKind kind = imageExtension != null ? PlainItemKind.IMAGE : PlainItemKind.BYTES;
        if (spill != null) {
            spill.close();
            spill = null;
            String extension = imageExtension != null ? imageExtension : ItemSniffer.UNKNOWN_EXTENSION;
            return new PlainItem(from, kind, extension, declaredBytes, null, spillPath);
        }
        byte[] bytes = memory.length == declaredBytes ? memory : Arrays.copyOf(memory, (int) declaredBytes);
        budget.release(share, memory.length);
        memory = null;
        // A chunked JSON file is stored as .json; only in-memory items are parsed, to keep the cost bounded.
        String extension = imageExtension != null ? imageExtension
                : ItemSniffer.extensionOf(bytes, 0, bytes.length);
        return new PlainItem(from, kind, extension, declaredBytes, bytes, null);
    }

    /** Drops the partial item: frees its memory and deletes its spill file. */
    void discard(MemoryBudget budget) {
        if (memory != null) {
            budget.release(share, memory.length);
            memory = null;
        }
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException e) {
                // Deleting below is what matters.
            }
            spill = null;
        }
        if (spillPath != null) {
            try {
                Files.deleteIfExists(spillPath);
            } catch (IOException e) {
                // Left in the spill directory as udpix-plain-*.part; the next start cleans it.
            }
        }
    }
}
