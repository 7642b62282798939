package io.udpix.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The bounded queue behind {@link UdpixServer#receive(Duration)}. An item needs a slot before its sender is
 * confirmed: a finished item {@link #admit admits} itself (its RESULT waits, the server's commit-later path, as
 * with an {@link ItemPublisher}), gets a slot when there is room and its sender address holds less than its share
 * (a quarter of the capacity), else waits in FIFO order. A slot is freed when {@link #receive} takes the item, and
 * the first waiting item whose address is under its share gets it. So a sender whose items nobody takes waits for
 * its confirmations instead of the server buffering without bound, and one address cannot fill the queue for the
 * others. Waiting items are bounded by the engine's limits on transfers per connection and connections per address
 * (each is a transfer whose RESULT is pending). Thread-safe; nothing here blocks but {@link #receive}.
 */
final class ReceiveQueue {
    private final int capacity;
    private final int shareItems;
    /** Items ready for receive(), oldest first; guarded by {@code this}. */
    private final ArrayDeque<Ready> ready = new ArrayDeque<>();
    /** Items admitted (slot held) but not yet put; guarded by {@code this}. */
    private int admittedNotReady;
    /** Slots held per sender address (admitted or ready, not yet taken); guarded by {@code this}. */
    private final Map<InetAddress, Integer> heldPerAddress = new HashMap<>();
    /** Items waiting for a slot, oldest first; guarded by {@code this}. */
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private boolean closed;

    ReceiveQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("receiveQueue capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        // A quarter each (at least one): four busy senders can fill it, one alone cannot.
        this.shareItems = Math.max(1, capacity / 4);
    }

    /** How many items the queue holds at most. */
    int capacity() {
        return capacity;
    }

    /** Slots one sender address may hold at most. */
    int shareItems() {
        return shareItems;
    }

    /**
     * A slot for an item from {@code sender}: completes at once when there is room within the address's share,
     * later when {@link #receive} made room, exceptionally when the server closes first.
     */
    CompletionStage<Void> admit(InetSocketAddress sender) {
        InetAddress address = sender.getAddress();
        Waiter waiter = new Waiter(address);
        List<Waiter> admitted;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(closedFailure());
            }
            waiting.add(waiter);
            // Oldest first, but past a head that waits at its share: another address may still have room.
            admitted = admitWaiting();
        }
        complete(admitted);
        return waiter.future;
    }

    /** A verified item that was {@link #admit admitted}: ready for {@link #receive}; {@code onTaken} runs once taken. */
    void put(ReceivedItem item, Runnable onTaken) {
        synchronized (this) {
            admittedNotReady--;
            ready.add(new Ready(item, onTaken));
            notifyAll();
        }
    }

    /** An admitted item that will never be {@link #put} (its delivery failed): frees its slot. */
    void abandon(InetSocketAddress sender) {
        List<Waiter> admitted;
        synchronized (this) {
            admittedNotReady--;
            release(sender.getAddress());
            admitted = admitWaiting();
        }
        complete(admitted);
    }

    /**
     * The oldest ready item, waiting at most {@code timeout}; empty when none came in time, or at once when the
     * queue is closed and empty.
     */
    Optional<ReceivedItem> receive(Duration timeout) throws InterruptedException {
        long deadlineNs = System.nanoTime() + Math.max(0, timeout.toNanos());
        Ready taken;
        List<Waiter> admitted;
        synchronized (this) {
            while (ready.isEmpty()) {
                long leftNs = deadlineNs - System.nanoTime();
                if (closed || leftNs <= 0) {
                    return Optional.empty();
                }
                long ms = leftNs / 1_000_000L;
                wait(ms, ms == 0 ? (int) Math.max(1, leftNs) : 0);
            }
            taken = ready.poll();
            release(taken.item.sender().getAddress());
            admitted = admitWaiting();
        }
        complete(admitted);
        taken.onTaken.run();
        return Optional.of(taken.item);
    }

    /** Items ready now. */
    synchronized int readyItems() {
        return ready.size();
    }

    /** Items waiting for a slot now (their senders are not confirmed yet). */
    synchronized int waitingItems() {
        return waiting.size();
    }

    /**
     * Refuses new items and fails every waiting one (its sender gets SERVER_BUSY: not confirmed, send it again);
     * ready items can still be taken. Idempotent.
     */
    void close() {
        List<Waiter> failed;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            failed = new ArrayList<>(waiting);
            waiting.clear();
            notifyAll();
        }
        for (Waiter w : failed) {
            w.future.completeExceptionally(closedFailure());
        }
    }

    /**
     * Adapts the queue to the server's publisher stage: an item is confirmed once {@code inner} (may be null)
     * published it and then a slot was free.
     */
    ItemPublisher gate(ItemPublisher inner) {
        return new ItemPublisher() {
            @Override
            public Reservation reserve(InetSocketAddress sender, ItemKind kind, long sizeBytes)
                    throws PublisherRefusedException {
                return inner != null ? inner.reserve(sender, kind, sizeBytes) : () -> { };
            }

            @Override
            public CompletionStage<Void> publish(Reservation reservation, PublishedItem item) {
                if (inner == null) {
                    reservation.release();
                    return admit(item.sender());
                }
                return inner.publish(reservation, item).thenCompose(done -> admit(item.sender()));
            }

            @Override
            public void close() {
                ReceiveQueue.this.close();
            }
        };
    }

    private boolean hasRoomFor(InetAddress address) {
        return ready.size() + admittedNotReady < capacity && heldPerAddress.getOrDefault(address, 0) < shareItems;
    }

    private void hold(InetAddress address) {
        admittedNotReady++;
        heldPerAddress.merge(address, 1, Integer::sum);
    }

    private void release(InetAddress address) {
        heldPerAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }

    /** Gives free slots to waiting items, oldest first, skipping addresses at their share; under the lock. */
    private List<Waiter> admitWaiting() {
        List<Waiter> admitted = null;
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext() && ready.size() + admittedNotReady < capacity; ) {
            Waiter w = it.next();
            if (hasRoomFor(w.address)) {
                it.remove();
                hold(w.address);
                if (admitted == null) {
                    admitted = new ArrayList<>(2);
                }
                admitted.add(w);
            }
        }
        return admitted == null ? List.of() : admitted;
    }

    /** Completes outside the lock: the stages run the server's confirmation on their own thread. */
    private static void complete(List<Waiter> admitted) {
        for (Waiter w : admitted) {
            w.future.complete(null);
        }
    }

    private static Closed closedFailure() {
        return new Closed();
    }

    /** Why a waiting item failed: the server closed first. */
    static final class Closed extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Closed() {
            super("closed before its application took the item (UdpixServer.receive)", null);
        }
    }

    private static final class Waiter {
        final InetAddress address;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        Waiter(InetAddress address) {
            this.address = address;
        }
    }

    private static final class Ready {
        final ReceivedItem item;
        final Runnable onTaken;

        Ready(ReceivedItem item, Runnable onTaken) {
            this.item = item;
            this.onTaken = onTaken;
        }
    }
}
