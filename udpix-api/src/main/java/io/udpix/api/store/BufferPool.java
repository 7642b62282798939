package io.udpix.api.store;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A fixed number of direct buffers carrying received bytes from the engine's thread to the storage threads.
 * When all are in use the engine's sink pushes back (takes nothing), the engine stops granting credit and the
 * sender waits: memory stays at {@code count * bufferBytes} however slow the disk is. Thread-safe.
 */
public final class BufferPool {
    private final int bufferBytes;
    private final int maxBuffers;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int allocated;

    /** A pool of at most {@code maxBuffers} buffers of {@code bufferBytes}, allocated on first use. */
    public BufferPool(int bufferBytes, int maxBuffers) {
        if (bufferBytes <= 0 || maxBuffers <= 0) {
            throw new IllegalArgumentException("bufferBytes and maxBuffers must be positive");
        }
        this.bufferBytes = bufferBytes;
        this.maxBuffers = maxBuffers;
    }

    /** A cleared buffer, or null when every buffer is in use (the caller pushes back and retries later). */
    public synchronized ByteBuffer take() {
        ByteBuffer b = free.poll();
        if (b == null && allocated < maxBuffers) {
            allocated++;
            b = ByteBuffer.allocateDirect(bufferBytes);
        }
        if (b != null) {
            b.clear();
        }
        return b;
    }

    /** Returns a buffer from {@link #take}. */
    public synchronized void give(ByteBuffer b) {
        if (b != null && free.size() < maxBuffers) {
            free.push(b);
        }
    }

    /** Size of each buffer. */
    public int bufferBytes() {
        return bufferBytes;
    }

    /** Buffers handed out and not yet returned. */
    public synchronized int inUse() {
        return allocated - free.size();
    }
}
