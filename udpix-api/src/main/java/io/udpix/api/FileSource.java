package io.udpix.api;

import io.udpix.engine.transfer.TransferSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An outgoing file read with positional reads, so lost chunks can be read again for retransmission without any
 * copy of the file in memory (heap use is independent of the file's size).
 *
 * <p>New data is read ahead {@link #READ_AHEAD_BYTES} at a time into one direct buffer: the engine asks for one
 * datagram's worth per call, which on a 1500-byte path was ~760,000 pread calls per GiB. A request behind the
 * buffer (a retransmission) is read directly, so it does not throw the read-ahead away.
 */
final class FileSource implements TransferSource {
    /** Bytes read per refill of the read-ahead buffer. */
    static final int READ_AHEAD_BYTES = 256 * 1024;

    private final FileChannel channel;
    /** Capacity of the read-ahead buffer: no more than the file, so a 32 KB image does not zero 256 KiB. */
    private final int aheadCapacityBytes;
    private ByteBuffer ahead;
    /** File offset of ahead's first byte; ahead holds [aheadStart, aheadStart + ahead.limit()). */
    private long aheadStart;

    FileSource(FileChannel channel) {
        this(channel, READ_AHEAD_BYTES);
    }

    /** A source for a file of {@code sizeBytes}: its read-ahead buffer is no larger than the file (at least 1). */
    FileSource(FileChannel channel, long sizeBytes) {
        this.channel = channel;
        this.aheadCapacityBytes = (int) Math.max(1, Math.min(READ_AHEAD_BYTES, sizeBytes));
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        if (ahead == null) {
            ahead = ByteBuffer.allocateDirect(aheadCapacityBytes).limit(0);
        }
        long aheadEnd = aheadStart + ahead.limit();
        if (offset < aheadStart) {
            return Math.max(channel.read(dst, offset), 0); // behind the read-ahead: a retransmission
        }
        if (offset >= aheadEnd) {
            ahead.clear();
            int n = channel.read(ahead, offset);
            ahead.flip();
            aheadStart = offset;
            if (n <= 0) {
                ahead.limit(0);
                return 0;
            }
        }
        int from = (int) (offset - aheadStart);
        int n = Math.min(dst.remaining(), ahead.limit() - from);
        dst.put(dst.position(), ahead, from, n);
        dst.position(dst.position() + n);
        return n;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Only reads happened; nothing is lost by a failed close.
        }
    }
}
