package io.udpix.cli.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A UDP relay on real loopback sockets that loses, duplicates and reorders datagrams on purpose, with a seeded
 * random source: what {@code udpix demo} puts between client and server to show that transfers survive a bad
 * network.
 *
 * <p>Clients send to {@link #address()}; each client address gets its own upstream socket to the target, so the
 * target's replies go back to the right client (like a NAT). One thread runs everything with a selector; it
 * sleeps when idle.
 */
public final class LossyRelay implements AutoCloseable {

    /** At most this many client addresses at once; a new one beyond it evicts the least recently active. */
    public static final int MAX_CLIENTS = 256;
    /** Largest UDP payload over IPv4. */
    static final int MAX_DATAGRAM_BYTES = 65_507;
    /** Per wake-up and socket, at most this many datagrams are read before the others get a turn. */
    private static final int MAX_READS_PER_WAKEUP = 256;
    /** Enough to absorb a burst of a few thousand datagrams while the relay thread is descheduled. */
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    private static final long CLOSE_TIMEOUT_MS = 5_000;
    /** Bytes the delay line holds at most: 32 MiB is 50 ms of a 5 Gbit/s loopback stream. */
    static final int DELAY_LINE_BYTES = 32 << 20;

    private final InetSocketAddress target;
    private final Impairment impairment;
    private final SplittableRandom random;
    private final Selector selector;
    private final DatagramChannel front;
    private final InetSocketAddress address;
    private final long reorderHoldNs;
    /** Null without a delay. */
    private final DelayLine delayLine;
    /** Client address to its flow, least recently active first; touched only by the relay thread. */
    private final Map<SocketAddress, Flow> flows = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<SocketAddress, Flow> eldest) {
            if (size() > MAX_CLIENTS) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };
    /** Reused for every datagram (no allocation per datagram, except the JDK's sender address). */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM_BYTES);
    private final Thread thread;
    private int heldLanes;
    private volatile boolean closed;
    private volatile IOException failure;

    // Written only by the relay thread, read by anyone: volatile is enough for one writer.
    private volatile long received;
    private volatile long forwarded;
    private volatile long dropped;
    private volatile long duplicated;
    private volatile long reordered;
    private volatile long sendErrors;
    private volatile long delayOverflows;

    private LossyRelay(InetSocketAddress listen, InetSocketAddress target, Impairment impairment, long seed)
            throws IOException {
        this.target = target;
        this.impairment = impairment;
        this.random = new SplittableRandom(seed);
        this.reorderHoldNs = impairment.reorderHold().toNanos();
        this.delayLine = impairment.delay().isZero() ? null
                : new DelayLine(impairment.delay().toNanos(), DELAY_LINE_BYTES);
        this.selector = Selector.open();
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.bind(listen);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            if (channel != null) {
                channel.close();
            }
            selector.close();
            throw new IOException("relay cannot listen on " + listen + " (" + e.getMessage()
                    + "); is the port in use?", e);
        }
        this.front = channel;
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.thread = new Thread(this::run, "udpix-lossy-relay-" + address.getPort());
        this.thread.setDaemon(true);
    }

    /** Starts a relay on a free loopback port forwarding to {@code target}. */
    public static LossyRelay start(InetSocketAddress target, Impairment impairment, long seed) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), target, impairment, seed);
    }

    /** Starts a relay listening on {@code listen} (port 0 = any free port) forwarding to {@code target}. */
    public static LossyRelay start(InetSocketAddress listen, InetSocketAddress target, Impairment impairment,
                                   long seed) throws IOException {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(impairment, "impairment");
        if (target.isUnresolved()) {
            throw new IOException("relay target " + target + " is not resolved; pass an IP address");
        }
        LossyRelay relay = new LossyRelay(listen, target, impairment, seed);
        relay.thread.start();
        return relay;
    }

    /** Where clients send to. */
    public InetSocketAddress address() {
        return address;
    }

    /** Where datagrams go. */
    public InetSocketAddress target() {
        return target;
    }

    /** The impairment applied. */
    public Impairment impairment() {
        return impairment;
    }

    /** The counters so far (each one exact; read one after the other, not as one atomic snapshot). */
    public RelayStats stats() {
        return new RelayStats(received, forwarded, dropped, duplicated, reordered, sendErrors,
                delayOverflows);
    }

    /** Stops the relay and closes its sockets; held datagrams are dropped. Safe to call twice. */
    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IOException("relay thread did not stop within " + CLOSE_TIMEOUT_MS + " ms");
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(selectTimeoutMs(System.nanoTime()));
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.channel() == front) {
                        readFromClients();
                    } else {
                        readFromTarget((Flow) key.attachment());
                    }
                }
                releaseExpiredHolds(System.nanoTime());
                if (delayLine != null) {
                    delayLine.releaseDue(System.nanoTime());
                    delayOverflows = delayLine.overflows();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Reported by close(); the relay stops rather than limping on.
            failure = e instanceof IOException io ? io : new IOException("relay thread failed: " + e, e);
        } finally {
            for (Flow flow : flows.values()) {
                flow.close();
            }
            flows.clear();
            if (delayLine != null) {
                delayLine.clear();
            }
            closeQuietly(front);
            try {
                selector.close();
            } catch (IOException e) {
                // Nothing left to release.
            }
        }
    }

    private void readFromClients() throws IOException {
        for (int i = 0; i < MAX_READS_PER_WAKEUP; i++) {
            buffer.clear();
            SocketAddress client;
            try {
                client = front.receive(buffer);
            } catch (PortUnreachableException e) {
                // Some systems report an earlier ICMP error here; the socket itself is fine.
                sendErrors++;
                continue;
            }
            if (client == null) {
                return;
            }
            buffer.flip();
            Flow flow = flows.get(client);
            if (flow == null) {
                flow = openFlow(client);
                if (flow == null) {
                    continue;
                }
            }
            relay(flow.toTarget, System.nanoTime());
        }
    }

    private void readFromTarget(Flow flow) {
        for (int i = 0; i < MAX_READS_PER_WAKEUP; i++) {
            buffer.clear();
            int lengthBytes;
            try {
                lengthBytes = flow.upstream.read(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // A connected UDP socket reports an earlier ICMP error (target not listening) on read.
                sendErrors++;
                continue;
            }
            if (lengthBytes <= 0) {
                return;
            }
            buffer.flip();
            relay(flow.toClient, System.nanoTime());
        }
    }

    private Flow openFlow(SocketAddress client) throws IOException {
        DatagramChannel upstream = DatagramChannel.open();
        try {
            upstream.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES / 4);
            upstream.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES / 4);
            InetAddress local = target.getAddress().isLoopbackAddress() ? target.getAddress() : null;
            upstream.bind(new InetSocketAddress(local, 0));
            // Connected: the kernel passes only the target's datagrams to this socket.
            upstream.connect(target);
            upstream.configureBlocking(false);
            Flow flow = new Flow(client, upstream);
            upstream.register(selector, SelectionKey.OP_READ, flow);
            flows.put(client, flow);
            return flow;
        } catch (IOException e) {
            closeQuietly(upstream);
            sendErrors++;
            return null;
        }
    }

    /**
     * Applies the impairment to the datagram in {@link #buffer}. Three random draws per datagram whatever
     * happens, so that one seed always gives the same decisions for the same sequence of datagrams.
     */
    private void relay(Lane lane, long nowNs) {
        received++;
        double lossDraw = random.nextDouble();
        double duplicateDraw = random.nextDouble();
        double reorderDraw = random.nextDouble();
        if (lossDraw < impairment.lossProbability()) {
            dropped++;
            return;
        }
        boolean duplicate = duplicateDraw < impairment.duplicateProbability();
        if (!lane.holding && reorderDraw < impairment.reorderProbability()) {
            lane.hold(buffer, duplicate, nowNs + reorderHoldNs);
            heldLanes++;
            reordered++;
            return;
        }
        send(lane, buffer, duplicate);
        if (lane.holding) {
            // The datagram just sent overtook the held one: release it now.
            release(lane);
        }
    }

    private void send(Lane lane, ByteBuffer datagram, boolean duplicate) {
        int copies = duplicate ? 2 : 1;
        int start = datagram.position();
        for (int copy = 0; copy < copies; copy++) {
            datagram.position(start);
            if (delayLine != null) {
                delayLine.add(datagram, lane.exit, System.nanoTime());
                if (copy == 1) {
                    duplicated++;
                }
            } else if (transmit(lane, datagram) && copy == 1) {
                duplicated++;
            }
        }
    }

    /** Sends {@code datagram} now; false when the operating system did not take it (counted). */
    private boolean transmit(Lane lane, ByteBuffer datagram) {
        try {
            if (lane.send(datagram) == 0) {
                // Non-blocking send with a full socket buffer: the kernel did not take it.
                sendErrors++;
                return false;
            }
            forwarded++;
            return true;
        } catch (IOException e) {
            sendErrors++;
            return false;
        }
    }

    private void release(Lane lane) {
        lane.holding = false;
        heldLanes--;
        lane.held.rewind();
        send(lane, lane.held, lane.heldDuplicate);
    }

    private void releaseExpiredHolds(long nowNs) {
        if (heldLanes == 0) {
            return;
        }
        for (Flow flow : flows.values()) {
            for (Lane lane : flow.lanes) {
                if (lane.holding && nowNs - lane.heldDeadlineNs >= 0) {
                    release(lane);
                }
            }
        }
    }

    /**
     * Sleep until the earliest hold expires or delayed datagram is due, or until a datagram comes when nothing
     * waits (0 = forever).
     */
    private long selectTimeoutMs(long nowNs) {
        long delayedNs = delayLine == null ? -1 : delayLine.nanosUntilNext(nowNs);
        if (heldLanes == 0 && delayedNs < 0) {
            return 0;
        }
        long earliestNs = delayedNs < 0 ? Long.MAX_VALUE : delayedNs;
        for (Flow flow : flows.values()) {
            for (Lane lane : flow.lanes) {
                if (lane.holding) {
                    earliestNs = Math.min(earliestNs, lane.heldDeadlineNs - nowNs);
                }
            }
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(earliestNs) + 1);
    }

    private static void closeQuietly(DatagramChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a UDP socket does not fail in a way worth reporting.
        }
    }

    /** One client: its upstream socket and the two directions. */
    private final class Flow {
        final DatagramChannel upstream;
        final Lane toTarget;
        final Lane toClient;
        final Lane[] lanes;

        Flow(SocketAddress client, DatagramChannel upstream) {
            this.upstream = upstream;
            this.toTarget = new Lane(upstream, null);
            this.toClient = new Lane(front, client);
            toTarget.exit = datagram -> transmit(toTarget, datagram);
            toClient.exit = datagram -> transmit(toClient, datagram);
            this.lanes = new Lane[] {toTarget, toClient};
        }

        void close() {
            for (Lane lane : lanes) {
                if (lane.holding) {
                    lane.holding = false;
                    heldLanes--;
                }
            }
            closeQuietly(upstream);
        }
    }

    /** One direction of a flow, with room for one held-back datagram. */
    private static final class Lane {
        final DatagramChannel channel;
        /** Null when {@link #channel} is connected to the destination. */
        final SocketAddress destination;
        ByteBuffer held;
        /** Where the delay line sends this lane's datagrams. */
        DelayLine.Exit exit;
        boolean holding;
        boolean heldDuplicate;
        long heldDeadlineNs;

        Lane(DatagramChannel channel, SocketAddress destination) {
            this.channel = channel;
            this.destination = destination;
        }

        void hold(ByteBuffer datagram, boolean duplicate, long deadlineNs) {
            if (held == null) {
                // Allocated on the first hold only, then reused: most lanes never hold anything.
                held = ByteBuffer.allocate(MAX_DATAGRAM_BYTES);
            }
            held.clear();
            held.put(datagram);
            held.flip();
            holding = true;
            heldDuplicate = duplicate;
            heldDeadlineNs = deadlineNs;
        }

        /** Bytes sent: the whole datagram, or 0 when the socket buffer had no room. */
        int send(ByteBuffer datagram) throws IOException {
            return destination == null ? channel.write(datagram) : channel.send(datagram, destination);
        }
    }
}
