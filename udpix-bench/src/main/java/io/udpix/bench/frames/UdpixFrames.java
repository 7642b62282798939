package io.udpix.bench.frames;

import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamEnd;
import io.udpix.api.stream.StreamOptions;
import io.udpix.engine.stream.FecMode;
import io.udpix.engine.stream.StreamCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * udpix frame streams through the Java API: {@code UdpixClient.openStream} with the scenario's latency budget, frame
 * rate and FEC mode; {@code FrameStream.send(encoded, captureNs)} with the frame's capture time (never blocks: a
 * frame not yet started when a newer one comes is dropped at the source); {@code UdpixServer.Builder.onFrame} on the
 * receiving side, timed when the listener is called, like every other peer's receiver. The API's frame listener is
 * latest-wins (a frame still waiting when a newer one comes is skipped), so the listener only takes the time and
 * queues the frame; a second thread checks it (SHA-256), so checking never costs udpix a frame.
 */
final class UdpixFrames implements FramePeer {
    private final Duration latency;
    private final double fps;
    private final FecMode fec;

    /** {@code fec}: "auto", "off" or a percentage. */
    UdpixFrames(long latencyMs, double fps, String fec) {
        this.latency = Duration.ofMillis(latencyMs);
        this.fps = fps;
        this.fec = switch (fec) {
            case "auto" -> FecMode.AUTO;
            case "off" -> FecMode.OFF;
            default -> FecMode.percent(Integer.parseInt(fec));
        };
    }

    /** Frames received but not yet checked, at most (a 1080p frame is ~225 KB: 256 of them ~58 MB). */
    private static final int MAX_UNCHECKED_FRAMES = 256;

    private record Arrival(byte[] bytes, long arrivalUs) {
    }

    @Override
    public Receiver receive(String bindHost, int port, Sink sink) throws IOException {
        AtomicReference<StreamEnd> end = new AtomicReference<>();
        BlockingQueue<Arrival> unchecked = new ArrayBlockingQueue<>(MAX_UNCHECKED_FRAMES);
        AtomicLong notQueued = new AtomicLong();
        Thread checker = new Thread(() -> {
            try {
                while (true) {
                    Arrival a = unchecked.poll(100, TimeUnit.MILLISECONDS);
                    if (a != null) {
                        sink.frame(a.bytes(), 0, a.bytes().length, a.arrivalUs(), true);
                    } else if (end.get() != null) {
                        sink.ended("stream ended: " + end.get());
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "udpix-frames-checker");
        checker.setDaemon(true);
        checker.start();
        UdpixServer server = UdpixServer.builder().bind(InetAddress.getByName(bindHost)).port(port)
                .onFrame(f -> {
                    if (!unchecked.offer(new Arrival(f.bytes(), FramePeer.nowUs()))) {
                        notQueued.incrementAndGet(); // counted lost by the analysis; said in the summary
                    }
                })
                .onStreamEnded(end::set)
                .start();
        return new Receiver() {
            @Override
            public void close() {
                server.close();
            }

            @Override
            public String summary() {
                StreamEnd e = end.get();
                return (e == null ? "udpix: no stream ended" : "udpix: " + e) + "; harness queue full "
                        + notQueued.get() + " times";
            }
        };
    }

    @Override
    public Sender send(String host, int port) throws IOException {
        UdpixClient client = UdpixClient.builder(new InetSocketAddress(host, port)).connect();
        FrameStream stream = client.openStream(StreamOptions.builder().codec(StreamCodec.JPEG).latency(latency)
                .fps(fps).fec(fec).name("bench").build());
        return new Sender() {
            @Override
            public boolean send(byte[] frame) throws IOException {
                stream.send(frame);
                return true;
            }

            @Override
            public boolean send(byte[] frame, long captureUs) throws IOException {
                // The API takes capture times on System.nanoTime()'s clock.
                long ageUs = FramePeer.nowUs() - captureUs;
                stream.send(frame, System.nanoTime() - ageUs * 1000);
                return true;
            }

            @Override
            public String summary() {
                return "udpix sender: " + stream.stats();
            }

            @Override
            public void close() {
                stream.close();
                client.close();
            }
        };
    }
}
