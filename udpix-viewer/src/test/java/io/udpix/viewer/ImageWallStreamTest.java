package io.udpix.viewer;

import static io.udpix.viewer.ImageWallTest.boundsOf;
import static io.udpix.viewer.ImageWallTest.brightness;
import static io.udpix.viewer.ImageWallTest.count;
import static io.udpix.viewer.ImageWallTest.paint;
import static io.udpix.viewer.ImageWallTest.solid;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.EventQueue;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ImageWallStreamTest {

    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;
    private static final int GREEN = 0x00FF00;

    private final AtomicLong nowNs = new AtomicLong(5_000_000_000L);
    private final ImageWall wall = new ImageWall(ZoneOffset.UTC, nowNs::get);

    @Test
    void paintsAStreamsLatestFrameInItsOwnTileBesideThePortTiles() throws Exception {
        wall.show(9000, solid(50, 50, RED), new ImageCaption("127.0.0.1:1", "a.png", 10, java.time.Instant.EPOCH));
        wall.showStreamFrame("cam", solid(64, 36, BLUE), caption(1, 0, 0));

        BufferedImage screen = paint(wall, 400, 200);
        Rectangle left = new Rectangle(0, 0, 200, 200);
        Rectangle right = new Rectangle(200, 0, 200, 200);
        assertThat(boundsOf(screen, RED, left)).as("the port's still image").isNotNull();
        assertThat(boundsOf(screen, BLUE, right)).as("the stream's frame").isNotNull();

        wall.showStreamFrame("cam", solid(64, 36, GREEN), caption(2, 0, 0));
        BufferedImage next = paint(wall, 400, 200);
        assertThat(boundsOf(next, GREEN, right)).isNotNull();
        assertThat(boundsOf(next, BLUE, right)).isNull();
        assertThat(boundsOf(next, RED, left)).isNotNull();
    }

    @Test
    void showsOnlyTheNewestFrameWhenFramesComeFasterThanTheEventQueueRuns() throws Exception {
        CountDownLatch eventQueueBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventQueue.invokeLater(() -> {
            eventQueueBusy.countDown();
            await(release);
        });
        assertThat(eventQueueBusy.await(10, TimeUnit.SECONDS)).isTrue();

        Thread receiver = new Thread(() -> {
            for (int frame = 1; frame <= 500; frame++) {
                wall.showStreamFrame("cam", solid(64, 36, frame == 500 ? GREEN : frame % 2 == 0 ? RED : BLUE),
                        caption(frame, 0, 0));
            }
        });
        receiver.start();
        receiver.join();
        release.countDown();

        BufferedImage screen = paint(wall, 320, 240);
        assertThat(boundsOf(screen, GREEN, new Rectangle(0, 0, 320, 240))).isNotNull();
        AtomicReference<StreamTile> tile = new AtomicReference<>();
        EventQueue.invokeAndWait(() -> tile.set(wall.streams().get("cam")));
        assertThat(tile.get().framesApplied()).as("one frame reached the tile").isEqualTo(1);
        assertThat(tile.get().framesSkipped()).isEqualTo(499);
        assertThat(tile.get().framesPainted()).isEqualTo(1);
        assertThat(tile.get().caption().frameNumber()).isEqualTo(500);
    }

    @Test
    void dimsTheLastFrameOfAnEndedStreamAndSaysItEnded() throws Exception {
        wall.showStreamFrame("cam", solid(400, 300, 0xFFFFFF), caption(10, 0, 0));
        BufferedImage live = paint(wall, 400, 340);
        wall.endStream("cam", caption(11, 2, 1));
        BufferedImage ended = paint(wall, 400, 340);

        Rectangle middleStrip = new Rectangle(10, 60, 380, 40); // inside the frame, above the centred text
        assertThat(count(live, middleStrip, rgb -> rgb == 0xFFFFFF)).isEqualTo(380 * 40);
        int dimmed = count(ended, middleStrip, rgb -> brightness(rgb) >= 0x60 && brightness(rgb) <= 0x70);
        assertThat(dimmed).as("the frame still shows, dimmed to 40%").isGreaterThan(380 * 40 * 9 / 10);
        Rectangle centre = new Rectangle(10, 120, 380, 60);
        assertThat(count(ended, centre, rgb -> brightness(rgb) > 0xC0)).as("'stream ended' written over it")
                .isGreaterThan(100);
        assertThat(StreamTilePainter.badge(streamTile("cam"), nowNs.get())).isEqualTo("ENDED");
    }

    @Test
    void flagsALiveStreamThatSentNoFrameForTwoSeconds() throws Exception {
        wall.showStreamFrame("cam", solid(64, 36, BLUE), caption(1, 0, 0));
        paint(wall, 320, 240);
        StreamTile tile = streamTile("cam");
        assertThat(StreamTilePainter.badge(tile, nowNs.get())).isEqualTo("LIVE");

        nowNs.addAndGet(1_900_000_000L);
        assertThat(StreamTilePainter.badge(tile, nowNs.get())).isEqualTo("LIVE");
        nowNs.addAndGet(1_200_000_000L);
        assertThat(StreamTilePainter.badge(tile, nowNs.get())).isEqualTo("NO FRAME FOR 3 s");

        wall.showStreamFrame("cam", solid(64, 36, BLUE), caption(2, 0, 0));
        paint(wall, 320, 240);
        assertThat(StreamTilePainter.badge(tile, nowNs.get())).isEqualTo("LIVE");
    }

    @Test
    void showsAnEndedTileForAStreamThatEndedBeforeAnyFrame() throws Exception {
        wall.endStream("refused", caption(0, 0, 0));

        BufferedImage screen = paint(wall, 400, 300);
        assertThat(count(screen, new Rectangle(0, 80, 400, 120), rgb -> brightness(rgb) > 0xC0))
                .as("'stream ended before any frame arrived'").isGreaterThan(100);
        assertThat(streamTile("refused").ended()).isTrue();
    }

    @Test
    void paintsOnlyTheTilesInsideTheRepaintedArea() throws Exception {
        wall.show(9000, solid(50, 50, RED), new ImageCaption("127.0.0.1:1", "a.png", 10, java.time.Instant.EPOCH));
        wall.showStreamFrame("cam", solid(64, 36, BLUE), caption(1, 0, 0));
        paint(wall, 400, 200); // lays out at 400x200

        BufferedImage screen = solid(400, 200, GREEN);
        EventQueue.invokeAndWait(() -> {
            Graphics2D g = screen.createGraphics();
            try {
                g.setClip(200, 0, 200, 200); // what RepaintManager asks for after the stream's frame
                wall.paint(g);
            } finally {
                g.dispose();
            }
        });
        assertThat(boundsOf(screen, BLUE, new Rectangle(200, 0, 200, 200))).isNotNull();
        assertThat(count(screen, new Rectangle(0, 0, 200, 200), rgb -> rgb == GREEN))
                .as("the port's tile was not painted again").isEqualTo(200 * 200);
    }

    @Test
    void captionNamesTheStreamSenderFrameRateLatencyLateLostFecCodecAndSize() {
        StreamCaption caption = new StreamCaption("127.0.0.1:50123", "cam-1", 1_234, 29.94, 12.4, 48.0, 3, 1, 17,
                "JPEG", 100_700);

        List<List<StreamTilePainter.Segment>> lines =
                StreamTilePainter.captionLines(solid(1280, 720, RED), caption, false);
        assertThat(lines).extracting(StreamTilePainter::text).containsExactly(
                "cam-1  from 127.0.0.1:50123  stream frame 1,234",
                "29.9 fps  latency 12 ms (p99 48 ms)  late 3  lost 1  FEC 17  JPEG 1280x720 98.3 KiB");

        StreamCaption fresh = new StreamCaption("h:1", "\u202Ecam", 0, Double.NaN, 0.84, Double.NaN, 0, 0, 0, "PNG",
                10);
        assertThat(StreamTilePainter.captionLines(null, fresh, false)).extracting(StreamTilePainter::text)
                .containsExactly("?cam  from h:1  stream frame 0",
                        "- fps  latency 0.8 ms (p99 - ms)  late 0  lost 0  FEC 0  PNG 10 B");
    }

    @Test
    void theCaptionSaysItsNumberIsTheStreamsSoItIsNotTakenForTheSourcesCountATestPatternDraws() {
        // Frame 40 of the stream after 3 frames were dropped at the source: the pattern in it reads "source frame
        // 43"; the caption must not present 40 as the same count.
        StreamCaption caption = new StreamCaption("h:1", "pattern 1280x720", 40, 30.0, 10.0, 20.0, 0, 0, 0, "JPEG", 0);

        String first = StreamTilePainter.text(StreamTilePainter.captionLines(null, caption, false).get(0));

        assertThat(first).endsWith("  stream frame 40").doesNotContain("  frame 40");
    }

    @Test
    void endedCaptionLeavesOutFiguresTheCallerNoLongerKnows() {
        StreamCaption last = new StreamCaption("h:1", "cam", 880, Double.NaN, Double.NaN, 61.5, 4, 2, 9, "JPEG", 0);

        assertThat(StreamTilePainter.captionLines(solid(640, 360, RED), last, true))
                .extracting(StreamTilePainter::text)
                .containsExactly("ENDED  cam  from h:1  stream frame 880",
                        "latency p99 62 ms  late 4  lost 2  FEC 9  JPEG 640x360");
        StreamCaption nothing = new StreamCaption("h:1", "cam", 0, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0,
                "JPEG", 0);
        assertThat(StreamTilePainter.text(StreamTilePainter.captionLines(null, nothing, true).get(1)))
                .isEqualTo("latency -  late 0  lost 0  FEC 0  JPEG");
    }

    @Test
    void captionShowsLateAndLostInWarningColoursOnlyWhenNotZero() {
        List<StreamTilePainter.Segment> clean =
                StreamTilePainter.captionLines(null, caption(5, 0, 0), false).get(1);
        List<StreamTilePainter.Segment> lossy =
                StreamTilePainter.captionLines(null, caption(5, 2, 7), false).get(1);

        assertThat(colourOf(clean, "late")).isEqualTo(ImageWall.CAPTION_DETAIL_TEXT);
        assertThat(colourOf(clean, "lost")).isEqualTo(ImageWall.CAPTION_DETAIL_TEXT);
        assertThat(colourOf(lossy, "late")).isEqualTo(StreamTilePainter.LATE_TEXT);
        assertThat(colourOf(lossy, "lost")).isEqualTo(StreamTilePainter.LOST_TEXT);
    }

    private static Color colourOf(List<StreamTilePainter.Segment> line, String word) {
        return line.stream().filter(segment -> segment.text().startsWith("  " + word + " ")).findFirst().orElseThrow().color();
    }

    private StreamTile streamTile(String key) throws Exception {
        AtomicReference<StreamTile> tile = new AtomicReference<>();
        EventQueue.invokeAndWait(() -> tile.set(wall.streams().get(key)));
        return tile.get();
    }

    private static StreamCaption caption(long frameNumber, long late, long lost) {
        return new StreamCaption("127.0.0.1:40000", "cam", frameNumber, 30.0, 12.0, 40.0, late, lost, 0, "JPEG",
                1000);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
