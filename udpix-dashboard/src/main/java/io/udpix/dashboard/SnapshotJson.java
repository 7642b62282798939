package io.udpix.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udpix.api.PeerStats;
import io.udpix.api.ServerStats;
import io.udpix.api.SocketStats;
import io.udpix.api.stream.StreamStatus;
import io.udpix.engine.DropReason;
import io.udpix.engine.stream.StreamStats;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The snapshot object of OBS.md ({@code /api/stats} and SSE {@code stats}): one {@code server.stats()} plus the
 * feed, as JSON. Rates are per interval: against the last snapshot at least {@link #MIN_RATE_INTERVAL_NS} older,
 * so a script polling fast does not turn the page's 1 s rates into noise.
 */
final class SnapshotJson {
    /** Shortest interval a rate is taken over before the base moves on. */
    static final long MIN_RATE_INTERVAL_NS = 500_000_000L;
    static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<ServerStats> stats;
    private final DashboardFeed feed;
    private final String fingerprint;
    private final Clock clock;
    private final long startNs;
    /** The rate base: totals and per-stream on-time counts at {@link #baseNs}. */
    private long baseNs;
    private long baseReceivedBytes;
    private long baseSentBytes;
    private Map<String, Long> baseOnTime = new HashMap<>();
    private boolean hasBase;

    SnapshotJson(Supplier<ServerStats> stats, DashboardFeed feed, String fingerprint, Clock clock) {
        this.stats = stats;
        this.feed = feed;
        this.fingerprint = fingerprint;
        this.clock = clock;
        this.startNs = System.nanoTime();
    }

    /** A snapshot now, as UTF-8 JSON on one line. */
    byte[] take() {
        ServerStats s = stats.get();
        long nowNs = System.nanoTime();
        try {
            return JSON.writeValueAsBytes(build(s, nowNs));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a snapshot did not serialise: " + e.getOriginalMessage(), e);
        }
    }

    /** Builds the object; synchronized because it reads and moves the rate base. */
    synchronized ObjectNode build(ServerStats s, long nowNs) {
        double intervalSeconds = hasBase && nowNs > baseNs ? (nowNs - baseNs) / 1e9 : 0;
        ObjectNode root = JSON.createObjectNode();
        root.put("time", clock.instant().toString());
        root.put("uptimeSeconds", (nowNs - startNs) / 1e9);
        ObjectNode server = root.putObject("server");
        server.put("fingerprint", fingerprint);
        server.put("mode", "native");
        totals(root.putObject("totals"), s, intervalSeconds);
        ports(root.putArray("ports"), s);
        connections(root.putArray("connections"), s);
        transfers(root.putArray("transfers"));
        Map<String, Long> onTime = streams(root.putArray("streams"), s, intervalSeconds);
        ArrayNode json = root.putArray("recentJson");
        feed.recentJson().forEach(m -> json.add(jsonMessage(m)));
        if (!hasBase || nowNs - baseNs >= MIN_RATE_INTERVAL_NS) {
            hasBase = true;
            baseNs = nowNs;
            baseReceivedBytes = s.bytesReceived();
            baseSentBytes = s.bytesSent();
            baseOnTime = onTime;
        }
        return root;
    }

    private void totals(ObjectNode t, ServerStats s, double intervalSeconds) {
        t.put("datagramsReceived", s.datagramsReceived());
        t.put("datagramsSent", s.datagramsSent());
        t.put("bytesReceived", s.bytesReceived());
        t.put("bytesSent", s.bytesSent());
        t.put("connectionsAccepted", s.connectionsAccepted());
        t.put("itemsReceived", s.ports().stream().mapToLong(SocketStats::itemsReceived).sum());
        t.put("itemBytesReceived", s.ports().stream().mapToLong(SocketStats::itemBytesReceived).sum());
        ObjectNode drops = t.putObject("drops");
        long total = 0;
        for (Map.Entry<DropReason, Long> e : new TreeMap<>(s.drops()).entrySet()) {
            drops.put(e.getKey().name(), e.getValue());
            total += e.getValue();
        }
        t.put("dropsTotal", total);
        t.put("receiveBytesPerSecond", rate(s.bytesReceived() - baseReceivedBytes, intervalSeconds));
        t.put("sendBytesPerSecond", rate(s.bytesSent() - baseSentBytes, intervalSeconds));
    }

    private static double rate(long delta, double intervalSeconds) {
        return intervalSeconds <= 0 || delta < 0 ? 0 : delta / intervalSeconds;
    }

    /** One row per port: with --threads N a port has N sockets, summed here. */
    private void ports(ArrayNode rows, ServerStats s) {
        Map<Integer, long[]> byPort = new TreeMap<>();
        for (SocketStats p : s.ports()) {
            long[] sum = byPort.computeIfAbsent(p.port(), k -> new long[4]);
            sum[0] += p.datagramsReceived();
            sum[1] += p.bytesReceived();
            sum[2] += p.itemsReceived();
            sum[3] += p.totalDrops();
        }
        for (Map.Entry<Integer, long[]> e : byPort.entrySet()) {
            ObjectNode row = rows.addObject();
            row.put("port", e.getKey());
            row.put("datagramsReceived", e.getValue()[0]);
            row.put("bytesReceived", e.getValue()[1]);
            row.put("itemsReceived", e.getValue()[2]);
            row.put("dropsTotal", e.getValue()[3]);
            LatestImage image = feed.latestImage(e.getKey());
            if (image == null) {
                row.putNull("latestImage");
            } else {
                ObjectNode latest = row.putObject("latestImage");
                latest.put("seq", image.seq());
                latest.put("name", image.name());
                latest.put("url", "/api/latest/" + image.port() + ".jpg");
            }
        }
    }

    private static void connections(ArrayNode rows, ServerStats s) {
        for (SocketStats p : s.ports()) {
            for (PeerStats c : p.connections()) {
                ObjectNode row = rows.addObject();
                row.put("id", Long.toHexString(c.connectionId()));
                row.put("port", p.port());
                row.put("peer", peerText(c.peer()));
                row.put("role", c.role());
                row.put("rttMs", c.rttSmoothedNs() / 1e6);
                row.put("rttMinMs", c.rttMinNs() / 1e6);
                row.put("rttVarMs", c.rttVarNs() / 1e6);
                row.put("deliveryRateBytesPerSecond", c.deliveryRateBytesPerSecond());
                row.put("pacingRateBytesPerSecond", c.pacingRateBytesPerSecond());
                row.put("congestionWindowBytes", c.congestionWindowBytes());
                row.put("bytesInFlight", c.bytesInFlight());
                row.put("packetsSent", c.packetsSent());
                row.put("packetsLost", c.packetsLost());
                row.put("lossPercent", c.lossPercent());
                row.put("retransmittedBytes", c.retransmittedBytes());
                row.put("datagramBytes", c.datagramBytes());
            }
        }
    }

    /** The registry's {@code HOST:PORT} with brackets around an IPv6 host, as the rest of udpix prints. */
    private static String peerText(String peer) {
        int colon = peer.lastIndexOf(':');
        return colon > 0 && peer.substring(0, colon).indexOf(':') >= 0
                ? "[" + peer.substring(0, colon) + "]" + peer.substring(colon) : peer;
    }

    private void transfers(ArrayNode rows) {
        for (TransferRow t : feed.transfers()) {
            ObjectNode row = rows.addObject();
            row.put("port", t.port());
            row.put("sender", t.sender());
            row.put("name", t.name());
            row.put("kind", t.kind());
            row.put("doneBytes", t.doneBytes());
            row.put("sizeBytes", t.sizeBytes());
            row.put("rateBytesPerSecond", t.rateBytesPerSecond());
            row.put("state", t.state());
            row.put("message", t.message());
        }
    }

    /** Incoming streams; returns their on-time counts by key, the next rate base. */
    private Map<String, Long> streams(ArrayNode rows, ServerStats s, double intervalSeconds) {
        Map<String, Long> onTime = new HashMap<>();
        for (SocketStats p : s.ports()) {
            for (StreamStatus status : p.streams()) {
                StreamStats st = status.stats();
                if (!st.incoming()) {
                    continue;
                }
                String key = status.streamKey();
                onTime.put(key, st.onTime());
                // Our own rate, over our own interval: the socket's framesPerSecond is since ANY caller's previous
                // stats() (--stats, /metrics), so another caller would shorten its interval.
                Long before = baseOnTime.get(key);
                double fps = before == null || intervalSeconds <= 0 ? status.framesPerSecond()
                        : rate(st.onTime() - before, intervalSeconds);
                ObjectNode row = rows.addObject();
                row.put("key", key);
                row.put("port", p.port());
                row.put("name", status.streamName());
                row.put("incoming", true);
                row.put("codec", st.codec().name());
                row.put("fps", fps);
                row.put("frames", st.frames());
                row.put("onTime", st.onTime());
                row.put("late", st.late());
                row.put("lost", st.lost());
                row.put("droppedAtSource", st.droppedAtSource());
                row.put("latencyP50Ms", st.latencyP50Ns() / 1e6);
                row.put("latencyP99Ms", st.latencyP99Ns() / 1e6);
                row.put("mjpeg", "/api/stream/" + URLEncoder.encode(key, StandardCharsets.UTF_8) + ".mjpg");
            }
        }
        return onTime;
    }

    /** The SSE {@code json} event's data and a {@code recentJson} element. */
    static ObjectNode jsonMessage(JsonMessage m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("port", m.port());
        o.put("name", m.name());
        o.put("sender", m.sender());
        o.put("time", m.time());
        o.put("text", m.text());
        o.put("truncated", m.truncated());
        return o;
    }

    /** The SSE {@code image} event's data. */
    static ObjectNode imageEvent(LatestImage i) {
        ObjectNode o = JSON.createObjectNode();
        o.put("port", i.port());
        o.put("name", i.name());
        o.put("sizeBytes", i.sizeBytes());
        o.put("width", i.width());
        o.put("height", i.height());
        o.put("format", i.format());
        o.put("sender", i.sender());
        o.put("seq", i.seq());
        return o;
    }
}
