package io.udpix.cli.serve;

import io.udpix.cli.CliException;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.report.ItemReporter;
import io.udpix.cli.report.Units;
import io.udpix.plain.PlainHeaderFormat;
import io.udpix.plain.PlainItem;
import io.udpix.plain.PlainReceiverConfig;
import io.udpix.plain.PlainServer;
import io.udpix.plain.PlainSpillDirectory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Plain mode of {@code serve}: a {@link PlainServer} (one thread) per port, all storing into one directory. */
final class PlainServe implements RunningServer {

    private static final Logger LOG = LoggerFactory.getLogger(PlainServe.class);

    private final List<PlainServer> servers;
    private final PlainStore store;
    private final PlainReceiverConfig config;
    private final ItemReporter reporter;

    private PlainServe(List<PlainServer> servers, PlainStore store, PlainReceiverConfig config,
                       ItemReporter reporter) {
        this.servers = servers;
        this.store = store;
        this.config = config;
        this.reporter = reporter;
    }

    /**
     * Binds every port and starts receiving.
     *
     * @throws CliException exit code 3 when a port cannot be bound, 2 for bad plain settings or output directory
     */
    static PlainServe start(ServeSettings settings, ItemReporter reporter, LiveDisplay display) {
        config(settings, null);
        PlainStore store;
        try {
            store = PlainStore.open(settings.out(), settings.durable(), reporter, display);
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_USAGE, e.getMessage(), e);
        }
        PlainReceiverConfig config;
        try {
            // Under OUT, never java.io.tmpdir; cleaned now that the store holds OUT's lock (leftovers of a crash).
            config = config(settings, PlainSpillDirectory.prepare(store.dir()));
        } catch (IOException e) {
            closeQuietly(store);
            throw new CliException(ExitCodes.BAD_USAGE, "cannot prepare the plain spill folder: " + e.getMessage(),
                    e);
        }
        List<PlainServer> started = new ArrayList<>(settings.ports().size());
        try {
            for (int port : settings.ports()) {
                PortConsumer consumer = new PortConsumer(store, port);
                PlainServer server = PlainServer.start(new InetSocketAddress(settings.bind(), port), config,
                        consumer);
                consumer.port = server.localAddress().getPort();
                started.add(server);
            }
            return new PlainServe(List.copyOf(started), store, config, reporter);
        } catch (BindException e) {
            stopAll(started, store);
            throw CliException.cannotBindOrReach(e.getMessage(), e);
        } catch (IOException e) {
            stopAll(started, store);
            throw CliException.cannotBindOrReach("cannot listen on " + settings.bind().getHostAddress() + ": "
                    + e.getMessage() + "; check --bind and --port", e);
        } catch (RuntimeException e) {
            stopAll(started, store);
            throw e;
        }
    }

    /** The receivers' settings; also called with no spill folder first, to refuse bad options before OUT is touched. */
    private static PlainReceiverConfig config(ServeSettings settings, Path spillDirectory) {
        try {
            return PlainReceiverConfig.builder()
                    .spillDirectory(spillDirectory)
                    .headerFormat(PlainHeaderFormat.parse(settings.plainHeader()))
                    .maxItemBytes(settings.maxItemBytes())
                    .replyText(settings.plainReply())
                    .silenceTimeout(settings.plainTimeout())
                    .build();
        } catch (IllegalArgumentException e) {
            throw CliException.badUsage(e.getMessage());
        }
    }

    @Override
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> addresses = new ArrayList<>(servers.size());
        for (PlainServer server : servers) {
            addresses.add(server.localAddress());
        }
        return addresses;
    }

    @Override
    public String mode() {
        return "plain mode, " + config.headerFormat().label() + " headers, up to " + Units.size(config.maxItemBytes())
                + " per item; plain mode cannot detect loss";
    }

    @Override
    public String stopping() {
        return "partial plain items are discarded (the format cannot resume them)";
    }

    @Override
    public long itemsReceived() {
        return store.count();
    }

    @Override
    public void close() {
        for (PlainServer server : servers) {
            server.close();
            reporter.status("plain port " + server.localAddress().getPort() + ": " + server.counters());
        }
        closeQuietly(store);
    }

    private static void stopAll(List<PlainServer> started, PlainStore store) {
        started.forEach(PlainServer::close);
        closeQuietly(store);
    }

    private static void closeQuietly(PlainStore store) {
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("closing the output directory: {}", e.toString());
        }
    }

    /** One port's consumer: knows its port number once bound (0 until then, for the first microseconds). */
    private static final class PortConsumer implements Consumer<PlainItem> {
        private final PlainStore store;
        volatile int port;

        PortConsumer(PlainStore store, int port) {
            this.store = store;
            this.port = port;
        }

        @Override
        public void accept(PlainItem item) {
            store.store(port, item);
        }
    }
}
