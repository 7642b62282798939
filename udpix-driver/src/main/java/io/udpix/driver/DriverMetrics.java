package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.metrics.CounterGroup;
import io.udpix.engine.metrics.CounterSchema;
import io.udpix.engine.metrics.Counters;
import io.udpix.engine.metrics.CountersSnapshot;
import io.udpix.engine.metrics.Metric;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Locale;

/**
 * A driver's figures, kept in its endpoint's {@link Counters} registry ({@link SansIoEndpoint#counters()}) as one
 * {@code driver} group (label {@code driver}: {@code nio}, {@code epoll}) and one {@code driver_send_error} group
 * per {@link SendErrorCause}, so every surface (stats, {@code --stats}, an exporter) reads them where it reads the
 * endpoint's. Both drivers register the same schema; figures a driver does not have stay 0 (GSO with NIO).
 *
 * <p>Written by the driver thread only (a plain read and a release store per update, as the registry's writer);
 * the groups are allocated once when the driver starts, before its thread touches the endpoint, so nothing is
 * allocated per datagram. {@link DriverStats} is a view of it.
 */
public final class DriverMetrics {
    /** Datagrams handed to the endpoint. */
    public static final int DATAGRAMS_RECEIVED = 0;
    /** Their payload bytes. */
    public static final int BYTES_RECEIVED = 1;
    /** Datagrams the kernel accepted. */
    public static final int DATAGRAMS_SENT = 2;
    /** Their payload bytes. */
    public static final int BYTES_SENT = 3;
    /** Datagrams dropped because they filled the receive limit (maxDatagramBytes + 1). */
    public static final int RECEIVE_TRUNCATIONS = 4;
    /** Receive calls that failed with an I/O error. */
    public static final int RECEIVE_ERRORS = 5;
    /** ICMP port-unreachable reports surfaced by the socket. */
    public static final int ICMP_ERRORS = 6;
    /** Times the socket send buffer was full. */
    public static final int SEND_BLOCKED = 7;
    /** Exceptions thrown by the endpoint. */
    public static final int ENDPOINT_ERRORS = 8;
    /** Exceptions thrown by commands or the event consumer. */
    public static final int CALLBACK_ERRORS = 9;
    /** Passes through the loop (the duty cycle). */
    public static final int LOOP_PASSES = 10;
    /** Times the thread was woken from a wait to run a pass. */
    public static final int WAKEUPS = 11;
    /** Calls of the endpoint's handleTimeout. */
    public static final int TIMER_RUNS = 12;
    /** Wake-ups that read at least one datagram. */
    public static final int READ_BURSTS = 13;
    /** Sends handed to the socket: one datagram (NIO, epoll) or one GSO batch (epoll). */
    public static final int SEND_CALLS = 14;
    /** GSO sends of two or more datagrams accepted (epoll). */
    public static final int GSO_BATCHES = 15;
    /** Datagrams those batches carried (epoll). */
    public static final int GSO_SEGMENTS = 16;
    /** GSO batches the kernel refused (epoll). */
    public static final int GSO_FAILURES = 17;
    /** 1 while sends are batched with GSO (epoll), else 0. */
    public static final int GSO_ACTIVE = 18;

