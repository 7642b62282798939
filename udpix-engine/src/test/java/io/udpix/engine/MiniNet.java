package io.udpix.engine;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;

/**
 * A minimal in-test network for engine unit tests: fixed one-way delay, seeded iid loss, virtual time. The full
 * simulator lives in udpix-testkit (which depends on this module, so engine tests cannot use it).
 */
final class MiniNet {
    private record Arrival(long atNs, long seq, InetSocketAddress from, InetSocketAddress to, byte[] bytes) {}

    private final Map<InetSocketAddress, SansIoEndpoint> endpoints = new HashMap<>();
    private final PriorityQueue<Arrival> inFlight = new PriorityQueue<>(
            (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
    /** What an on-path observer sees: every datagram sent, in order. */
    record Seen(long atNs, InetSocketAddress from, InetSocketAddress to, byte[] bytes) {}

    final java.util.List<Seen> seen = new java.util.ArrayList<>();
    /** Drops a datagram before it is delivered when this says so (an on-path attacker or a lossy hop). */
    java.util.function.Predicate<Seen> drop = s -> false;
    private final SplittableRandom random;
    private final long delayNs;
    private final double loss;
    private long nowNs;
    private long seq;
    final ByteBuffer scratch;
    /** Direct buffers on both paths, as the drivers use (null: heap buffers). */
    private final ByteBuffer directIn;
    /** Datagrams for which this answers true (sender, bytes) are lost: a test's stand-in for a hostile peer. */
    private BiPredicate<InetSocketAddress, byte[]> dropIf = (from, bytes) -> false;

    MiniNet(long seed, long delayNs, double loss) {
        this(seed, delayNs, loss, false);
    }

    /** With {@code direct}, endpoints write into and read from direct buffers, as the drivers' are. */
    MiniNet(long seed, long delayNs, double loss, boolean direct) {
        this.scratch = direct ? ByteBuffer.allocateDirect(65_536) : ByteBuffer.allocate(65_536);
        this.directIn = direct ? ByteBuffer.allocateDirect(65_536) : null;
        this.random = new SplittableRandom(seed);
        this.delayNs = delayNs;
        this.loss = loss;
    }

    long nowNs() {
        return nowNs;
    }

    void attach(InetSocketAddress address, SansIoEndpoint endpoint) {
        endpoints.put(address, endpoint);
    }

    void detach(InetSocketAddress address) {
        endpoints.remove(address);
    }

    /** Loses every datagram for which {@code rule} (sender, bytes) answers true. */
    void dropIf(BiPredicate<InetSocketAddress, byte[]> rule) {
        dropIf = rule;
    }

    void inject(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        inFlight.add(new Arrival(nowNs, seq++, from, to, bytes));
    }

    /** Runs until {@code done} or the virtual time limit; returns whether {@code done} became true. */
    boolean runUntil(BooleanSupplier done, long limitNs) {
        int steps = 0;
        while (!done.getAsBoolean()) {
            if (++steps > 50_000_000) {
                throw new AssertionError("too many steps: livelock");
            }
            drainAll();
            long next = Long.MAX_VALUE;
            for (SansIoEndpoint e : endpoints.values()) {
                next = Math.min(next, e.nextDeadlineNs());
            }
            if (!inFlight.isEmpty()) {
                next = Math.min(next, inFlight.peek().atNs);
            }
            if (next == Long.MAX_VALUE || next > limitNs) {
                return done.getAsBoolean();
            }
            nowNs = Math.max(nowNs, next);
            while (!inFlight.isEmpty() && inFlight.peek().atNs <= nowNs) {
                Arrival a = inFlight.poll();
                SansIoEndpoint e = endpoints.get(a.to);
                if (e != null) {
                    e.handleDatagram(a.from, received(a.bytes), nowNs);
                }
            }
            for (SansIoEndpoint e : endpoints.values()) {
                if (e.nextDeadlineNs() <= nowNs) {
                    e.handleTimeout(nowNs);
                }
            }
        }
        return true;
    }

    private ByteBuffer received(byte[] bytes) {
        if (directIn == null) {
            return ByteBuffer.wrap(bytes);
        }
        directIn.clear();
        directIn.put(bytes).flip();
        return directIn;
    }

    private void drainAll() {
        for (Map.Entry<InetSocketAddress, SansIoEndpoint> entry : endpoints.entrySet()) {
            for (int i = 0; i < 100_000; i++) {
                InetSocketAddress to = entry.getValue().pollTransmit(scratch, nowNs);
                if (to == null) {
                    break;
                }
                byte[] copy = new byte[scratch.remaining()];
                scratch.get(copy);
                if ((loss > 0 && random.nextDouble() < loss) || dropIf.test(entry.getKey(), copy)) {
                    continue;
                }
                Seen s = new Seen(nowNs, entry.getKey(), to, copy.clone());
                if (seen.size() < 1_000_000) {
                    seen.add(s);
                }
                if (drop.test(s)) {
                    continue;
                }
                inFlight.add(new Arrival(nowNs + delayNs, seq++, entry.getKey(), to, copy));
            }
        }
    }
}
