package io.udpix.api;

import io.udpix.api.store.PendingFile;
import io.udpix.engine.event.TransferInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * An item streamed into a hidden temporary file of the output directory ({@code .udpix-*.part}) and renamed to
 * its safe name only once the engine verified the SHA-256; aborting deletes the temporary file. Heap use is the
 * engine's reassembly window, whatever the item's size.
 */
final class FileItemSink extends ItemSink {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());

    private final PendingFile file;

    FileItemSink(ServerContext ctx, int port, InetSocketAddress peer, TransferInfo info, PendingFile file) {
        super(ctx, port, peer, info);
        this.file = file;
    }

    @Override
    int store(ByteBuffer src) throws IOException {
        // The engine hands bytes over strictly in order, so the channel's own position is the content offset.
        return file.channel().write(src);
    }

    @Override
    Stored finish() throws IOException {
        return Stored.file(ctx.store.commit(file));
    }

    @Override
    void discard() {
        try {
            ctx.store.abort(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + file.tempPath() + ": " + e);
        }
    }
}