    /** The driver's group; label {@code driver} is {@link Driver#kind()}. */
    public static final CounterSchema SCHEMA = new CounterSchema("driver", List.of("driver"), List.of(
            Metric.counter("udpix_driver_datagrams_received_total", "Datagrams the driver read and handed to the "
                    + "engine"),
            Metric.counter("udpix_driver_received_bytes_total", "Bytes of the datagrams the driver read"),
            Metric.counter("udpix_driver_datagrams_sent_total", "Datagrams the kernel accepted from the driver"),
            Metric.counter("udpix_driver_sent_bytes_total", "Bytes of the datagrams the kernel accepted"),
            Metric.counter("udpix_driver_receive_truncations_total", "Datagrams dropped on receive for filling "
                    + "the limit of maxDatagramBytes + 1 (larger than allowed or cut short)"),
            Metric.counter("udpix_driver_receive_errors_total", "Receive calls that failed with an I/O error"),
            Metric.counter("udpix_driver_icmp_errors_total", "ICMP port-unreachable reports the socket surfaced"),
            Metric.counter("udpix_driver_send_blocked_total", "Times the socket send buffer was full (the datagram "
                    + "was kept and sent later)"),
            Metric.counter("udpix_driver_endpoint_errors_total", "Exceptions the engine threw on the driver "
                    + "thread (a bug; the driver went on)"),
            Metric.counter("udpix_driver_callback_errors_total", "Exceptions commands or the event consumer threw "
                    + "on the driver thread"),
            Metric.counter("udpix_driver_loop_passes_total", "Passes through the driver loop (commands, "
                    + "receive, timers, send, events)"),
            Metric.counter("udpix_driver_wakeups_total", "Times the driver thread was woken from a wait to run a "
                    + "pass"),
            Metric.counter("udpix_driver_timer_runs_total", "Calls of the engine's timers (handleTimeout)"),
            Metric.counter("udpix_driver_read_bursts_total", "Wake-ups that read at least one datagram"),
            Metric.counter("udpix_driver_send_calls_total", "Sends handed to the socket: one datagram, or one "
                    + "GSO batch with the epoll driver"),
            Metric.counter("udpix_driver_gso_batches_total", "GSO sends of two or more datagrams accepted "
                    + "(epoll driver; 0 with NIO)"),
            Metric.counter("udpix_driver_gso_segments_total", "Datagrams carried by GSO batches (epoll driver; 0 "
                    + "with NIO)"),
            Metric.counter("udpix_driver_gso_failures_total", "GSO batches the kernel refused; the first turns GSO "
                    + "off (epoll driver; 0 with NIO)"),
            Metric.gauge("udpix_driver_gso_active", "1 while sends are batched with GSO (epoll driver; 0 with "
                    + "NIO)")));

    /** One group per {@link SendErrorCause}, labels {@code driver} and {@code cause} (lower case). */
    public static final CounterSchema SEND_ERROR_SCHEMA = new CounterSchema("driver_send_error",
            List.of("driver", "cause"), List.of(Metric.counter("udpix_driver_send_errors_total",
                    "Datagrams the driver could not send, by cause (loss recovery resends their content)")));

    /** Why a datagram could not be sent. */
    public enum SendErrorCause {
        /** The endpoint produced a datagram over maxDatagramBytes (a bug or a misconfiguration). */
        OVERSIZED,
        /** The kernel said EMSGSIZE: larger than the path or the interface allows. */
        TOO_LONG,
        /** No route to the peer (EHOSTUNREACH, ENETUNREACH). */
        NO_ROUTE,
        /** The socket closed while the datagram was on its way out. */
        CLOSED,
        /** Any other error of the send call. */
        OTHER;

