package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.stream.Frame;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamEnd;
import io.udpix.api.stream.StreamOptions;
import io.udpix.api.stream.StreamStatus;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamLimits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Frame streams from a client to a server over loopback, through the API. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameStreamRoundTripTest {

    @Test
    void deliversEveryFrameByteExactInOrderWithItsStreamsNameAndEndsWithFinalFigures() throws Exception {
        long seed = TestSeeds.seed(21);
        List<Frame> frames = new CopyOnWriteArrayList<>();
        CompletableFuture<StreamEnd> ended = new CompletableFuture<>();
        List<byte[]> sent = new java.util.ArrayList<>();
        try (UdpixServer server = UdpixServer.builder().port(0).onFrame(frames::add).onStreamEnded(ended::complete)
                .start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            FrameStream stream = client.openStream(StreamOptions.builder().name("camera-1").fps(50).build());
            for (int i = 0; i < 50; i++) {
                // 2-7 KB: ~250 KB/s, within what a new connection's pacing allows at once.
                byte[] frame = TestData.randomBytes(2_000 + i * 100, seed + i);
                sent.add(frame);
                stream.send(frame);
                Thread.sleep(20); // 50 fps: every frame goes (none is replaced at the source).
            }
            awaitFrames(frames, 50);
            List<StreamStatus> open = server.streamStats();
            assertThat(open).hasSize(1);
            assertThat(open.get(0).streamName()).isEqualTo("camera-1");
            // Loopback: nearly every frame on time (a real-time share, not an exact count: scheduling varies).
            assertThat(open.get(0).stats().onTime()).as("seed=%d", seed).isGreaterThanOrEqualTo(45);
            // The stats snapshot's streams are the same type, with the frame rate filled in from the second on.
            server.stats();
            StreamStatus inStats = server.stats().streams().get(0);
            assertThat(inStats.streamKey()).isEqualTo(open.get(0).streamKey());
            assertThat(inStats.peer()).isEqualTo(client.localAddress());
            assertThat(inStats.streamName()).isEqualTo("camera-1");
            assertThat(inStats.localPort()).isEqualTo(server.localAddresses().get(0).getPort());
            assertThat(inStats.framesPerSecond()).isGreaterThanOrEqualTo(0);
            StreamStatus outStats = client.stats().streams().get(0);
            assertThat(outStats.streamName()).isEqualTo("camera-1");
            assertThat(outStats.stats().incoming()).isFalse();
            stream.close();
            StreamEnd end = ended.get(10, TimeUnit.SECONDS);
            assertThat(end.streamName()).isEqualTo("camera-1");
            assertThat(end.peer()).isEqualTo(client.localAddress());
            assertThat(end.stats().onTime()).as("frames delivered = shown + skipped by a busy listener")
                    .isEqualTo(frames.size() + end.framesDroppedSlowListener());
        }
        int sentIndex = -1;
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            int found = indexOf(sent, f.bytes(), sentIndex + 1);
            assertThat(found).as("frame %d is byte for byte a later frame than the one before, seed=%d", i, seed)
                    .isGreaterThan(sentIndex);
            sentIndex = found;
            assertThat(f.frameNumber()).isGreaterThan(i == 0 ? -1 : frames.get(i - 1).frameNumber());
            assertThat(f.streamName()).isEqualTo("camera-1");
            assertThat(f.codec()).isEqualTo(StreamCodec.JPEG);
            assertThat(f.latencyNs()).as("never after the deadline").isBetween(0L, Duration.ofMillis(150).toNanos());
        }
    }

    private static int indexOf(List<byte[]> sent, byte[] bytes, int from) {
        for (int i = from; i < sent.size(); i++) {
            if (java.util.Arrays.equals(sent.get(i), bytes)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aSlowFrameListenerSkipsFramesInsteadOfHoldingTheNetwork() throws Exception {
        List<Frame> frames = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<StreamEnd> ended = new CompletableFuture<>();
        try (UdpixServer server = UdpixServer.builder().port(0).onFrame(f -> {
            frames.add(f);
            try {
                release.await(10, TimeUnit.SECONDS); // The first frame blocks the listener.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).onStreamEnded(ended::complete).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            FrameStream stream = client.openStream(StreamOptions.builder().fps(100).build());
            for (int i = 0; i < 40; i++) {
                stream.send(new byte[] {(byte) i, 1, 2, 3});
                Thread.sleep(10);
            }
            // The engine delivered every frame on time although the listener was stuck on the first.
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.streamStats().stream().mapToLong(s -> s.stats().frames()).sum() < 40
                    && System.nanoTime() < deadlineNs) {
                Thread.sleep(10);
            }
            long onTime = server.streamStats().get(0).stats().onTime();
            assertThat(onTime).as("delivered on time while the listener was stuck").isGreaterThanOrEqualTo(36);
            release.countDown();
            stream.close();
            StreamEnd end = ended.get(10, TimeUnit.SECONDS);
            // The first frame, then only the newest ones that waited (at most 4), plus any the I/O thread handed
            // over after the release (a loaded machine lags behind the stats): most of the 40 were skipped, counted.
            assertThat(frames.size()).isBetween(2, 10);
            assertThat(end.framesDroppedSlowListener()).isEqualTo(end.stats().onTime() - frames.size());
        }
    }

    @Test
    void aServerWithoutAFrameListenerRefusesTheStreamAndTheClientIsToldWhy() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            assertThatThrownBy(() -> {
                FrameStream stream = client.openStream(StreamOptions.defaults());
                // Refused after it was taken: the refusal reaches the next send.
                for (int i = 0; i < 100; i++) {
                    stream.send(new byte[] {1});
                    Thread.sleep(20);
                }
            }).isInstanceOf(UdpixException.class).hasMessageContaining("stream")
                    .hasMessageContaining(server.localAddresses().get(0).getPort() + "");
        }
    }

    @Test
    void aServersStreamLimitsReachTheSenderClampItsBudgetRefuseALargerFrameAndASecondStream() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).onFrame(frame -> { })
                .streamLimits(new StreamLimits(1, 10_000, 0, 80)).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0));
                FrameStream stream = client.openStream(StreamOptions.builder().name("limited")
                        .latency(Duration.ofMillis(150)).build())) {
            assertThat(stream.stats().latencyBudgetNs()).as("clamp(150, 0, 80)").isEqualTo(80_000_000L);
            assertThat(stream.maxFrameBytes()).isEqualTo(10_000);
            assertThatThrownBy(() -> stream.send(new byte[10_001])).isInstanceOfSatisfying(UdpixException.class,
                    e -> assertThat(e.kind()).isEqualTo(UdpixException.Kind.TOO_LARGE));
            stream.send(new byte[10_000]); // At the limit: taken.
            assertThatThrownBy(() -> client.openStream(StreamOptions.builder().build()))
                    .isInstanceOfSatisfying(UdpixException.class, e -> assertThat(e.getMessage())
                            .contains("at most 1 stream from us at once").contains("--max-streams"));
            assertThat(stream.failure()).isEmpty();
            assertThat(stream.framesTooLarge()).isEqualTo(1);
        }
    }

    private static void awaitFrames(List<Frame> frames, int count) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (frames.size() < count && System.nanoTime() < deadlineNs) {
            Thread.sleep(10);
        }
    }
}
