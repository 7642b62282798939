package io.udpix.bench.frames;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A peer that is an external program on each side: the sender writes frames to the program's standard input,
 * the receiving program writes what it delivers to its standard output, which is split back into frames at their
 * JPEG markers ({@link JpegSplitter}). Used for GStreamer's RTP/JPEG ({@link #gstreamer}), so that its receiver is
 * measured by the same code as every other peer. (GStreamer's fdsink writes each buffer at once; srt-live-transmit's
 * standard input and output are buffered, which held each frame back until the next one came: {@link SrtFrames}
 * uses its UDP input and output instead.)
 */
public final class PipeFrames implements FramePeer {
    private static final int MAX_FRAME_BYTES = 16 << 20;
    private final BiFunction<String, Integer, List<String>> receiverCommand;
    private final BiFunction<String, Integer, List<String>> senderCommand;
    private final Function<byte[], byte[]> framing;
    private final File errorLog;

    private PipeFrames(BiFunction<String, Integer, List<String>> receiverCommand,
            BiFunction<String, Integer, List<String>> senderCommand, Function<byte[], byte[]> framing, File errorLog) {
        this.receiverCommand = receiverCommand;
        this.senderCommand = senderCommand;
        this.framing = framing;
        this.errorLog = errorLog;
    }


    /**
     * RTP/JPEG (RFC 2435) with GStreamer: {@code fdsrc ! multipartdemux ! capssetter ! rtpjpegpay ! udpsink} on
     * the sending side (multipartdemux cuts the stdin byte stream into one buffer per JPEG by the parts'
     * Content-Length, since jpegparse is in -plugins-bad; capssetter adds the width/height rtpjpegpay needs),
     * {@code udpsrc ! rtpjpegdepay ! fdsink} on the receiving side. No jitter buffer, no retransmission (RTP
     * without RTCP feedback has none): a frame with a lost packet is lost.
     */
    public static PipeFrames gstreamer(int width, int height, int fps, int mtuBytes, File errorLog) {
        String boundary = "udpixframe";
        return new PipeFrames(
                (bind, port) -> List.of("gst-launch-1.0", "-q", "udpsrc", "address=" + bind, "port=" + port,
                        "buffer-size=4194304",
                        "caps=application/x-rtp,media=video,clock-rate=90000,encoding-name=JPEG,payload=26",
                        "!", "rtpjpegdepay", "!", "fdsink", "fd=1", "sync=false"),
                (host, port) -> List.of("gst-launch-1.0", "-q", "fdsrc", "fd=0", "blocksize=65536", "!",
                        "multipartdemux", "single-stream=true", "boundary=" + boundary, "!",
                        "capssetter", "caps=image/jpeg,width=" + width + ",height=" + height + ",framerate=" + fps
                                + "/1", "!",
                        "rtpjpegpay", "mtu=" + mtuBytes, "!",
                        "udpsink", "host=" + host, "port=" + port, "sync=false", "buffer-size=4194304"),
                frame -> ("--" + boundary + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + frame.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                errorLog);
    }

    @Override
    public Receiver receive(String bindHost, int port, Sink sink) throws IOException {
        Process p = new ProcessBuilder(receiverCommand.apply(bindHost, port))
                .redirectError(ProcessBuilder.Redirect.appendTo(errorLog))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        JpegSplitter splitter = new JpegSplitter(MAX_FRAME_BYTES,
                (bytes, arrivalUs, complete) -> sink.frame(bytes, 0, bytes.length, arrivalUs, complete));
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = p.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    splitter.feed(buffer, 0, n, FramePeer.nowUs());
                }
                sink.ended("the receiving program closed its output");
            } catch (IOException e) {
                sink.ended("reading the receiving program failed: " + e);
            }
        }, "pipe-frames-receiver");
        t.setDaemon(true);
        t.start();
        // The programs print nothing when ready: give them a moment, and fail if one died at once (bad options).
        sleepMs(800);
        if (!p.isAlive()) {
            throw new IOException("the receiving program exited with " + p.exitValue() + " (see " + errorLog + ")");
        }
        return () -> stop(p);
    }

    @Override
    public Sender send(String host, int port) throws IOException {
        Process p = new ProcessBuilder(senderCommand.apply(host, port))
                .redirectError(ProcessBuilder.Redirect.appendTo(errorLog))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        sleepMs(800);
        if (!p.isAlive()) {
            throw new IOException("the sending program exited with " + p.exitValue() + " (see " + errorLog + ")");
        }
        OutputStream out = p.getOutputStream();
        return new Sender() {
            @Override
            public boolean send(byte[] frame) throws IOException {
                out.write(framing.apply(frame));
                out.write(frame);
                out.write('\r'); // the CRLF that ends a multipart part (RFC 2046 5.1.1)
                out.write('\n');
                out.flush();
                return true;
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close(); // end of input: both programs then finish and exit
                } catch (IOException e) {
                    // already gone
                }
                try {
                    if (!p.waitFor(3, TimeUnit.SECONDS)) {
                        stop(p);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop(p);
                }
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

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
