package io.udpix.api.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file being received: bytes go to {@link #channel()}, which writes a hidden temporary file in the output
 * directory; {@link OutputStore#commit} gives it its final name, {@link #close()} without a commit deletes it.
 */
public final class PendingFile implements AutoCloseable {

    /** Where a pending file is in its life. */
    enum State { OPEN, COMMITTED, ABORTED }

    private final OutputStore store;
    private final String safeName;
    private final Path tempPath;
    private final FileChannel channel;
    private State state = State.OPEN;

    PendingFile(OutputStore store, String safeName, Path tempPath, FileChannel channel) {
        this.store = store;
        this.safeName = safeName;
        this.tempPath = tempPath;
        this.channel = channel;
    }

    /**
     * The name it will get when committed (or a {@code name (N).ext} variant of it on a clash), relative to the
     * output directory: it may have directories, {@code photos/2024/cat.jpg}.
     */
    public String safeName() {
        return safeName;
    }

    /** The temporary file, {@code DIR/.udpix-<random>.part}. */
    public Path tempPath() {
        return tempPath;
    }

    /** Write access to the temporary file; positional writes let chunks arrive in any order. */
    public FileChannel channel() {
        return channel;
    }

    /** True until committed or aborted. */
    public synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    OutputStore store() {
        return store;
    }

    /** Moves OPEN to {@code next}; false when it already left OPEN (commit and abort each happen once). */
    synchronized boolean finish(State next) {
        if (state != State.OPEN) {
            return false;
        }
        state = next;
        return true;
    }

    /** Aborts (deletes the temporary file) unless it was committed; lets try-with-resources clean up. */
    @Override
    public void close() throws IOException {
        store.abort(this);
    }

    @Override
    public String toString() {
        return "PendingFile[" + safeName + " at " + tempPath + "]";
    }
}
