package io.udpix.api;

import io.udpix.engine.transfer.TransferSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An outgoing file read with positional reads, so lost chunks can be read again for retransmission without any
 * copy of the file in memory (heap use is independent of the file's size).
 */
final class FileSource implements TransferSource {
    private final FileChannel channel;

    FileSource(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        int n = channel.read(dst, offset);
        return Math.max(n, 0);
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
