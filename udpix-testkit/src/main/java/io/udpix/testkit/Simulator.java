package io.udpix.testkit;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A deterministic network simulator in the style of TigerBeetle's VOPR: a virtual clock, sans-I/O endpoints
 * attached at fake addresses, one-way {@link Link}s between them, and every random choice drawn from streams
 * derived from one seed, so a seed replays bit for bit.
 *
 * <p>Event loop: a heap of (time, insertion sequence) holding datagram arrivals, endpoint deadlines (one per
 * endpoint, moved in place) and tasks. After every event that touches an endpoint the simulator drains its
 * {@code pollTransmit} (at most {@link #setMaxDatagramsPerStep} per step, then it continues at the same time after
 * the events already queued, so one endpoint cannot starve the loop), drains its events to a consumer registered
 * with {@link #onEvents}, and reschedules its {@code nextDeadlineNs()} (a past deadline runs at now).
 *
 * <p>An endpoint may be paused ({@link #stall}, {@link #stallRandomly}: a cold JVM's compile or GC pause): arrivals
 * wait in its socket buffer until the pause ends, its deadline fires at the end at the earliest, and it is not
 * polled meanwhile.
 *
 * <p>Single-threaded; callbacks (endpoints, tasks, observers) may call {@link #attach}, {@link #route},
 * {@link #addTask} and the like, but not run the simulator.
 */
public final class Simulator {
    /** Default cap on events per run: catches livelock (an endpoint whose deadline never advances). */
    public static final long DEFAULT_MAX_EVENTS_PER_RUN = 200_000_000L;
    /** Default cap on datagrams taken from one endpoint per step. */
    public static final int DEFAULT_MAX_DATAGRAMS_PER_STEP = 4096;
    /** Default cap on payload bytes in flight over all links. */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 256L << 20;
    /** Default cap on datagram copies in flight over all links. */
    public static final long DEFAULT_MAX_IN_FLIGHT_DATAGRAMS = 4_000_000L;
    /** Cap on events drained from one endpoint in one step. */
    private static final int MAX_EVENTS_PER_DRAIN = 1_000_000;
    private static final int MAX_PENDING_TASKS = 1_000_000;
    private static final int MAX_ENDPOINTS = 1 << 20;
    private static final long LINK_STREAMS = 1L << 32;
    private static final long USER_STREAMS = 2L << 32;
    private static final long STALL_STREAMS = 3L << 32;

    private final long seed;
    private long nowNs;
    private final EventQueue queue = new EventQueue();
    private final InFlightStore inFlight =
            new InFlightStore(DEFAULT_MAX_IN_FLIGHT_BYTES, DEFAULT_MAX_IN_FLIGHT_DATAGRAMS);
    private final SimulatorStats stats = new SimulatorStats();
    /** Where endpoints write outgoing datagrams: exactly the largest UDP payload, as the contract promises. */
    private final ByteBuffer transmitBuffer = ByteBuffer.allocate(LinkSpec.MAX_UDP_PAYLOAD_BYTES);

    private final List<EndpointSlot> slots = new ArrayList<>();
    private final Map<InetSocketAddress, EndpointSlot> slotsByAddress = new HashMap<>();
    private final Map<InetSocketAddress, Map<InetSocketAddress, Link>> routes = new HashMap<>();
    private final Map<InetSocketAddress, Consumer<EndpointEvent>> eventConsumers = new HashMap<>();
    private final List<DatagramObserver> deliverObservers = new ArrayList<>();
    private final List<DatagramObserver> sendObservers = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();
    private int[] freeTaskIds = new int[16];
    private int freeTaskCount;
    private int pendingTasks;

    private long topologyVersion;
    private int linkCount;
    private int addressCount;
    private long userStreamCount;
    private long stallStreamCount;
    private long maxEventsPerRun = DEFAULT_MAX_EVENTS_PER_RUN;
    private int maxDatagramsPerStep = DEFAULT_MAX_DATAGRAMS_PER_STEP;
    private boolean running;

    /** A simulator whose every random choice derives from {@code seed}; the clock starts at 0. */
    public Simulator(long seed) {
        this.seed = seed;
    }

    /** The seed everything derives from. */
    public long seed() {
        return seed;
    }

    /** "seed=N (re-run with -Dudpix.seed=N)", for failure messages. */
    public String describeSeed() {
        return Seeds.describe(seed);
    }

    /** Current virtual time. */
    public long nowNs() {
        return nowNs;
    }

    /** Whole-simulation counters (live). */
    public SimulatorStats stats() {
        return stats;
    }

    /** Datagram copies currently in flight over all links. */
    public long inFlightDatagrams() {
        return inFlight.count();
    }

    /** Most payload bytes ever in flight at once: shows the simulator keeps no history. */
    public long peakInFlightBytes() {
        return inFlight.peakBytes();
    }

    /** Most datagram copies ever in flight at once. */
    public long peakInFlightDatagrams() {
        return inFlight.peakCount();
    }

    /** Caps events per run (default 200 million); above it a run stops with EVENT_LIMIT. */
    public void setMaxEventsPerRun(long maxEvents) {
        if (maxEvents <= 0) {
            throw new IllegalArgumentException("maxEvents must be positive, got " + maxEvents);
        }
        this.maxEventsPerRun = maxEvents;
    }

    /** Caps datagrams taken from one endpoint per step (default 4096). */
    public void setMaxDatagramsPerStep(int maxDatagrams) {
        if (maxDatagrams <= 0) {
            throw new IllegalArgumentException("maxDatagrams must be positive, got " + maxDatagrams);
        }
        this.maxDatagramsPerStep = maxDatagrams;
    }

    /** Caps payload bytes in flight (default 256 MiB); above it the simulation fails with a message. */
    public void setMaxInFlightBytes(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        inFlight.maxBytes = maxBytes;
    }

    /** Caps datagram copies in flight (default 4 million); above it the simulation fails with a message. */
    public void setMaxInFlightDatagrams(long maxDatagrams) {
        if (maxDatagrams <= 0) {
            throw new IllegalArgumentException("maxDatagrams must be positive, got " + maxDatagrams);
        }
        inFlight.maxCount = maxDatagrams;
    }

    /** A new random stream derived from the seed, for test code that must replay with the simulation. */
    public SimRandom newRandom() {
        return new SimRandom(SimRandom.derive(seed, USER_STREAMS + userStreamCount++));
    }

    /** A fresh fake address 10.x.y.z:port, distinct from every earlier one of this simulator. */
    public InetSocketAddress newAddress() {
        int n = ++addressCount;
        if (n >= (1 << 24) - 2) {
            throw new SimulationException("the simulator ran out of 10.0.0.0/8 addresses after " + n);
        }
        byte[] ip = {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 10_000 + (n % 50_000));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address is always valid", e);
        }
    }

    /** Attaches {@code endpoint} at {@code address}; datagrams it sends leave from that address. */
    public void attach(InetSocketAddress address, SansIoEndpoint endpoint) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(endpoint, "endpoint");
        if (slotsByAddress.containsKey(address)) {
            throw new IllegalArgumentException("address " + address + " already has an endpoint; detach it first");
        }
        if (slots.size() >= MAX_ENDPOINTS) {
            throw new SimulationException("more than " + MAX_ENDPOINTS + " endpoints attached");
        }
        EndpointSlot slot = new EndpointSlot(slots.size(), address, endpoint, routesFrom(address));
        slot.eventConsumer = eventConsumers.get(address);
        slots.add(slot);
        slotsByAddress.put(address, slot);
        topologyVersion++;
        queue.push(nowNs, EventQueue.POLL, slot.index); // picks up its first datagrams and deadline
        slot.pollPending = true;
    }

    /**
     * Detaches the endpoint at {@code address} (a crash or restart): its deadline is cancelled and datagrams
     * arriving later count as undeliverable until another endpoint is attached there.
     */
    public void detach(InetSocketAddress address) {
        EndpointSlot slot = slotsByAddress.remove(address);
        if (slot == null) {
            throw new IllegalArgumentException("no endpoint is attached at " + address);
        }
        slot.detached = true;
        queue.clearDeadline(slot.index);
        topologyVersion++;
    }

    /** A new link with its own random stream derived from the seed. */
    public Link link(LinkSpec spec) {
        Objects.requireNonNull(spec, "spec");
        int id = linkCount++;
        return new Link(this, spec, SimRandom.derive(seed, LINK_STREAMS + id), id);
    }

    /** Datagrams from {@code from} to {@code to} take {@code link} (replacing any earlier route). */
    public void route(InetSocketAddress from, InetSocketAddress to, Link link) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(link, "link");
        routesFrom(from).put(to, link);
        topologyVersion++;
    }

    /** Two new links, a to b and b to a, routed; returns them for their stats. */
    public LinkPair routeBoth(InetSocketAddress a, InetSocketAddress b, LinkSpec aToB, LinkSpec bToA) {
        Link forward = link(aToB);
        Link backward = link(bToA);
        route(a, b, forward);
        route(b, a, backward);
        return new LinkPair(forward, backward);
    }

    /** Calls {@code observer} for every copy handed to an endpoint, just before handleDatagram. */
    public void onDeliver(DatagramObserver observer) {
        deliverObservers.add(Objects.requireNonNull(observer, "observer"));
    }

    /** Calls {@code observer} for every datagram an endpoint sends, before the link decides its fate. */
    public void onSend(DatagramObserver observer) {
        sendObservers.add(Objects.requireNonNull(observer, "observer"));
    }

    /**
     * Drains the events of the endpoint at {@code address} into {@code consumer} after each step that touches it;
     * without a consumer the simulator never calls pollEvent (the test owns the events).
     */
    public void onEvents(InetSocketAddress address, Consumer<EndpointEvent> consumer) {
        eventConsumers.put(address, consumer);
        EndpointSlot slot = slotsByAddress.get(address);
        if (slot != null) {
            slot.eventConsumer = consumer;
        }
    }

    /**
     * Pauses the endpoint at {@code address} from {@code atNs} for {@code durationNs} of virtual time (see
     * {@link EndpointStalls}); a pause overlapping another extends it.
     *
     * @param socketBufferBytes bytes of datagrams its socket holds during the pause; later arrivals are dropped
     */
    public void stall(InetSocketAddress address, long atNs, long durationNs, long socketBufferBytes) {
        Objects.requireNonNull(address, "address");
        if (durationNs <= 0 || socketBufferBytes <= 0) {
            throw new IllegalArgumentException("durationNs and socketBufferBytes must be positive, got "
                    + durationNs + " and " + socketBufferBytes);
        }
        addTask(atNs, () -> {
            EndpointSlot slot = slotsByAddress.get(address);
            if (slot == null) {
                return;
            }
            long endNs = saturatingAdd(nowNs, durationNs);
            if (endNs > slot.stalledUntilNs) {
                slot.stalledUntilNs = endNs;
                slot.stallSocketBufferBytes = socketBufferBytes;
                stats.stalls++;
                // The pause's end: the endpoint drains its socket, runs its due timers and sends.
                queue.push(endNs, EventQueue.POLL, slot.index);
            }
        });
    }

    /**
     * Pauses the endpoint at {@code address} as {@code stalls} says, at times and for durations drawn from a
     * stream derived from the seed (one stream per call, in call order).
     */
    public void stallRandomly(InetSocketAddress address, EndpointStalls stalls) {
        Objects.requireNonNull(stalls, "stalls");
        SimRandom random = new SimRandom(SimRandom.derive(seed, STALL_STREAMS + stallStreamCount++));
        for (int i = 0; i < stalls.count(); i++) {
            long atNs = random.nextLong(stalls.withinNs());
            long durationNs = random.nextLong(stalls.minDurationNs(), stalls.maxDurationNs() + 1);
            stall(address, atNs, durationNs, stalls.socketBufferBytes());
        }
    }

    /** Runs {@code task} at virtual time {@code atNs} (now, if already past); then every endpoint is polled. */
    public void addTask(long atNs, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (pendingTasks >= MAX_PENDING_TASKS) {
            throw new SimulationException(pendingTasks + " tasks are pending; the limit is " + MAX_PENDING_TASKS);
        }
        int id;
        if (freeTaskCount > 0) {
            id = freeTaskIds[--freeTaskCount];
            tasks.set(id, task);
        } else {
            id = tasks.size();
            tasks.add(task);
        }
        pendingTasks++;
        queue.push(Math.max(atNs, nowNs), EventQueue.TASK, id);
    }

    /**
     * Processes events in time order until {@code done} holds (checked before the first event and after each),
     * {@code maxVirtualNs} of virtual time pass (the clock then stands at the limit), nothing is left to happen
     * (QUIESCENT), or the per-run event cap is hit (EVENT_LIMIT).
     */
    public RunResult runUntil(BooleanSupplier done, long maxVirtualNs) {
        Objects.requireNonNull(done, "done");
        if (maxVirtualNs < 0) {
            throw new IllegalArgumentException("maxVirtualNs must be >= 0, got " + maxVirtualNs);
        }
        if (running) {
            throw new IllegalStateException("the simulator is already running; callbacks may not run it again");
        }
        running = true;
        try {
            return loop(done, maxVirtualNs);
        } finally {
            running = false;
        }
    }

    /** Runs for exactly {@code virtualNs} of virtual time; the clock ends at start + virtualNs. */
    public RunResult runFor(long virtualNs) {
        long startNs = nowNs;
        RunResult r = runUntil(() -> false, virtualNs);
        if (r.reason() == RunResult.Reason.QUIESCENT) {
            nowNs = saturatingAdd(startNs, virtualNs); // time passes even when nothing happens
            return new RunResult(r.reason(), startNs, nowNs, r.events());
        }
        return r;
    }

    private RunResult loop(BooleanSupplier done, long maxVirtualNs) {
        long startNs = nowNs;
        long limitNs = saturatingAdd(nowNs, maxVirtualNs);
        long events = 0;
        serviceAll(); // the test may have given endpoints work between runs
        while (true) {
            if (done.getAsBoolean()) {
                return new RunResult(RunResult.Reason.DONE, startNs, nowNs, events);
            }
            if (queue.isEmpty()) {
                return new RunResult(RunResult.Reason.QUIESCENT, startNs, nowNs, events);
            }
            long t = queue.peekTimeNs();
            if (t > limitNs) {
                nowNs = limitNs;
                return new RunResult(RunResult.Reason.TIME_LIMIT, startNs, nowNs, events);
            }
            if (events >= maxEventsPerRun) {
                return new RunResult(RunResult.Reason.EVENT_LIMIT, startNs, nowNs, events);
            }
            int ref = queue.pop();
            if (t > nowNs) {
                nowNs = t;
            }
            events++;
            stats.events++;
            dispatch(ref);
        }
    }

    private void dispatch(int ref) {
        int index = EventQueue.index(ref);
        switch (EventQueue.kind(ref)) {
            case EventQueue.ARRIVAL -> deliver(index);
            case EventQueue.DEADLINE -> {
                EndpointSlot slot = slots.get(index);
                if (slot.stalledUntilNs > nowNs) {
                    queue.setDeadline(slot.index, slot.stalledUntilNs); // a paused endpoint's timers fire late
                } else if (slot.heldBytes > 0) {
                    queue.setDeadline(slot.index, nowNs); // after the datagrams its socket held (drivers read first)
                } else if (!slot.detached) {
                    try {
                        slot.endpoint.handleTimeout(nowNs);
                    } catch (RuntimeException e) {
                        throw endpointFailure(slot, "handleTimeout", e);
                    }
                    service(slot);
                }
            }
            case EventQueue.POLL -> {
                EndpointSlot slot = slots.get(index);
                slot.pollPending = false;
                if (slot.heldBytes > 0 && slot.stalledUntilNs <= nowNs) {
                    queue.push(nowNs, EventQueue.POLL, slot.index); // after the datagrams its socket held
                } else {
                    service(slot);
                }
            }
            case EventQueue.TASK -> {
                Runnable task = tasks.set(index, null);
                pendingTasks--;
                if (freeTaskCount == freeTaskIds.length) {
                    freeTaskIds = Arrays.copyOf(freeTaskIds, freeTaskIds.length * 2);
                }
                freeTaskIds[freeTaskCount++] = index;
                try {
                    task.run();
                } catch (RuntimeException e) {
                    throw new SimulationException("a task threw at t=" + nowNs + " ns; " + describeSeed(), e);
                }
                serviceAll(); // a task may have given any endpoint work
            }
            default -> throw new IllegalStateException("unknown event kind in ref " + ref);
        }
    }

    private void deliver(int id) {
        InFlightStore f = inFlight;
        int length = f.lengths[id];
        EndpointSlot slot = f.toSlots[id];
        if (slot == null || slot.detached) {
            slot = slotsByAddress.get(f.tos[id]); // attached after the datagram left, or re-attached
        }
        if (slot != null && holdWhileStalled(slot, id, length)) {
            return;
        }
        f.links[id].onArrival(length, f.queueDelaysNs[id]);
        if (slot == null) {
            stats.undeliverable++;
            f.remove(id);
            return;
        }
        ByteBuffer datagram = f.buffers[id];
        InetSocketAddress from = f.froms[id];
        for (int i = 0, n = deliverObservers.size(); i < n; i++) {
            datagram.limit(length).position(0);
            deliverObservers.get(i).onDatagram(nowNs, from, slot.address, datagram);
        }
        datagram.limit(length).position(0);
        stats.deliveredDatagrams++;
        try {
            slot.endpoint.handleDatagram(from, datagram, nowNs);
        } catch (RuntimeException e) {
            throw endpointFailure(slot, "handleDatagram", e);
        }
        f.remove(id);
        service(slot);
    }

    /**
     * A datagram reaching a paused endpoint waits in its socket buffer (arrival order is kept: held copies are
     * queued again at the pause's end in the order they came), or is dropped when the buffer is full. Returns
     * whether the datagram was held or dropped rather than delivered now.
     */
    private boolean holdWhileStalled(EndpointSlot slot, int id, int length) {
        if (inFlight.held[id]) {
            inFlight.held[id] = false;
            slot.heldBytes -= length;
            if (slot.stalledUntilNs <= nowNs) {
                return false;
            }
        } else if (slot.stalledUntilNs <= nowNs) {
            return false;
        }
        if (slot.heldBytes + length > slot.stallSocketBufferBytes) {
            stats.stallDropped++;
            inFlight.links[id].onArrival(length, inFlight.queueDelaysNs[id]);
            inFlight.remove(id);
            return true;
        }
        inFlight.held[id] = true;
        slot.heldBytes += length;
        queue.push(slot.stalledUntilNs, EventQueue.ARRIVAL, id);
        return true;
    }

    private void serviceAll() {
        for (int i = 0, n = slots.size(); i < n; i++) {
            EndpointSlot slot = slots.get(i);
            if (!slot.detached) {
                service(slot);
            }
        }
    }

    /** Drains the endpoint's transmissions and events, then reschedules its deadline. */
    private void service(EndpointSlot slot) {
        if (slot.detached || slot.stalledUntilNs > nowNs || slot.heldBytes > 0) {
            // A paused endpoint is polled again when its pause ends, once it has read what its socket held (as a
            // driver reads its receive batch before it runs timers and sends).
            return;
        }
        SansIoEndpoint endpoint = slot.endpoint;
        ByteBuffer buf = transmitBuffer;
        int sent = 0;
        while (sent < maxDatagramsPerStep) {
            buf.clear();
            InetSocketAddress destination;
            try {
                destination = endpoint.pollTransmit(buf, nowNs);
            } catch (RuntimeException e) {
                throw endpointFailure(slot, "pollTransmit", e);
            }
            if (destination == null) {
                break;
            }
            if (buf.position() != 0) {
                throw new SimulationException("endpoint " + slot.address + " returned from pollTransmit with"
                        + " position=" + buf.position() + " limit=" + buf.limit() + " at t=" + nowNs
                        + " ns; the contract requires position 0 and limit = length (call flip() after writing)");
            }
            sent++;
            send(slot, destination, buf.limit());
        }
        if (sent == maxDatagramsPerStep && !slot.pollPending) {
            slot.pollPending = true; // continue after the events already due now
            queue.push(nowNs, EventQueue.POLL, slot.index);
        }
        if (slot.eventConsumer != null) {
            drainEvents(slot);
        }
        if (slot.detached) {
            return; // a consumer may detach it
        }
        long deadlineNs;
        try {
            deadlineNs = endpoint.nextDeadlineNs();
        } catch (RuntimeException e) {
            throw endpointFailure(slot, "nextDeadlineNs", e);
        }
        if (deadlineNs == Long.MAX_VALUE) {
            queue.clearDeadline(slot.index);
        } else {
            queue.setDeadline(slot.index, Math.max(deadlineNs, nowNs));
        }
    }

    private void drainEvents(EndpointSlot slot) {
        for (int i = 0; i < MAX_EVENTS_PER_DRAIN; i++) {
            EndpointEvent event;
            try {
                event = slot.endpoint.pollEvent();
            } catch (RuntimeException e) {
                throw endpointFailure(slot, "pollEvent", e);
            }
            if (event == null) {
                return;
            }
            slot.eventConsumer.accept(event);
        }
        throw new SimulationException("endpoint " + slot.address + " produced over " + MAX_EVENTS_PER_DRAIN
                + " events in one step at t=" + nowNs + " ns; pollEvent must return null once drained");
    }

    private void send(EndpointSlot slot, InetSocketAddress destination, int length) {
        stats.sentDatagrams++;
        byte[] bytes = transmitBuffer.array();
        for (int i = 0, n = sendObservers.size(); i < n; i++) {
            transmitBuffer.limit(length).position(0);
            sendObservers.get(i).onDatagram(nowNs, slot.address, destination, transmitBuffer);
        }
        if (slot.cachedVersion != topologyVersion || slot.cachedDestination != destination) {
            slot.cachedDestination = destination;
            slot.cachedLink = slot.routes.get(destination);
            slot.cachedDestinationSlot = slotsByAddress.get(destination);
            slot.cachedVersion = topologyVersion;
        }
        Link link = slot.cachedLink;
        if (link == null) {
            stats.unroutable++;
            return;
        }
        link.transmit(nowNs, bytes, length, slot.address, destination, slot.cachedDestinationSlot);
    }

    /** Called by links: stores a copy of the datagram (with corruption applied) and schedules its arrival. */
    void scheduleArrival(Link link, long arrivalNs, byte[] src, int length, InetSocketAddress from,
            InetSocketAddress to, EndpointSlot toSlot, long queueDelayNs, int corruptPosition, int corruptMask) {
        if (!inFlight.hasRoomFor(length)) {
            throw new SimulationException("at t=" + nowNs + " ns " + inFlight.count() + " datagrams ("
                    + inFlight.bytes() + " B) are in flight, at the limit of " + inFlight.maxCount + " datagrams / "
                    + inFlight.maxBytes + " B: a sender floods a link with no rate or queue limit (" + link
                    + "); set LinkSpec.queueBytes, or raise Simulator.setMaxInFlightBytes/Datagrams; "
                    + describeSeed());
        }
        int id = inFlight.add(src, length, from, to, toSlot, link, queueDelayNs);
        if (corruptPosition >= 0) {
            byte[] copy = inFlight.buffers[id].array();
            copy[corruptPosition] ^= (byte) corruptMask;
        }
        queue.push(arrivalNs, EventQueue.ARRIVAL, id);
    }

    private Map<InetSocketAddress, Link> routesFrom(InetSocketAddress from) {
        return routes.computeIfAbsent(from, k -> new HashMap<>());
    }

    private SimulationException endpointFailure(EndpointSlot slot, String method, RuntimeException e) {
        return new SimulationException("endpoint " + slot.address + " threw in " + method + " at t=" + nowNs
                + " ns (" + Durations.format(nowNs) + "); " + describeSeed(), e);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