        /** The cause of {@code error}, thrown by a send call; error path only. */
        public static SendErrorCause of(Throwable error) {
            if (error instanceof ClosedChannelException) {
                return CLOSED;
            }
            if (error instanceof NoRouteToHostException) {
                return NO_ROUTE;
            }
            String message = error.getMessage() == null ? "" : error.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("message too long")) {
                return TOO_LONG;
            }
            if (message.contains("no route") || message.contains("unreachable")) {
                return NO_ROUTE;
            }
            return OTHER;
        }
    }

    private final String kind;
    private final Counters registry;
    private final CounterGroup group;
    private final CounterGroup[] sendErrors = new CounterGroup[SendErrorCause.values().length];

    private DriverMetrics(String kind, Counters registry) {
        this.kind = kind;
        this.registry = registry;
        this.group = registry.allocate(SCHEMA, kind);
        for (SendErrorCause cause : SendErrorCause.values()) {
            sendErrors[cause.ordinal()] = registry.allocate(SEND_ERROR_SCHEMA, kind,
                    cause.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Registers a driver of {@code kind} in {@code endpoint}'s registry, or in a registry of its own when the
     * endpoint keeps none (a test endpoint). Call before the driver thread touches the endpoint (the registry has
     * one writer; handing the endpoint to the thread afterwards publishes the groups).
     */
    public static DriverMetrics register(SansIoEndpoint endpoint, String kind) {
        Counters registry = endpoint.counters();
        if (registry == null) {
            registry = new Counters(SCHEMA.size() + SEND_ERROR_SCHEMA.size() * SendErrorCause.values().length);
        }
        return new DriverMetrics(kind, registry);
    }

    /** The registry the figures are in (the endpoint's, unless it keeps none). */
    public Counters registry() {
        return registry;
    }

    /** Adds {@code delta} to metric {@code index} and returns the new value; driver thread only. */
    public long add(int index, long delta) {
        group.add(index, delta);
        return group.read(index);
    }

    /** Adds one to metric {@code index}; driver thread only. */
    public void increment(int index) {
        group.increment(index);
    }

    /** Sets gauge {@code index}; driver thread only (or before the thread starts). */
    public void set(int index, long value) {
        group.set(index, value);
    }

    /** Counts {@code datagrams} lost to {@code cause}; returns the send errors of every cause; driver thread. */
    public long sendErrors(SendErrorCause cause, long datagrams) {
        sendErrors[cause.ordinal()].add(0, datagrams);
        return sendErrorsTotal();
    }

    private long sendErrorsTotal() {
        long total = 0;
        for (CounterGroup g : sendErrors) {
            total += g.read(0);
        }
        return total;
    }

    /** Metric {@code index} now; any thread. */
    public long read(int index) {
        return group.read(index);
    }

    /** Send errors of {@code cause} so far; any thread. */
    public long sendErrors(SendErrorCause cause) {
        return sendErrors[cause.ordinal()].read(0);
    }

    /** The figures now as a {@link DriverStats}; any thread, cheap (reads the live group, no snapshot). */
    public DriverStats stats() {
        return new DriverStats(read(DATAGRAMS_RECEIVED), read(BYTES_RECEIVED), read(DATAGRAMS_SENT),
                read(BYTES_SENT), read(RECEIVE_TRUNCATIONS), read(RECEIVE_ERRORS), read(ICMP_ERRORS),
                sendErrorsTotal(), read(SEND_BLOCKED), read(ENDPOINT_ERRORS), read(CALLBACK_ERRORS),
                read(LOOP_PASSES));
    }

    /** The driver kind the groups are labelled with. */
    public String kind() {
        return kind;
    }

    /**
     * The driver's figures in {@code snapshot} (a snapshot of an endpoint's registry), or null when no driver
     * registered there (an endpoint run by the simulator).
     */
    public static DriverStats stats(CountersSnapshot snapshot) {
        List<CountersSnapshot.Group> groups = snapshot.groups(SCHEMA.kind());
        if (groups.isEmpty()) {
            return null;
        }
        CountersSnapshot.Group g = groups.get(0);
        long sendErrors = 0;
        for (CountersSnapshot.Group e : snapshot.groups(SEND_ERROR_SCHEMA.kind())) {
            sendErrors += e.value(0);
        }
        return new DriverStats(g.value(DATAGRAMS_RECEIVED), g.value(BYTES_RECEIVED), g.value(DATAGRAMS_SENT),
                g.value(BYTES_SENT), g.value(RECEIVE_TRUNCATIONS), g.value(RECEIVE_ERRORS), g.value(ICMP_ERRORS),
                sendErrors, g.value(SEND_BLOCKED), g.value(ENDPOINT_ERRORS), g.value(CALLBACK_ERRORS),
                g.value(LOOP_PASSES));
    }
}
