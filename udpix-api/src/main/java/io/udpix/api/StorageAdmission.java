package io.udpix.api;

import io.udpix.api.store.SpaceProbe;
import io.udpix.api.store.StorageLanes;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, when an item is announced and without touching the file system (it runs on a driver thread), whether
 * the output directory can take it: open files (in all and per sender address), the total quota
 * ({@code --max-total}, with a per-address share) and the volume's free space (a figure refreshed on a storage
 * thread). An accepted item holds a {@link Ticket} until it is stored or dropped. Thread-safe.
 *
 * <p>Rules (README "Quotas"): files being written at once, at most {@code maxOpenFiles} in all and
 * {@code maxOpenFilesPerAddress} per sender IP address; the quota counts the directory's regular files when the
 * server started, every item stored since and the full size of every item in progress; while another address has
 * items in progress, one address may reserve at most half of what is left of the quota; the free-space check
 * keeps {@link #FREE_SPACE_MARGIN_BYTES} free after every item in progress is written.
 */
final class StorageAdmission {
    /** Space always left free on the volume, for the system and other programs (also room for our metadata). */
    static final long FREE_SPACE_MARGIN_BYTES = 64L << 20;
    /** The cached free-space figure is refreshed when older than this (on a storage thread). */
    static final long SPACE_REFRESH_NS = 1_000_000_000L;
    /** Default bound on files being written at once. */
    static final int DEFAULT_MAX_OPEN_FILES = 1_024;
    /** Default bound on files being written at once for one sender address. */
    static final int DEFAULT_MAX_OPEN_FILES_PER_ADDRESS = 64;

    private final long maxTotalBytes;
    private final int maxOpenFiles;
    private final int maxOpenFilesPerAddress;
    private final SpaceProbe space;
    private final StorageLanes lanes;
    private final AtomicLong storedBytes;

    // Guarded by this.
    private final Map<InetAddress, Share> shares = new HashMap<>();
    private int openFiles;
    private long reservedBytes;

    private volatile long usableBytes;
    private volatile long usableAtNs;
    private final AtomicLong writtenSinceProbeBytes = new AtomicLong();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    StorageAdmission(long maxTotalBytes, int maxOpenFiles, int maxOpenFilesPerAddress, long existingBytes,
            SpaceProbe space, StorageLanes lanes) throws IOException {
        this.maxTotalBytes = maxTotalBytes;
        this.maxOpenFiles = maxOpenFiles;
        this.maxOpenFilesPerAddress = maxOpenFilesPerAddress;
        this.storedBytes = new AtomicLong(existingBytes);
        this.space = space;
        this.lanes = lanes;
        this.usableBytes = space.usableBytes(); // at start, on the starting thread
        this.usableAtNs = System.nanoTime();
    }

    /**
     * Admits an item of {@code sizeBytes} from {@code address}; {@code file} when it needs an open file (JSON lines
     * do not).
     *
     * @throws TransferRefusedException NO_SPACE (quota or free space) or SERVER_BUSY (open files), with the reason
     */
    Ticket admit(InetAddress address, long sizeBytes, boolean file) throws TransferRefusedException {
        refreshSpaceIfStale();
        synchronized (this) {
            Share share = shares.get(address);
            int peerFiles = share == null ? 0 : share.openFiles;
            if (file && peerFiles >= maxOpenFilesPerAddress) {
                throw new TransferRefusedException(ErrorCode.SERVER_BUSY, "the receiver already writes "
                        + peerFiles + " files from " + address.getHostAddress() + " (its limit per address); "
                        + "wait for some to finish");
            }
            if (file && openFiles >= maxOpenFiles) {
                throw new TransferRefusedException(ErrorCode.SERVER_BUSY, "the receiver already writes "
                        + openFiles + " files (its limit); try again later");
            }
            if (maxTotalBytes != Long.MAX_VALUE) {
                long roomBytes = maxTotalBytes - storedBytes.get() - reservedBytes;
                if (sizeBytes > roomBytes) {
                    throw new TransferRefusedException(ErrorCode.NO_SPACE, "the receiver is out of space: "
                            + Sizes.text(Math.max(0, roomBytes)) + " left of its --max-total "
                            + Sizes.text(maxTotalBytes) + ", item " + Sizes.text(sizeBytes)
                            + "; ask its operator to free space or raise --max-total");
                }
                long peerReserved = share == null ? 0 : share.reservedBytes;
                boolean othersActive = reservedBytes - peerReserved > 0;
                long shareBytes = (maxTotalBytes - storedBytes.get()) / 2;
                if (othersActive && peerReserved + sizeBytes > shareBytes) {
                    throw new TransferRefusedException(ErrorCode.NO_SPACE, "the receiver's quota is shared: "
                            + "while others send, one address may reserve at most half of what is left ("
                            + Sizes.text(Math.max(0, shareBytes)) + "); it already has " + Sizes.text(peerReserved)
                            + " in progress, item " + Sizes.text(sizeBytes) + "; try again when they finish");
                }
            }
            long freeBytes = usableBytes - writtenSinceProbeBytes.get() - reservedBytes - FREE_SPACE_MARGIN_BYTES;
            if (sizeBytes > freeBytes) {
                throw new TransferRefusedException(ErrorCode.NO_SPACE, "the receiver is out of space: "
                        + Sizes.text(Math.max(0, freeBytes)) + " free (keeping "
                        + Sizes.text(FREE_SPACE_MARGIN_BYTES) + " spare), item " + Sizes.text(sizeBytes)
                        + "; ask its operator to free space or raise --max-total");
            }
            if (share == null) {
                share = new Share();
                shares.put(address, share);
            }
            share.openFiles += file ? 1 : 0;
            share.reservedBytes += sizeBytes;
            share.items++;
            openFiles += file ? 1 : 0;
            reservedBytes += sizeBytes;
            return new Ticket(address, sizeBytes, file);
        }
    }

    /** Bytes counted against the quota now: stored plus reserved. */
    synchronized long usedBytes() {
        return storedBytes.get() + reservedBytes;
    }

    /** Files being written now. */
    synchronized int openFiles() {
        return openFiles;
    }

    private void refreshSpaceIfStale() {
        if (System.nanoTime() - usableAtNs >= SPACE_REFRESH_NS && refreshing.compareAndSet(false, true)) {
            if (!lanes.runOnce(this::refreshSpace)) {
                refreshing.set(false);
            }
        }
    }

    /** Probes the volume's free space; on a storage thread. */
    void refreshSpace() {
        try {
            long written = writtenSinceProbeBytes.get();
            usableBytes = space.usableBytes();
            writtenSinceProbeBytes.addAndGet(-written);
            usableAtNs = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            // Keep the last figure; the next announcement tries again.
        } finally {
            refreshing.set(false);
        }
    }

    private synchronized void release(Ticket ticket, long storedNowBytes) {
        Share share = shares.get(ticket.address);
        if (share != null) {
            share.openFiles -= ticket.file ? 1 : 0;
            share.reservedBytes -= ticket.sizeBytes;
            if (--share.items == 0) {
                shares.remove(ticket.address);
            }
        }
        openFiles -= ticket.file ? 1 : 0;
        reservedBytes -= ticket.sizeBytes;
        storedBytes.addAndGet(storedNowBytes);
    }

    /** One address's items in progress. */
    private static final class Share {
        int items;
        int openFiles;
        long reservedBytes;
    }

    /** What one accepted item holds until it is stored or dropped; released once. */
    final class Ticket {
        private final InetAddress address;
        private final long sizeBytes;
        private final boolean file;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(InetAddress address, long sizeBytes, boolean file) {
            this.address = address;
            this.sizeBytes = sizeBytes;
            this.file = file;
        }

        /** {@code bytes} more were written to the volume (on a storage thread). */
        void written(long bytes) {
            writtenSinceProbeBytes.addAndGet(bytes);
        }

        /** Ends the item: {@code storedBytes} now count as stored (0 when it was dropped). */
        void release(long storedBytes) {
            if (released.compareAndSet(false, true)) {
                StorageAdmission.this.release(this, storedBytes);
            }
        }
    }
}
