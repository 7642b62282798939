package io.udpix.cli.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.udpix.api.PeerStats;
import io.udpix.api.SocketStats;
import io.udpix.api.stream.StreamStatus;
import io.udpix.cli.report.Units;
import io.udpix.engine.DropReason;
import io.udpix.engine.stream.StreamStats;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * One socket's figures as a line: for people ({@code stats :9000 in 1.2 MB/s ...}) or as one JSON object
 * ({@code {"time":...,"event":"stats","port":9000,...}}), the same event shape as the item lines of
 * {@code --format json}. Rates are over the interval since {@code previous}.
 */
final class StatsLines {
    private static final JsonFactory JSON = new JsonFactory();
    private final boolean json;
    private final Clock clock;

    StatsLines(boolean json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    String line(SocketStats now, SocketStats previous) {
        return json ? json(now, previous) : plain(now, previous);
    }

    private static double perSecond(long now, long before, long dtNs) {
        return dtNs <= 0 ? 0 : (now - before) * 1e9 / dtNs;
    }

    private static long dt(SocketStats now, SocketStats previous) {
        return previous == null ? 0 : now.atNs() - previous.atNs();
    }

    private static String plain(SocketStats s, SocketStats p) {
        long dt = dt(s, p);
        StringBuilder b = new StringBuilder(256);
        b.append("stats :").append(s.port())
                .append(" in ").append(Units.rate(perSecond(s.bytesReceived(), p == null ? 0 : p.bytesReceived(), dt)))
                .append(" (").append(s.datagramsReceived()).append(" datagrams, ").append(Units.size(s.bytesReceived()))
                .append(") out ").append(Units.rate(perSecond(s.bytesSent(), p == null ? 0 : p.bytesSent(), dt)))
                .append(" (").append(s.datagramsSent()).append(" datagrams, ").append(Units.size(s.bytesSent()))
                .append("); handshakes ").append(s.handshakes())
                .append("; items in ").append(s.itemsReceived()).append(" (").append(Units.size(s.itemBytesReceived()))
                .append(") out ").append(s.itemsSent()).append(" (").append(Units.size(s.itemBytesSent()))
                .append(") failed ").append(s.itemsFailed())
                .append("; drops ").append(s.totalDrops());
        if (!s.drops().isEmpty()) {
            b.append(" (");
            boolean first = true;
            for (Map.Entry<DropReason, Long> d : new java.util.TreeMap<>(s.drops()).entrySet()) {
                b.append(first ? "" : ", ").append(d.getKey()).append(' ').append(d.getValue());
                first = false;
            }
            b.append(')');
        }
        if (s.sendErrors() != 0) {
            b.append("; send errors ").append(s.sendErrors()); // the driver's: the kernel refused these datagrams
        }
        for (PeerStats c : s.connections()) {
            b.append(" | ").append(c.peer()).append(" rtt ").append(ms(c.rttSmoothedNs())).append(" min ")
                    .append(ms(c.rttMinNs())).append(" var ").append(ms(c.rttVarNs())).append(" ms, rate ")
                    .append(Units.rate(c.deliveryRateBytesPerSecond())).append(", cwnd ")
                    .append(Units.size(c.congestionWindowBytes())).append(", in flight ")
                    .append(Units.size(c.bytesInFlight())).append(", lost ").append(c.packetsLost()).append('/')
                    .append(c.packetsSent()).append(String.format(Locale.ROOT, " (%.2f%%)", c.lossPercent()))
                    .append(", resent ").append(Units.size(c.retransmittedBytes())).append(", datagram ")
                    .append(c.datagramBytes()).append(" B");
        }
        for (StreamStatus r : s.streams()) {
            StreamStats t = r.stats();
            b.append(" | stream ").append(t.streamId()).append(t.incoming() ? " in " : " out ")
                    .append(String.format(Locale.ROOT, "%.1f fps", r.framesPerSecond()));
            if (t.incoming()) {
                b.append(", on time ").append(t.onTime()).append(", late ").append(t.late()).append(", lost ")
                        .append(t.lost()).append(", latency p50 ").append(ms(t.latencyP50Ns())).append(" p99 ")
                        .append(ms(t.latencyP99Ns())).append(" ms");
            } else {
                b.append(", frames ").append(t.frames()).append(", dropped ").append(t.droppedAtSource())
                        .append(", abandoned ").append(t.abandoned());
            }
        }
        return b.toString();
    }

    private static String ms(long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e6);
    }

