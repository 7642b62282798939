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
import io.udpix.engine.stream.StreamStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /**
     * How long closing the sender waits for the server to confirm the stream's end, which brings the final figures
     * (the last frames still go within their deadline, then STREAM_CLOSE; at 5% loss it may need a repeat).
     */
    private static final long END_CONFIRM_WAIT_MS = 5_000;

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

            @Override
            public Map<String, String> figures() {
                StreamEnd e = end.get();
                if (e == null) {
                    return Map.of();
                }
                StreamStats st = e.stats();
                Map<String, String> f = new LinkedHashMap<>();
                f.put("fecRecovered", Long.toString(st.fecRecovered()));
                f.put("peerOnTime", Long.toString(st.onTime()));
                f.put("peerLate", Long.toString(st.late()));
                f.put("peerLost", Long.toString(st.lost()));
                f.put("receivedParityBytes", Long.toString(st.parityBytes()));
                f.put("retransmittedFragmentsReceived", Long.toString(st.retransmittedFragments()));
                // Delivered by the engine but skipped by the API's latest-wins listener hand-off (listener busy).
                f.put("droppedSlowListener", Long.toString(e.framesDroppedSlowListener()));
                f.put("harnessQueueFull", Long.toString(notQueued.get()));
                return f;
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

            private StreamStats last;
            private boolean confirmed;

            @Override
            public String summary() {
                return "udpix sender: " + stream.stats();
            }

            @Override
            public Map<String, String> figures() {
                StreamStats st = last != null ? last : stream.stats();
                Map<String, String> f = new LinkedHashMap<>();
                f.put(PeerFigures.PARITY_BYTES, Long.toString(st.parityBytes()));
                f.put(PeerFigures.RETRANSMITTED_BYTES, Long.toString(st.retransmittedBytes()));
                f.put("sentDataBytes", Long.toString(st.dataBytes()));
                f.put("sentFrames", Long.toString(st.frames()));
                f.put("droppedAtSource", Long.toString(st.droppedAtSource()));
                f.put("abandoned", Long.toString(st.abandoned()));
                f.put("retransmittedFragments", Long.toString(st.retransmittedFragments()));
                // false: the server did not confirm the end in time; the figures are the last refreshed ones.
                f.put("senderFiguresFinal", Boolean.toString(confirmed));
                return f;
            }

            @Override
            public void close() {
                stream.close();
                // Wait for the end's confirmation before the connection goes: it brings the final figures.
                try {
                    last = stream.ended().get(END_CONFIRM_WAIT_MS, TimeUnit.MILLISECONDS);
                    confirmed = true;
                } catch (TimeoutException | ExecutionException e) {
                    last = stream.stats();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    last = stream.stats();
                }
                client.close();
            }
        };
    }
}
