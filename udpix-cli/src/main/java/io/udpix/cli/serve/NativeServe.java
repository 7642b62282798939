package io.udpix.cli.serve;

import io.udpix.api.ItemHandler;
import io.udpix.api.UdpixException;
import io.udpix.api.UdpixServer;
import io.udpix.cli.CliException;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.report.ItemReporter;
import io.udpix.cli.report.Units;
import io.udpix.cli.stream.ServeStreams;
import io.udpix.kafka.KafkaItemPublisher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Native mode of {@code serve}: a {@link UdpixServer} on every port, its items and events reported. */
final class NativeServe implements RunningServer {

    private final UdpixServer server;
    private final ServerItemReports reports;
    private final ServeStreams streams;
    private final long maxItemBytes;
    private final Duration grace;
    private final boolean takeStreams;
    /** Where items are published before they are confirmed ({@code --kafka}); null: nowhere. */
    private final KafkaItemPublisher publisher;

    private NativeServe(UdpixServer server, ServerItemReports reports, ServeStreams streams,
            ServeSettings settings, KafkaItemPublisher publisher) {
        this.publisher = publisher;
        this.server = server;
        this.reports = reports;
        this.streams = streams;
        this.maxItemBytes = settings.maxItemBytes();
        this.grace = settings.grace();
        this.takeStreams = settings.takeStreams();
    }

    /**
     * Binds every port and starts receiving into {@code settings.out()}; frame streams go to {@code streams}
     * (refused when {@code settings.takeStreams()} is off); every item, event, frame and stream end also goes to
     * {@code dashboard} (which passes them on once a dashboard is attached).
     *
     * @throws CliException exit code 3 when a port cannot be bound, 2 when the output directory cannot be used
     */
    static NativeServe start(ServeSettings settings, ItemReporter reporter, LiveDisplay display,
            ServeStreams streams, io.udpix.cli.trace.QlogOption qlog, DashboardTap dashboard) {
        return start(settings, reporter, display, streams, qlog, dashboard, (KafkaOptions) null);
    }

    /**
     * As {@link #start(ServeSettings, ItemReporter, LiveDisplay, ServeStreams, io.udpix.cli.trace.QlogOption,
     * DashboardTap)}, publishing every item as {@code kafka} asks (null or not enabled: no Kafka).
     *
     * @throws CliException also exit code 3 when no Kafka broker answers or the topic is missing
     */
    static NativeServe start(ServeSettings settings, ItemReporter reporter, LiveDisplay display,
            ServeStreams streams, io.udpix.cli.trace.QlogOption qlog, DashboardTap dashboard, KafkaOptions kafka) {
        return start(settings, reporter, display, streams, qlog, dashboard, kafka, null, 0);
    }

    /**
     * As {@link #start(ServeSettings, ItemReporter, LiveDisplay, ServeStreams, io.udpix.cli.trace.QlogOption,
     * DashboardTap, KafkaOptions)}, with {@code onItem} (null: none; {@code serve --exec}) answering every item on
     * {@code requestThreads} threads.
     */
    static NativeServe start(ServeSettings settings, ItemReporter reporter, LiveDisplay display,
            ServeStreams streams, io.udpix.cli.trace.QlogOption qlog, DashboardTap dashboard, KafkaOptions kafka,
            ItemHandler onItem, int requestThreads) {
        KafkaItemPublisher publisher = kafka == null ? null : kafka.start();
        try {
            return startPublishing(settings, reporter, display, streams, qlog, dashboard, publisher, onItem,
                    requestThreads);
        } catch (RuntimeException | Error e) {
            if (publisher != null) {
                publisher.close();
            }
            throw e;
        }
    }

    private static NativeServe startPublishing(ServeSettings settings, ItemReporter reporter, LiveDisplay display,
            ServeStreams streams, io.udpix.cli.trace.QlogOption qlog, DashboardTap dashboard,
            KafkaItemPublisher publisher, ItemHandler onItem, int requestThreads) {
        ServerItemReports reports = new ServerItemReports(reporter, display, settings.out());
        UdpixServer.Builder builder = UdpixServer.builder()
                .bind(settings.bind())
                .outputDirectory(settings.out())
                .maxItemBytes(settings.maxItemBytes())
                .closeGracePeriod(settings.grace())
                .imageCheck(settings.imageCheck())
                .durable(settings.durable())
                .maxTotalBytes(settings.maxTotalBytes())
                .maxConnections(settings.maxConnections())
                .threadsPerPort(settings.threads())
                .key(settings.key())
                .onImage(item -> {
                    dashboard.item(item);
                    reports.received(item);
                })
                .onFile(item -> {
                    dashboard.item(item);
                    reports.received(item);
                })
                .onBytes(item -> {
                    dashboard.item(item);
                    reports.received(item);
                })
                .onJson(item -> {
                    dashboard.item(item);
                    reports.received(item);
                })
                .onEvent(event -> {
                    dashboard.event(event);
                    reports.event(event);
                });
        if (settings.driver() != null) {
            builder.driver(settings.driver());
        }
        if (settings.streamLimits() != null) {
            builder.streamLimits(settings.streamLimits());
        }
        if (settings.takeStreams()) {
            builder.onFrame(frame -> {
                dashboard.frame(frame);
                streams.onFrame(frame);
            }).onStreamEnded(end -> {
                dashboard.streamEnded(end);
                streams.onEnded(end);
            });
        }
        if (settings.allowKeys() != null) {
            builder.allowKeys(settings.allowKeys());
        }
        if (settings.allow() != null) {
            builder.allow(settings.allow().toArray(String[]::new));
        }
        for (int port : settings.ports()) {
            builder.port(port);
        }
        if (publisher != null) {
            builder.publisher(publisher);
        }
        if (onItem != null) {
            // One request thread per job: a thread waits for its command, so more would only queue at the runner.
            builder.onItem(onItem).requestThreads(requestThreads);
        }
        qlog.applyTo(builder);
        try {
            UdpixServer server = builder.start();
            streams.start(server::streamStats);
            return new NativeServe(server, reports, streams, settings, publisher);
        } catch (UdpixException e) {
            throw new CliException(e.kind().exitCode(), e.getMessage(), e);
        } catch (IOException e) {
            // The output directory: not writable, not a directory, or used by another server.
            throw new CliException(ExitCodes.BAD_USAGE, e.getMessage(), e);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw CliException.badUsage(e.getMessage());
        }
    }

    /** The API server (for the dashboard). */
    UdpixServer server() {
        return server;
    }

    @Override
    public List<InetSocketAddress> addresses() {
        return server.localAddresses();
    }

    @Override
    public String mode() {
        return "udpix native mode, SHA-256 checked, up to " + Units.size(maxItemBytes) + " per item"
                + (takeStreams ? ", frame streams" : ", no frame streams")
                + (publisher == null ? "" : ", published to Kafka topic '" + publisher.settings().topic() + "' at "
                        + publisher.settings().bootstrapServers() + " (confirmed after acks=all)");
    }

    @Override
    public String fingerprint() {
        return server.fingerprint();
    }

    @Override
    public String stopping() {
        return server.activeItems() + " transfer(s) in progress get up to " + Units.duration(grace)
                + " to finish";
    }

    @Override
    public java.util.List<io.udpix.api.SocketStats> socketStats() {
        return server.stats().ports();
    }

    @Override
    public long itemsReceived() {
        return reports.count();
    }

    @Override
    public void close() {
        server.close();
        if (publisher != null) {
            publisher.close(); // after the server: items in their grace period still get Kafka's answer
        }
        streams.close();
        reports.closeAll();
    }
}