    private String json(SocketStats s, SocketStats p) {
        long dt = dt(s, p);
        StringWriter text = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("time", clock.instant().toString());
            g.writeStringField("event", "stats");
            g.writeNumberField("port", s.port());
            g.writeNumberField("datagramsReceived", s.datagramsReceived());
            g.writeNumberField("datagramsSent", s.datagramsSent());
            g.writeNumberField("bytesReceived", s.bytesReceived());
            g.writeNumberField("bytesSent", s.bytesSent());
            g.writeNumberField("receiveBytesPerSecond",
                    Math.round(perSecond(s.bytesReceived(), p == null ? 0 : p.bytesReceived(), dt)));
            g.writeNumberField("sendBytesPerSecond",
                    Math.round(perSecond(s.bytesSent(), p == null ? 0 : p.bytesSent(), dt)));
            g.writeNumberField("handshakes", s.handshakes());
            g.writeNumberField("itemsReceived", s.itemsReceived());
            g.writeNumberField("itemBytesReceived", s.itemBytesReceived());
            g.writeNumberField("itemsSent", s.itemsSent());
            g.writeNumberField("itemBytesSent", s.itemBytesSent());
            g.writeNumberField("itemsFailed", s.itemsFailed());
            g.writeObjectFieldStart("drops");
            for (Map.Entry<DropReason, Long> d : new java.util.TreeMap<>(s.drops()).entrySet()) {
                g.writeNumberField(d.getKey().name(), d.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("sendErrors", s.sendErrors());
            g.writeArrayFieldStart("connections");
            for (PeerStats c : s.connections()) {
                g.writeStartObject();
                g.writeStringField("connectionId", Long.toHexString(c.connectionId()));
                g.writeStringField("peer", c.peer());
                g.writeStringField("role", c.role());
                g.writeNumberField("rttSmoothedMs", c.rttSmoothedNs() / 1e6);
                g.writeNumberField("rttMinMs", c.rttMinNs() / 1e6);
                g.writeNumberField("rttVarMs", c.rttVarNs() / 1e6);
                g.writeNumberField("deliveryRateBytesPerSecond", c.deliveryRateBytesPerSecond());
                g.writeNumberField("pacingRateBytesPerSecond", c.pacingRateBytesPerSecond());
                g.writeNumberField("congestionWindowBytes", c.congestionWindowBytes());
                g.writeNumberField("bytesInFlight", c.bytesInFlight());
                g.writeNumberField("packetsSent", c.packetsSent());
                g.writeNumberField("packetsReceived", c.packetsReceived());
                g.writeNumberField("packetsLost", c.packetsLost());
                g.writeNumberField("retransmittedBytes", c.retransmittedBytes());
                g.writeNumberField("probeTimeouts", c.probeTimeouts());
                g.writeNumberField("datagramBytes", c.datagramBytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("streams");
            for (StreamStatus r : s.streams()) {
                StreamStats t = r.stats();
                g.writeStartObject();
                g.writeStringField("connectionId", Long.toHexString(t.connectionId()));
                g.writeNumberField("streamId", t.streamId());
                if (r.peer() != null) {
                    g.writeStringField("key", r.streamKey());
                }
                g.writeStringField("name", r.streamName());
                g.writeBooleanField("incoming", t.incoming());
                g.writeNumberField("fps", Math.round(r.framesPerSecond() * 10) / 10.0);
                g.writeNumberField("frames", t.frames());
                g.writeNumberField("onTime", t.onTime());
                g.writeNumberField("late", t.late());
                g.writeNumberField("lost", t.lost());
                g.writeNumberField("droppedAtSource", t.droppedAtSource());
                g.writeNumberField("abandoned", t.abandoned());
                g.writeNumberField("latencyP50Ms", t.latencyP50Ns() / 1e6);
                g.writeNumberField("latencyP99Ms", t.latencyP99Ns() / 1e6);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }
}
