package io.udpix.prometheus;

import io.udpix.api.UdpixServer;

/**
 * Prometheus export of a server's counters registry through Micrometer's Prometheus registry: every metric of
 * docs/METRICS.md, labelled by port (and connection, reason, stream), rendered in the text exposition format.
 * An optional module: udpix-engine and udpix-api do not depend on Micrometer.
 */
public final class PrometheusMetrics {
    /** The content type of {@link #scrape()}: Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final UdpixServer server;

    private PrometheusMetrics(UdpixServer server) {
        this.server = server;
    }

    /** An exporter reading {@code server}'s registry at each scrape (no thread of its own). */
    public static PrometheusMetrics forServer(UdpixServer server) {
        return new PrometheusMetrics(server);
    }

    /** The metrics now, in the text exposition format (safe from any thread; never blocks the I/O threads). */
    public String scrape() {
        throw new UnsupportedOperationException("skeleton: the s12-prom helper builds this");
    }
}
