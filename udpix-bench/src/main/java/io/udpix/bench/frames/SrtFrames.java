package io.udpix.bench.frames;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SRT live mode with srt-live-transmit on both sides, fed and drained over UDP on the local loopback (how SRT
 * gateways usually take MPEG-TS): the sender writes each frame as datagrams of at most {@value #MESSAGE_BYTES}
 * bytes (SRT live mode's largest message) to the sending srt-live-transmit's {@code udp://} input; the receiving
 * one delivers to {@code udp://127.0.0.1:port+1}, which this harness reads and splits at JPEG markers.
 * (Through standard input and output both programs buffered: a frame waited for the next one, a frame period.)
 * Both sides use {@code latency} (SRTO_LATENCY): the receiver delivers each packet that long after it was sent;
 * lost packets are repaired by NAK within it, a packet still missing then is dropped (TLPKTDROP).
 * The sending program reports its cumulative counters as JSON every {@value #STATS_EVERY_PACKETS} packets
 * ({@code -s -pf json -f -statsout}); the last report gives the run's retransmitted bytes ({@link #figures}).
 */
public final class SrtFrames implements FramePeer {
    /** SRT live mode's largest payload per packet (SRTO_PAYLOADSIZE, live mode). */
    static final int MESSAGE_BYTES = 1456;
    private static final int MAX_FRAME_BYTES = 16 << 20;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    /** How often srt-live-transmit writes its counters: ~20 times a second at the stream's ~2,000 packets/s. */
    static final int STATS_EVERY_PACKETS = 100;
    /**
     * What SRT's byte counters add to each packet's payload: the SRT data header (16), UDP (8) and IPv4 (20)
     * headers (SRT's CPacket: SRT_DATA_HDR_SIZE + UDP_HDR_SIZE), so payload bytes = bytes - 44 x packets.
     */
    static final int SRT_COUNTED_HEADER_BYTES = 44;
    /** A stats file larger than this is not read (20 s at ~20 reports/s of ~1 KB is about 400 KB). */
    private static final long MAX_STATS_BYTES = 64L << 20;
    private final int latencyMs;
    private final File errorLog;

    /** SRT with the given latency on both sides; the programs' messages go to {@code errorLog}. */
    public SrtFrames(int latencyMs, File errorLog) {
        this.latencyMs = latencyMs;
        this.errorLog = errorLog;
    }

    @Override
    public Receiver receive(String bindHost, int port, Sink sink) throws IOException {
        DatagramSocket local = new DatagramSocket(null);
        local.setReceiveBufferSize(SOCKET_BUFFER_BYTES);
        local.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1));
        Process p = new ProcessBuilder(List.of("srt-live-transmit", "-q", "-a", "no",
                "srt://" + bindHost + ":" + port + "?mode=listener&latency=" + latencyMs,
                "udp://127.0.0.1:" + (port + 1)))
                .redirectError(ProcessBuilder.Redirect.appendTo(errorLog))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(errorLog))
                .start();
        JpegSplitter splitter = new JpegSplitter(MAX_FRAME_BYTES,
                (bytes, arrivalUs, complete) -> sink.frame(bytes, 0, bytes.length, arrivalUs, complete));
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[1 << 16];
            DatagramPacket d = new DatagramPacket(buffer, buffer.length);
            while (!local.isClosed()) {
                try {
                    d.setLength(buffer.length);
                    local.receive(d);
                    splitter.feed(buffer, 0, d.getLength(), FramePeer.nowUs());
                } catch (IOException e) {
                    return;
                }
            }
        }, "srt-frames-receiver");
        t.setDaemon(true);
        t.start();
        Thread watch = new Thread(() -> {
            try {
                p.waitFor();
                sink.ended("srt-live-transmit exited with " + p.exitValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "srt-frames-watch");
        watch.setDaemon(true);
        watch.start();
        pause(800);
        if (!p.isAlive()) {
            local.close();
            throw new IOException("srt-live-transmit exited with " + p.exitValue() + " (see " + errorLog + ")");
        }
        return () -> {
            stop(p);
            pause(100); // what it wrote last is read before the socket goes
            local.close();
        };
    }

    @Override
    public Sender send(String host, int port) throws IOException {
        int input = port + 2;
        // -a yes (srt-live-transmit's default): the caller retries a connection whose handshake was lost on the
        // lossy link (at 5% loss one run in three lost it, and with -a no every frame of that run was lost).
        Path stats = Files.createTempFile("srt-sender-stats", ".json");
        Process p = new ProcessBuilder(List.of("srt-live-transmit", "-q", "-a", "yes",
                "-s:" + STATS_EVERY_PACKETS, "-pf", "json", "-f", "-statsout", stats.toString(),
                "udp://127.0.0.1:" + input, "srt://" + host + ":" + port + "?mode=caller&latency=" + latencyMs))
                .redirectError(ProcessBuilder.Redirect.appendTo(errorLog))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(errorLog))
                .start();
        pause(800);
        if (!p.isAlive()) {
            Files.deleteIfExists(stats);
            throw new IOException("srt-live-transmit exited with " + p.exitValue() + " (see " + errorLog + ")");
        }
        DatagramSocket out = new DatagramSocket();
        out.setSendBufferSize(SOCKET_BUFFER_BYTES);
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), input);
        return new Sender() {
            @Override
            public boolean send(byte[] frame) throws IOException {
                for (int off = 0; off < frame.length; off += MESSAGE_BYTES) {
                    out.send(new DatagramPacket(frame, off, Math.min(MESSAGE_BYTES, frame.length - off), to));
                }
                return true;
            }

            private Map<String, String> figures = Map.of();

            @Override
            public Map<String, String> figures() {
                return figures;
            }

            @Override
            public void close() throws IOException {
                out.close();
                stop(p);
                try {
                    if (Files.size(stats) <= MAX_STATS_BYTES) {
                        figures = senderFigures(Files.readString(stats, StandardCharsets.UTF_8));
                    }
                } finally {
                    Files.deleteIfExists(stats);
                }
            }
        };
    }

    private static final Pattern SEND_OBJECT = Pattern.compile("\"send\":\\{([^}]*)\\}");

    /**
     * The sender's figures from srt-live-transmit's JSON stats (one object per line, cumulative with {@code -f}):
     * the last complete report's retransmitted packets, times the average payload of a packet sent, as
     * {@link PeerFigures#RETRANSMITTED_BYTES}; packet-filter (FEC) packets likewise as parity. Empty when there is
     * no report. The last report is at most {@value #STATS_EVERY_PACKETS} packets before the end.
     */
    static Map<String, String> senderFigures(String json) {
        Matcher m = SEND_OBJECT.matcher(json);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            return Map.of();
        }
        long unique = field(last, "packetsUnique");
        long uniqueBytes = field(last, "bytesUnique");
        double payloadPerPacket = unique == 0 ? 0 : (double) uniqueBytes / unique - SRT_COUNTED_HEADER_BYTES;
        Map<String, String> f = new LinkedHashMap<>();
        f.put(PeerFigures.PARITY_BYTES, Long.toString(Math.round(field(last, "packetsFilterExtra") * payloadPerPacket)));
        f.put(PeerFigures.RETRANSMITTED_BYTES,
                Long.toString(Math.round(field(last, "packetsRetransmitted") * payloadPerPacket)));
        f.put("srtPacketsSent", Long.toString(field(last, "packets")));
        f.put("srtPacketsRetransmitted", Long.toString(field(last, "packetsRetransmitted")));
        f.put("srtPacketsDropped", Long.toString(field(last, "packetsDropped")));
        return f;
    }

    private static long field(String object, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(object);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
