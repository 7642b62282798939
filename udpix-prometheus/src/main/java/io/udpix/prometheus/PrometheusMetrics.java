package io.udpix.prometheus;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.udpix.api.PortCounters;
import io.udpix.api.ServerStats;
import io.udpix.api.SocketStats;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Prometheus export of a server's counters registry through Micrometer's Prometheus registry: every metric of
 * docs/METRICS.md, labelled by port (and connection, reason, stream), rendered in the text exposition format.
 * An optional module: udpix-engine and udpix-api do not depend on Micrometer.
 *
 * <p>Each scrape reads the server's figures (registry snapshots, lock-free; stream figures through a queued call
 * the I/O thread answers between datagrams), then makes the Micrometer meters match them: series of a new
 * connection or stream are registered, those of a connection the engine forgot are removed, so the output
 * always shows what the server holds now. Safe from several HTTP threads at once.
 */
public final class PrometheusMetrics implements AutoCloseable {
    /** The content type of {@link #scrape()}: Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * At most this many series in one scrape: far above a full server (maxConnections x 25 connection series
     * plus 19 per stream), it only stops a runaway label set from growing the registry without bound.
     */
    static final int MAX_SERIES = 200_000;

    static final String SKIPPED = "udpix_exporter_series_skipped";

    private final Source source;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SeriesTable series = new SeriesTable(registry);
    private final ReentrantLock lock = new ReentrantLock();
    private JvmGcMetrics gc;

    /** An exporter of whatever {@code source} adds at each scrape (the factories below; tests). */
    PrometheusMetrics(Source source, boolean jvmMetrics) {
        this.source = source;
        if (jvmMetrics) {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
    }

    /** An exporter reading {@code server}'s registry at each scrape (no thread of its own), without JVM metrics. */
    public static PrometheusMetrics forServer(UdpixServer server) {
        return forServer(server, false);
    }

    /**
     * An exporter reading {@code server}'s registry at each scrape; with {@code jvmMetrics}, Micrometer's JVM
     * and process meters too (memory, GC, threads, class loading, CPU, uptime: their own {@code jvm_}/
     * {@code process_}/{@code system_} names, not in docs/METRICS.md). Off by default: the udpix figures alone.
     */
    public static PrometheusMetrics forServer(UdpixServer server, boolean jvmMetrics) {
        Objects.requireNonNull(server, "server");
        return new PrometheusMetrics(out -> collectServer(server, out), jvmMetrics);
    }

    /** An exporter reading {@code client}'s socket at each scrape (the same endpoint names, one port). */
    public static PrometheusMetrics forClient(UdpixClient client) {
        return forClient(client, false);
    }

    /** As {@link #forClient(UdpixClient)}, with Micrometer's JVM and process meters if {@code jvmMetrics}. */
    public static PrometheusMetrics forClient(UdpixClient client, boolean jvmMetrics) {
        Objects.requireNonNull(client, "client");
        return new PrometheusMetrics(out -> {
            // Streams first, counters after: every datagram handled before the stream figures is counted.
            SocketStats stats = client.stats();
            RegistryMetrics.collect(client.counters(), out);
            StreamMetrics.collect(stats, out);
        }, jvmMetrics);
    }

    /** The metrics now, in the text exposition format (safe from any thread; never blocks the I/O threads). */
    public String scrape() {
        // Read outside the lock: a scrape waiting for a busy I/O thread's stream figures holds no one up.
        Samples samples = new Samples(MAX_SERIES);
        source.collect(samples);
        List<Sample> all = samples.all();
        lock.lock();
        try {
            series.update(withSkipped(all, samples.skipped()));
            return registry.scrape();
        } finally {
            lock.unlock();
        }
    }

    /** Series registered after the last scrape (for tests: proves vanished series are removed). */
    int seriesCount() {
        lock.lock();
        try {
            return series.size();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the JVM GC listener, if any, and closes the registry. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (gc != null) {
                gc.close();
            }
            registry.close();
        } finally {
            lock.unlock();
        }
    }

    private static List<Sample> withSkipped(List<Sample> all, long skipped) {
        all.add(new Sample(SKIPPED, "Series the last scrape left out because it had " + MAX_SERIES + " already",
                true, List.of(), skipped));
        return all;
    }

    private static void collectServer(UdpixServer server, Samples out) {
        // Stream figures first, raw counters after: whatever the stream figures saw is in the counters too.
        ServerStats stats = server.stats();
        for (PortCounters counters : server.counters()) {
            RegistryMetrics.collect(counters, out);
        }
        for (SocketStats socket : stats.ports()) {
            StreamMetrics.collect(socket, out);
        }
        out.add("udpix_server_name_attempts_total", "File names tried in the output directory to commit items",
                false, List.of(), stats.nameAttempts());
        out.add("udpix_server_active_items", "Items being received now, over all ports", true, List.of(),
                server.activeItems());
        out.add("udpix_server_frames_dropped_slow_listener_total",
                "Frames replaced because the frame listener was still busy with an older one", false, List.of(),
                server.framesDroppedSlowListener());
    }

    /** Where the figures of one scrape come from. */
    @FunctionalInterface
    interface Source {
        void collect(Samples out);
    }
}
