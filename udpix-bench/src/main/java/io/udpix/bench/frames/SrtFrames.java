package io.udpix.bench.frames;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SRT live mode with srt-live-transmit on both sides, fed and drained over UDP on the local loopback (how SRT
 * gateways usually take MPEG-TS): the sender writes each frame as datagrams of at most {@value #MESSAGE_BYTES}
 * bytes (SRT live mode's largest message) to the sending srt-live-transmit's {@code udp://} input; the receiving
 * one delivers to {@code udp://127.0.0.1:port+1}, which this harness reads and splits at JPEG markers.
 * (Through standard input and output both programs buffered: a frame waited for the next one, a frame period.)
 * Both sides use {@code latency} (SRTO_LATENCY): the receiver delivers each packet that long after it was sent;
 * lost packets are repaired by NAK within it, a packet still missing then is dropped (TLPKTDROP).
 */
public final class SrtFrames implements FramePeer {
    /** SRT live mode's largest payload per packet (SRTO_PAYLOADSIZE, live mode). */
    static final int MESSAGE_BYTES = 1456;
    private static final int MAX_FRAME_BYTES = 16 << 20;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
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
        Process p = new ProcessBuilder(List.of("srt-live-transmit", "-q", "-a", "yes",
                "udp://127.0.0.1:" + input, "srt://" + host + ":" + port + "?mode=caller&latency=" + latencyMs))
                .redirectError(ProcessBuilder.Redirect.appendTo(errorLog))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(errorLog))
                .start();
        pause(800);
        if (!p.isAlive()) {
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

            @Override
            public void close() {
                out.close();
                stop(p);
            }
        };
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
