package io.udpix.cli.demo;

import io.udpix.api.UdpixClient;
import io.udpix.api.media.PatternSource;
import io.udpix.api.media.SourceFrame;
import io.udpix.api.stream.Frame;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamEnd;
import io.udpix.api.stream.StreamOptions;
import io.udpix.cli.report.ItemReporter;
import io.udpix.cli.serve.LiveDisplay;
import io.udpix.cli.stream.StreamDisplay;
import io.udpix.engine.stream.StreamStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo's live stream: a moving test pattern sent through the lossy relay for a few seconds, shown in the
 * viewer when there is one, and summed up (frames on time, late, lost, latency, repairs) from the server's figures.
 */
final class DemoStream implements AutoCloseable {
    /** The pattern's size: small enough for a quick demo on any machine, large enough to span many datagrams. */
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final double FPS = 15;
    private static final long END_WAIT_MS = 5_000;

    private final StreamDisplay display;
    private final CompletableFuture<StreamEnd> ended = new CompletableFuture<>();

    DemoStream(LiveDisplay liveDisplay) {
        this.display = liveDisplay.showing() ? new StreamDisplay(liveDisplay) : null;
    }

    /** The server's frame listener. */
    void onFrame(Frame frame) {
        if (display != null) {
            display.offer(frame);
        }
    }

    /** The server's stream-end listener. */
    void onEnded(StreamEnd end) {
        if (display != null) {
            display.end(end.streamKey(), end);
        }
        ended.complete(end);
    }

    /**
     * Streams the pattern to {@code relay} for {@code length} and reports the server's figures; returns false when
     * the stream could not run (the reason is reported).
     */
    boolean run(InetSocketAddress relay, String serverFingerprint, long seed, Duration length, ItemReporter reporter)
            throws InterruptedException {
        long sent = 0;
        try (UdpixClient client = UdpixClient.builder(relay).seed(seed + 2).serverKey(serverFingerprint).connect();
             PatternSource pattern = new PatternSource(WIDTH, HEIGHT)) {
            FrameStream stream = client.openStream(StreamOptions.builder().name("demo pattern").fps(FPS)
                    .latency(Duration.ofMillis(150)).build());
            reporter.status(String.format(Locale.ROOT, "streaming a %dx%d test pattern at %.0f fps for %s through "
                    + "the relay (latency budget 150 ms)...", WIDTH, HEIGHT, FPS, io.udpix.cli.report.Units
                    .duration(length)));
            long periodNs = Math.round(1e9 / FPS);
            long startNs = System.nanoTime();
            for (long nextNs = startNs; System.nanoTime() - startNs < length.toNanos(); nextNs += periodNs) {
                SourceFrame frame = pattern.next();
                stream.send(frame.image(), frame.captureNs());
                sent++;
                long waitNs = nextNs + periodNs - System.nanoTime();
                if (waitNs > 0) {
                    TimeUnit.NANOSECONDS.sleep(waitNs);
                }
            }
            Thread.sleep(stream.options().latency().toMillis() + 200); // The last frames' repairs.
            stream.close();
        } catch (IOException e) {
            reporter.status("the live stream did not run: " + e.getMessage());
            return false;
        }
        try {
            StreamStats s = ended.get(END_WAIT_MS, TimeUnit.MILLISECONDS).stats();
            reporter.status(String.format(Locale.ROOT, "the live stream: %d frames sent, %d shown complete and on "
                            + "time (%.0f%%), %d late, %d lost; latency p50 %.0f ms, p99 %.0f ms; %d frames repaired "
                            + "by FEC, %d fragments resent", sent, s.onTime(), sent == 0 ? 0.0 : 100.0 * s.onTime()
                            / sent, s.late(), s.lost(), s.latencyP50Ns() / 1e6, s.latencyP99Ns() / 1e6,
                    s.fecRecovered(), s.retransmittedFragments()));
            return true;
        } catch (ExecutionException | TimeoutException e) {
            reporter.status("the live stream sent " + sent + " frames, but the server did not report its end");
            return false;
        }
    }

    @Override
    public void close() {
        if (display != null) {
            display.close();
        }
    }
}
