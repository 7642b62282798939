package io.udpix.prometheus;

import io.udpix.api.PeerStats;
import io.udpix.api.SocketStats;
import io.udpix.api.StreamRate;
import io.udpix.engine.stream.StreamStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The frame-stream series: the engine keeps stream figures outside the counters registry ({@link StreamStats},
 * read on the I/O thread through a queued call), so their names are defined here, following the registry's
 * conventions. Labels: {@code port}, {@code stream} (the stream's key {@code HOST:PORT#ID}, as the dashboard and
 * {@code Frame.streamKey()} name it) and {@code direction} ({@code in} on the receiver, {@code out} on the sender).
 */
final class StreamMetrics {
    private StreamMetrics() {}

    /** One stream figure: its exposed name, help, type and how to read it. */
    record Def(String name, String help, boolean gauge, ToDoubleFunction<StreamRate> read) {}

    private static final double NS = 1e-9;

    /** Every stream series, in exposition order. */
    static final List<Def> ALL = List.of(
            new Def("udpix_stream_frames_total", "Frames sent (sender) or accounted on time, late or lost (receiver)",
                    false, r -> r.stats().frames()),
            new Def("udpix_stream_frames_on_time_total", "Complete frames delivered before their deadline", false,
                    r -> r.stats().onTime()),
            new Def("udpix_stream_frames_late_total", "Frames not complete by their deadline (never delivered)",
                    false, r -> r.stats().late()),
            new Def("udpix_stream_frames_lost_total", "Frames of which nothing usable arrived", false,
                    r -> r.stats().lost()),
            new Def("udpix_stream_frames_dropped_at_source_total",
                    "Frames replaced at the sender before they started to go (latest wins)", false,
                    r -> r.stats().droppedAtSource()),
            new Def("udpix_stream_frames_abandoned_total",
                    "Frames the sender gave up because a repair could no longer arrive in time", false,
                    r -> r.stats().abandoned()),
            new Def("udpix_stream_frames_expired_total",
                    "Frames the sender stopped tracking unacknowledged without abandoning them", false,
                    r -> r.stats().expired()),
            new Def("udpix_stream_frames_fec_recovered_total", "Frames completed with the help of parity", false,
                    r -> r.stats().fecRecovered()),
            new Def("udpix_stream_retransmitted_fragments_total",
                    "Fragments sent again (sender) or retransmitted fragments received (receiver)", false,
                    r -> r.stats().retransmittedFragments()),
            new Def("udpix_stream_data_bytes_total",
                    "Frame bytes sent first time (sender) or delivered (receiver)", false,
                    r -> r.stats().dataBytes()),
            new Def("udpix_stream_parity_bytes_total", "Parity bytes sent (sender) or received (receiver)", false,
                    r -> r.stats().parityBytes()),
            new Def("udpix_stream_retransmitted_bytes_total", "Frame bytes sent again (sender)", false,
                    r -> r.stats().retransmittedBytes()),
            new Def("udpix_stream_frames_per_second",
                    "Frames per second since the previous snapshot: on time (receiver) or sent (sender)", true,
                    StreamRate::framesPerSecond),
            new Def("udpix_stream_latency_p50_seconds", "Median capture-to-delivery latency of delivered frames",
                    true, r -> r.stats().latencyP50Ns() * NS),
            new Def("udpix_stream_latency_p99_seconds", "99th percentile capture-to-delivery latency", true,
                    r -> r.stats().latencyP99Ns() * NS),
            new Def("udpix_stream_latency_max_seconds", "Largest capture-to-delivery latency", true,
                    r -> r.stats().latencyMaxNs() * NS),
            new Def("udpix_stream_latency_budget_seconds", "The stream's effective latency budget", true,
                    r -> r.stats().latencyBudgetNs() * NS),
            new Def("udpix_stream_available_rate_bytes_per_second",
                    "What the congestion controller lets the stream send now (sender)", true,
                    r -> r.stats().availableRateBytesPerSecond()),
            new Def("udpix_stream_queued_frames", "Frames waiting or in flight (sender)", true,
                    r -> r.stats().queuedFrames()),
            new Def("udpix_stream_fec_ratio", "Parity share planned for the latest frame (sender), 0 to 1", true,
                    r -> r.stats().fecPercent() / 100.0));

    /** Adds every stream of {@code socket} to {@code out}. */
    static void collect(SocketStats socket, Samples out) {
        if (socket.streams().isEmpty()) {
            return;
        }
        Map<Long, String> peers = new HashMap<>();
        for (PeerStats p : socket.connections()) {
            peers.put(p.connectionId(), p.peer());
        }
        String port = Integer.toString(socket.port());
        for (StreamRate r : socket.streams()) {
            StreamStats s = r.stats();
            List<String> labels = List.of("port", port, "stream", key(peers.get(s.connectionId()), s),
                    "direction", s.incoming() ? "in" : "out");
            for (Def d : ALL) {
                out.add(d.name(), d.help(), d.gauge(), labels, d.read().applyAsDouble(r));
            }
        }
    }

    /**
     * {@code HOST:PORT#ID} like {@code StreamEnd.key}: the registry's peer text is {@code host:port} with an IPv6
     * host unbracketed, so the host is bracketed here. A stream whose connection left the registry between the
     * two reads is named by its connection ID instead.
     */
    static String key(String peer, StreamStats s) {
        if (peer == null) {
            return Long.toHexString(s.connectionId()) + "#" + s.streamId();
        }
        int colon = peer.lastIndexOf(':');
        String host = colon < 0 ? peer : peer.substring(0, colon);
        String rest = colon < 0 ? "" : peer.substring(colon);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + rest + "#" + s.streamId();
    }
}
