package io.udpix.api;

import io.udpix.api.store.MessageLog;
import io.udpix.api.store.BufferPool;
import io.udpix.api.store.OutputStore;
import io.udpix.api.store.StorageLanes;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What every port of one server shares: where items go (output directory, message log, handlers), the callback
 * thread, the memory budget for in-memory items, and the count of items in progress that {@code close()} waits
 * for. Thread-safe: each port's driver thread uses it.
 */
final class ServerContext {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());
    final OutputStore store;
    final MessageLog messageLog;
    final CallbackExecutor callbacks;
    final long memoryThresholdBytes;
    final ImageCheck imageCheck;
    /** The storage threads (null without an output directory): every file-system call of an item runs there. */
    final StorageLanes lanes;
    /** Buffers carrying received bytes to the storage threads; null without an output directory. */
    final BufferPool buffers;
    /** Open-file, quota and free-space checks; null without an output directory. */
    final StorageAdmission admission;
    /** Frame streams: the listeners and the frame thread every port hands frames to. */
    final ServerStreams streams;
    /**
     * Where verified items are published before they are confirmed (null: nowhere), and the thread that takes
     * the publisher's answers (ServerConfirmations). Set once by the builder before any port starts.
     */
    ItemPublisher publisher;
    ServerConfirmations confirmations;
    /** The queue of {@link UdpixServer#receive} (null: none); set with the publisher, which it gates. */
    ReceiveQueue receiveQueue;
    /**
     * Called with every verified item on {@link #requests} (null: none; requests are then answered "no reply
     * handler"). Set once by the builder before any port starts.
     */
    ItemHandler itemHandler;
    RequestPool requests;
    private final Map<ItemKind, Consumer<ReceivedItem>> handlers;
    private final Consumer<ServerEvent> eventListener;
    private final long memoryBudgetBytes;
    private final AtomicLong memoryInUseBytes = new AtomicLong();
    private final AtomicLong itemCounter = new AtomicLong();
    /** Items refused for their name's path (too deep, a link or a file in the way): ServerStats.namesRefused. */
    final AtomicLong namesRefused = new AtomicLong();
    private final Object activityLock = new Object();
    private int activeItems;
    private volatile boolean closing;

    ServerContext(OutputStore store, MessageLog messageLog, CallbackExecutor callbacks, long memoryThresholdBytes,
            long memoryBudgetBytes, ImageCheck imageCheck, Map<ItemKind, Consumer<ReceivedItem>> handlers,
            Consumer<ServerEvent> eventListener, StorageLanes lanes, BufferPool buffers,
            StorageAdmission admission, ServerStreams streams) {
        this.streams = streams;
        this.lanes = lanes;
        this.buffers = buffers;
        this.admission = admission;
        this.store = store;
        this.messageLog = messageLog;
        this.callbacks = callbacks;
        this.memoryThresholdBytes = memoryThresholdBytes;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.imageCheck = imageCheck;
        this.handlers = handlers.isEmpty() ? new EnumMap<>(ItemKind.class) : new EnumMap<>(handlers);
        this.eventListener = eventListener;
    }

    /** The handler for {@code kind}, or null. */
    Consumer<ReceivedItem> handler(ItemKind kind) {
        return handlers.get(kind);
    }

    /** Whether anyone listens to events (so they need not be built otherwise). */
    boolean hasEventListener() {
        return eventListener != null;
    }

    /** Queues {@code event} for the listener, on the callback thread. */
    void emit(ServerEvent event) {
        if (eventListener != null) {
            callbacks.submit("event listener", () -> eventListener.accept(event));
        }
    }

    /** Calls the listener with {@code event} now; for code already running on the callback thread. */
    void emitHere(ServerEvent event) {
        if (eventListener != null) {
            try {
                eventListener.accept(event);
            } catch (RuntimeException e) {
                // The item's handler still has to run.
                LOG.log(System.Logger.Level.WARNING, "udpix server event listener failed: " + e, e);
            }
        }
    }

    /** A server-wide sequence number for names of items that came without a usable one. */
    long nextItemNumber() {
        return itemCounter.incrementAndGet();
    }

    /** Reserves {@code bytes} of the in-memory budget; false when it is used up. */
    boolean reserveMemory(long bytes) {
        while (true) {
            long used = memoryInUseBytes.get();
            if (used + bytes > memoryBudgetBytes) {
                return false;
            }
            if (memoryInUseBytes.compareAndSet(used, used + bytes)) {
                return true;
            }
        }
    }

    /** Returns bytes reserved with {@link #reserveMemory}. */
    void releaseMemory(long bytes) {
        memoryInUseBytes.addAndGet(-bytes);
    }

    /** The in-memory budget. */
    long memoryBudgetBytes() {
        return memoryBudgetBytes;
    }

    /** Whether the server is shutting down (new items are refused). */
    boolean closing() {
        return closing;
    }

    /** Refuses new items from now on. */
    void startClosing() {
        closing = true;
    }

    /** An item was accepted (a sink exists for it). */
    void itemStarted() {
        synchronized (activityLock) {
            activeItems++;
        }
    }

    /** An item's sink finished, either way. */
    void itemEnded() {
        synchronized (activityLock) {
            activeItems--;
            if (activeItems == 0) {
                activityLock.notifyAll();
            }
        }
    }

    /** Waits until no item is in progress or {@code deadlineNs} (System.nanoTime) passed; true if none is. */
    boolean awaitIdle(long deadlineNs) throws InterruptedException {
        synchronized (activityLock) {
            while (activeItems > 0) {
                long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0) {
                    return false;
                }
                activityLock.wait(Math.max(1, leftNs / 1_000_000L));
            }
            return true;
        }
    }

    /** Items in progress now. */
    int activeItems() {
        synchronized (activityLock) {
            return activeItems;
        }
    }
}
