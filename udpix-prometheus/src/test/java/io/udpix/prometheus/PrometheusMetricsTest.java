package io.udpix.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.ServerStats;
import io.udpix.api.SocketStats;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import io.udpix.engine.DropReason;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrometheusMetrics} over a real server and client on loopback, its output read back by a Prometheus
 * text-format parser and checked against docs/METRICS.md and {@code server.stats()}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PrometheusMetricsTest {
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(30);

    private static long seed() {
        String property = System.getProperty("udpix.seed");
        return property == null || property.isBlank() ? 12 : Long.parseLong(property.strip());
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void everyDocumentedMetricIsExportedWithItsTypeAndHelpAndNothingUndocumentedIs() throws Exception {
        long seed = seed();
        AtomicInteger frames = new AtomicInteger();
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { })
                .onFrame(f -> frames.incrementAndGet()).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes(bytes(50_000, seed), "a.bin"));
            FrameStream stream = client.openStream(StreamOptions.builder().name("cam").fps(50).build());
            for (int i = 0; i < 20; i++) {
                stream.send(bytes(2_000, seed + i));
                Thread.sleep(20);
            }
            await(() -> frames.get() >= 5, "5 frames arrived (seed=" + seed + ")");

            Exposition server1 = Exposition.parse(PrometheusMetrics.forServer(server).scrape());
            Exposition client1 = Exposition.parse(PrometheusMetrics.forClient(client).scrape());
            Map<String, MetricsDoc.Row> documented = MetricsDoc.rows();
            for (MetricsDoc.Row row : documented.values()) {
                MetricFamily f = server1.family(row.name());
                assertThat(f.getType()).as("TYPE of %s", row.name())
                        .isEqualTo(row.gauge() ? MetricType.GAUGE : MetricType.COUNTER);
                assertThat(f.getHelp()).as("HELP of %s = its meaning in docs/METRICS.md", row.name())
                        .isEqualTo(row.meaning());
                assertThat(f.getMetrics()).as("samples of %s", row.name()).isNotEmpty();
            }
            Set<String> exported = new HashSet<>(server1.families().keySet());
            exported.addAll(client1.families().keySet());
            assertThat(exported).as("every exported name has its row in docs/METRICS.md")
                    .allMatch(documented::containsKey, "documented");
            assertThat(exported).as("no JVM metrics unless asked for").noneMatch(n -> n.startsWith("jvm_"));

            String port = Integer.toString(server.localAddresses().get(0).getPort());
            String key = "127.0.0.1:" + client.localAddress().getPort() + "#" + stream.id();
            assertThat(server1.value("udpix_stream_frames_on_time_total",
                    Map.of("port", port, "stream", key, "direction", "in")))
                    .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(5));
            assertThat(server1.value("udpix_stream_latency_p99_seconds",
                    Map.of("port", port, "stream", key, "direction", "in")))
                    .hasValueSatisfying(v -> assertThat(v).isPositive().isLessThan(10.0));
            String clientKey = "127.0.0.1:" + port + "#" + stream.id();
            assertThat(client1.value("udpix_stream_frames_total",
                    Map.of("stream", clientKey, "direction", "out")))
                    .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(5));
            assertThat(server1.value("udpix_connection_rtt_smoothed_seconds", Map.of("port", port, "role", "server",
                    "peer", "127.0.0.1:" + client.localAddress().getPort())))
                    .hasValueSatisfying(v -> assertThat(v).as("seconds, not ns").isPositive().isLessThan(10.0));
        }
    }

    @Test
    void itemsAndBytesEqualTheServersStatsAndTheClientsSentFigures(@TempDir Path out) throws Exception {
        long seed = seed();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            long sentBytes = 0;
            for (int i = 0; i < 5; i++) {
                byte[] item = bytes(10_000 + i * 7_000, seed + i);
                client.send(Item.bytes(item, "item-" + i));
                sentBytes += item.length;
            }
            PrometheusMetrics metrics = PrometheusMetrics.forServer(server);
            String port = Integer.toString(server.localAddresses().get(0).getPort());
            Map<String, String> onPort = Map.of("port", port);
            Exposition e = Exposition.parse(metrics.scrape());
            SocketStats stats = server.stats().ports().get(0);
            assertThat(e.value("udpix_endpoint_items_received_total", onPort)).hasValue(5.0);
            assertThat(e.value("udpix_endpoint_item_received_bytes_total", onPort)).hasValue((double) sentBytes);
            assertThat(stats.itemsReceived()).isEqualTo(5);
            long attempts = server.stats().nameAttempts();
            assertThat(attempts).as("items stored under their names").isEqualTo(5);
            assertThat(e.value("udpix_server_name_attempts_total", Map.of())).hasValue((double) attempts);
            assertThat(e.value("udpix_endpoint_handshakes_total", onPort)).hasValue((double) stats.handshakes());
            // The client is idle now: datagram counts only move with the next keep-alive, so compare within one.
            assertThat(e.value("udpix_endpoint_datagrams_received_total", onPort).orElseThrow())
                    .isCloseTo(stats.datagramsReceived(), org.assertj.core.data.Offset.offset(2.0));
            Exposition c = Exposition.parse(PrometheusMetrics.forClient(client).scrape());
            String clientPort = Integer.toString(client.localAddress().getPort());
            assertThat(c.value("udpix_endpoint_items_sent_total", Map.of("port", clientPort))).hasValue(5.0);
            assertThat(c.value("udpix_endpoint_item_sent_bytes_total", Map.of("port", clientPort)))
                    .hasValue((double) sentBytes);
            assertThat(c.value("udpix_connection_datagram_bytes", Map.of("role", "client")))
                    .hasValueSatisfying(v -> assertThat(v).isEqualTo(client.stats().connections().get(0)
                            .datagramBytes()));
        }
    }

    @Test
    void hostileDatagramsShowAsDropsByReasonWithTheCountOfTheServersStats() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start()) {
            InetSocketAddress target = server.localAddresses().get(0);
            try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                for (int i = 0; i < 17; i++) {
                    byte[] junk = {(byte) 0xff, 1, 2, (byte) i};
                    raw.send(new DatagramPacket(junk, junk.length, target));
                }
            }
            await(() -> server.stats().drops().values().stream().mapToLong(Long::longValue).sum() >= 17,
                    "17 drops counted");
            ServerStats stats = server.stats();
            Exposition e = Exposition.parse(PrometheusMetrics.forServer(server).scrape());
            String port = Integer.toString(target.getPort());
            for (DropReason reason : DropReason.values()) {
                String label = reason.name().toLowerCase(Locale.ROOT);
                assertThat(e.value("udpix_endpoint_dropped_datagrams_total", Map.of("port", port, "reason", label)))
                        .as("drops of %s", reason).hasValue((double) stats.drops(reason));
            }
            assertThat(e.sum("udpix_endpoint_dropped_datagrams_total", Map.of("port", port))).isEqualTo(17.0);
        }
    }

    @Test
    void aClosedConnectionsSeriesVanishOnceTheEngineForgetsItAndTheMetersAreRemoved() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start()) {
            PrometheusMetrics metrics = PrometheusMetrics.forServer(server);
            int before = Exposition.parse(metrics.scrape()).families().size();
            int seriesBefore = metrics.seriesCount();
            String peer;
            try (UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
                client.send(Item.bytes(new byte[1_000], "x"));
                peer = "127.0.0.1:" + client.localAddress().getPort();
                Exposition open = Exposition.parse(metrics.scrape());
                assertThat(open.samples("udpix_connection_rtt_smoothed_seconds", Map.of("peer", peer))).hasSize(1);
                assertThat(open.samples("udpix_connection_packets_sent_total", Map.of("peer", peer))).hasSize(1);
                assertThat(metrics.seriesCount()).isGreaterThan(seriesBefore);
            }
            await(() -> server.stats().connections().isEmpty(), "the engine forgot the closed connection");
            Exposition closed = Exposition.parse(metrics.scrape());
            assertThat(closed.samples("udpix_connection_rtt_smoothed_seconds", Map.of())).isEmpty();
            assertThat(closed.families().keySet()).noneMatch(n -> n.startsWith("udpix_connection_"));
            assertThat(closed.families()).hasSize(before);
            assertThat(metrics.seriesCount()).as("meters of the connection removed").isEqualTo(seriesBefore);
            assertThat(closed.value("udpix_endpoint_items_received_total", Map.of())).hasValue(1.0);
        }
    }

    @Test
    void scrapesFromSeveralThreadsAtOnceAllParseWhileConnectionsComeAndGo() throws Exception {
        long seed = seed();
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start()) {
            PrometheusMetrics metrics = PrometheusMetrics.forServer(server);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> scrapes = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Callable<Integer> scraper = () -> {
                        int n = 0;
                        for (int i = 0; i < 40; i++) {
                            Exposition e = Exposition.parse(metrics.scrape());
                            assertThat(e.families()).containsKey("udpix_endpoint_datagrams_received_total");
                            n++;
                        }
                        return n;
                    };
                    scrapes.add(pool.submit(scraper));
                }
                for (int i = 0; i < 3; i++) {
                    try (UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
                        client.send(Item.bytes(bytes(20_000, seed + i), "c" + i));
                    }
                }
                for (Future<Integer> f : scrapes) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(40);
                }
            } finally {
                pool.shutdownNow();
            }
            Exposition last = Exposition.parse(metrics.scrape());
            assertThat(last.value("udpix_endpoint_items_received_total", Map.of())).hasValue(3.0);
        }
    }

    @Test
    void aPortServedBySeveralThreadsShowsOneSeriesPerPortWithItsSocketsSummed() throws Exception {
        long seed = seed();
        try (UdpixServer server = UdpixServer.builder().port(0).threadsPerPort(3).onBytes(item -> { }).start()) {
            InetSocketAddress address = server.localAddresses().get(0);
            List<UdpixClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    UdpixClient c = UdpixClient.connect(address);
                    clients.add(c);
                    c.send(Item.bytes(bytes(3_000, seed + i), "p" + i));
                }
                ServerStats stats = server.stats();
                assertThat(server.counters()).as("one raw registry per socket").hasSize(3);
                Exposition e = Exposition.parse(PrometheusMetrics.forServer(server).scrape());
                String port = Integer.toString(address.getPort());
                assertThat(e.samples("udpix_endpoint_items_received_total", Map.of())).as("one series per port")
                        .singleElement().satisfies(m -> assertThat(m.getLabels()).containsEntry("port", port));
                assertThat(e.value("udpix_endpoint_items_received_total", Map.of())).hasValue(6.0);
                assertThat(e.value("udpix_endpoint_handshakes_total", Map.of()))
                        .hasValue((double) stats.connectionsAccepted());
                assertThat(e.samples("udpix_endpoint_dropped_datagrams_total", Map.of()))
                        .hasSize(DropReason.values().length);
                assertThat(e.samples("udpix_connection_packets_received_total", Map.of("role", "server")))
                        .as("every connection on whichever socket took it").hasSize(6);
            } finally {
                for (UdpixClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void jvmMetricsAppearOnlyWhenAskedFor() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start();
                PrometheusMetrics metrics = PrometheusMetrics.forServer(server, true)) {
            Exposition e = Exposition.parse(metrics.scrape());
            assertThat(e.families().keySet()).anyMatch(n -> n.startsWith("jvm_memory_used"));
            assertThat(e.families()).containsKey("udpix_endpoint_datagrams_received_total");
        }
    }
}
