package io.udpix.bench.frames;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 7 of bench/run: live frame streams, every peer measured by the same code. Three commands:
 * <pre>
 *   java -cp udpix-bench.jar io.udpix.bench.frames.FrameBench recv --peer P --bind ADDR --port N --frames DIR
 *        --log received.tsv [--idle-seconds 3] [--max-seconds 120]          (prints "ready" when listening)
 *   ... FrameBench send --peer P --host ADDR --port N --frames DIR --log sent.tsv [--fps 30] [--seconds 20]
 *        [--warmup-frames 30] [--lead-ms 500]
 * send and recv take [--figures FILE]: where the peer's own final counters go ({@link PeerFigures}; none: no file)
 *   ... FrameBench analyze --sent sent.tsv --received received.tsv [--budget-ms 150]   (prints one key=value line)
 *        [--sender-figures F --receiver-figures F]   (adds the peer's own counters and the FEC + repair overhead)
 *   ... FrameBench probe --peer udpix      (prints "ok" when this build has the peer, else why not)
 * </pre>
 * Peers: {@code udpix} (the Java API's frame streams), {@code tcp} (length-prefixed frames), {@code dgram} (one
 * datagram per frame), {@code gst} (RTP/JPEG, GStreamer), {@code srt} (srt-live-transmit; --srt-latency-ms).
 * The sender tags each frame ({@link FrameTag}) with its number and its capture time, which is the frame's slot
 * in the schedule (start + n / fps): a frame handed over late because the peer blocked keeps its capture time, as
 * a camera's frame would. Sender and receiver run in separate processes (network namespaces) and share the
 * host's realtime clock.
 */
public final class FrameBench {
    private FrameBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("no command");
        }
        Map<String, String> o = options(args);
        switch (args[0]) {
            case "send" -> System.exit(send(o));
            case "recv" -> System.exit(recv(o));
            case "probe" -> {
                // Whether this build has the peer (bench/run asks before it plans the udpix rows).
                try {
                    if ("udpix".equals(o.get("peer"))) {
                        UdpixFramesLoader.load(o);
                    }
                    System.out.println("ok");
                } catch (RuntimeException | LinkageError e) {
                    System.out.println(e.getMessage());
                }
            }
            case "analyze" -> {
                FrameAnalysis.Result r = FrameAnalysis.analyze(SendLog.read(Path.of(required(o, "sent"))),
                        ReceiveLog.read(Path.of(required(o, "received"))),
                        Long.parseLong(o.getOrDefault("budget-ms", "150")) * 1000);
                System.out.println(PeerFigures.joined(r.line(), r.payloadBytes(),
                        PeerFigures.read(optionalPath(o, "sender-figures")),
                        PeerFigures.read(optionalPath(o, "receiver-figures"))));
            }
            default -> usage("unknown command " + args[0]);
        }
    }

    static FramePeer peer(Map<String, String> o, FrameSet frames) {
        String name = required(o, "peer");
        File errors = new File(o.getOrDefault("error-log", "/dev/null"));
        int fps = Integer.parseInt(o.getOrDefault("fps", "30"));
        return switch (name) {
            case "tcp" -> new TcpFrames();
            case "dgram" -> new DatagramFrames();
            case "gst" -> {
                int[] size = frames.dimensions();
                yield PipeFrames.gstreamer(size[0], size[1], fps, Integer.parseInt(o.getOrDefault("mtu", "1400")),
                        errors);
            }
            case "srt" -> new SrtFrames(Integer.parseInt(o.getOrDefault("srt-latency-ms", "150")), errors);
            case "udpix" -> UdpixFramesLoader.load(o);
            default -> throw new IllegalArgumentException("unknown --peer " + name + "; use udpix, tcp, dgram, gst or srt");
        };
    }

    private static int recv(Map<String, String> o) throws Exception {
        FrameSet frames = FrameSet.load(Path.of(required(o, "frames")));
        long idleUs = (long) (Double.parseDouble(o.getOrDefault("idle-seconds", "3")) * 1e6);
        long maxUs = (long) (Double.parseDouble(o.getOrDefault("max-seconds", "120")) * 1e6);
        ReceiveLog log = new ReceiveLog(frames, 1_000_000);
        long startUs = FramePeer.nowUs();
        String summary;
        FramePeer.Receiver r = peer(o, frames).receive(o.getOrDefault("bind", "127.0.0.1"),
                Integer.parseInt(required(o, "port")), log);
        try (r) {
            System.out.println("ready");
            System.out.flush();
            while (true) {
                Thread.sleep(50);
                long now = FramePeer.nowUs();
                long last = log.lastArrivalUs();
                if (now - startUs > maxUs || (last != 0 && now - last > idleUs)
                        || (log.endedWhy() != null && log.size() > 0)) {
                    break;
                }
            }
            summary = r.summary();
        }
        if (!summary.isEmpty()) {
            System.out.println(summary);
        }
        writeFigures(o, r.figures());
        log.write(Path.of(required(o, "log")));
        System.out.println("received " + log.size() + " pieces" + (log.endedWhy() != null ? "; " + log.endedWhy() : ""));
        return 0;
    }

    private static int send(Map<String, String> o) throws Exception {
        FrameSet frames = FrameSet.load(Path.of(required(o, "frames")));
        int fps = Integer.parseInt(o.getOrDefault("fps", "30"));
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup-frames", "30"));
        long leadUs = Long.parseLong(o.getOrDefault("lead-ms", "500")) * 1000;
        long giveUpUs = (long) (Double.parseDouble(o.getOrDefault("give-up-seconds", "30")) * 1e6);
        long total = warmup + Math.round(seconds * fps);
        MessageDigest sha = FrameTag.sha256();
        List<SendLog.Entry> entries = new ArrayList<>();
        int refused = 0;
        FramePeer.Sender s = peer(o, frames).send(required(o, "host"), Integer.parseInt(required(o, "port")));
        try (s) {
            long startUs = FramePeer.nowUs() + leadUs;
            long endUs = startUs + (long) (total * 1e6 / fps) + giveUpUs;
            for (long n = 0; n < total; n++) {
                long captureUs = startUs + (long) (n * 1e6 / fps);
                byte[] frame = FrameTag.tag(frames.image(n), n, captureUs, sha);
                long wait;
                while ((wait = captureUs - FramePeer.nowUs()) > 0) {
                    LockSupport.parkNanos(wait * 1000);
                }
                long handedUs = 0;
                if (FramePeer.nowUs() < endUs && s.send(frame, captureUs)) {
                    handedUs = FramePeer.nowUs();
                } else {
                    refused++;
                }
                entries.add(new SendLog.Entry(n, (int) (n % frames.size()), captureUs, handedUs, frame.length,
                        n < warmup));
            }
            // Let the last frames arrive before the connection goes (a peer's close may cut what is in flight).
            Thread.sleep(Long.parseLong(o.getOrDefault("linger-ms", "1000")));
            if (!s.summary().isEmpty()) {
                System.out.println(s.summary());
            }
        }
        writeFigures(o, s.figures()); // after close: the peer's final counters
        SendLog.write(Path.of(required(o, "log")), entries);
        System.out.println("sent " + (total - refused) + " of " + total + " frames (" + warmup + " warm-up)");
        return 0;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("bad argument " + args[i] + " (options are --name value)");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    /** Writes the peer's own figures to --figures FILE, when given; prints them too. */
    private static void writeFigures(Map<String, String> o, Map<String, String> figures) throws IOException {
        if (!figures.isEmpty()) {
            System.out.println("figures: " + PeerFigures.line(figures));
        }
        Path file = optionalPath(o, "figures");
        if (file != null) {
            PeerFigures.write(file, figures);
        }
    }

    private static Path optionalPath(Map<String, String> o, String key) {
        String v = o.get(key);
        return v == null ? null : Path.of(v);
    }

    static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            usage("--" + key + " is required");
        }
        return v;
    }

    private static void usage(String why) {
        System.err.println("FrameBench: " + why + "\nusage: FrameBench send|recv|analyze --peer P ... (see its Javadoc)");
        System.exit(2);
    }
}
