package io.udpix.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.EventQueue;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ImageWallTest {

    private static final Instant ARRIVAL = Instant.parse("2026-11-23T10:15:30.250Z");
    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;
    private static final int GREEN = 0x00FF00;

    @Test
    void paintsTheImageScaledToFitKeepingItsAspectRatio() throws Exception {
        ImageWall wall = new ImageWall(ZoneOffset.UTC);
        wall.show(9000, solid(80, 40, RED), caption("red.png"));

        BufferedImage screen = paint(wall, 400, 300);

        Rectangle red = boundsOf(screen, RED, new Rectangle(0, 0, 400, 300));
        assertThat(red).as("red pixels of the test image appear in the tile").isNotNull();
        // The tile is ~400 px wide and the image area taller than 200 px, so width is the limit.
        assertThat(red.width).isBetween(380, 400);
        assertThat((double) red.width / red.height).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.05));
        // Letterboxed: the rows above the image are background, not stretched image.
        assertThat(red.y).isGreaterThan(5);
        assertThat(screen.getRGB(200, 2) & 0xFFFFFF).isEqualTo(ImageWall.BACKGROUND.getRGB() & 0xFFFFFF);
    }

    @Test
    void drawsTheCaptionBelowTheImage() throws Exception {
        ImageWall wall = new ImageWall(ZoneOffset.UTC);
        wall.show(9000, solid(80, 40, RED), caption("red.png"));

        BufferedImage screen = paint(wall, 400, 300);

        Rectangle red = boundsOf(screen, RED, new Rectangle(0, 0, 400, 300));
        Rectangle captionArea = new Rectangle(0, 300 - 40, 400, 40);
        assertThat(red.y + red.height).isLessThanOrEqualTo(captionArea.y);
        int captionBackground = count(screen, captionArea,
                rgb -> rgb == (ImageWall.CAPTION_BACKGROUND.getRGB() & 0xFFFFFF));
        int textPixels = count(screen, captionArea, rgb -> brightness(rgb) > 120 && rgb != RED);
        assertThat(captionBackground).as("caption background").isGreaterThan(2000);
        assertThat(textPixels).as("caption text pixels").isGreaterThan(100);
    }

    @Test
    void captionNamesPortSenderNameSizeBytesAndArrivalTime() {
        var lines = ImageWall.captionLines(9000, solid(640, 480, RED),
                new ImageCaption("127.0.0.1:50123", "cat.jpg", 123_456, ARRIVAL), ZoneOffset.UTC);

        assertThat(lines).containsExactly(
                ":9000  10:15:30.250  from 127.0.0.1:50123",
                "640x480  123,456 bytes  cat.jpg");
    }

    @Test
    void hidesControlAndDirectionCharactersOfNamesFromTheNetwork() {
        assertThat(ImageWall.printable("\u202Egpj.exe\u0000\n")).isEqualTo("?gpj.exe??");
        assertThat(ImageWall.printable("x".repeat(10_000))).hasSize(256);
    }

    @Test
    void showsOneTilePerPortAndReplacesOnlyThatPortsImage() throws Exception {
        ImageWall wall = new ImageWall(ZoneOffset.UTC);
        wall.show(9000, solid(50, 50, RED), caption("a.png"));
        wall.show(9001, solid(50, 50, BLUE), caption("b.png"));

        BufferedImage twoTiles = paint(wall, 400, 200);
        Rectangle left = new Rectangle(0, 0, 200, 200);
        Rectangle right = new Rectangle(200, 0, 200, 200);
        assertThat(boundsOf(twoTiles, RED, left)).isNotNull();
        assertThat(boundsOf(twoTiles, BLUE, right)).isNotNull();
        assertThat(boundsOf(twoTiles, RED, right)).isNull();

        wall.show(9000, solid(50, 50, GREEN), caption("c.png"));
        BufferedImage updated = paint(wall, 400, 200);
        assertThat(boundsOf(updated, GREEN, left)).isNotNull();
        assertThat(boundsOf(updated, RED, left)).isNull();
        assertThat(boundsOf(updated, BLUE, right)).isNotNull();
    }

    @Test
    void appliesUpdatesFromOtherThreadsThroughTheEventQueue() throws Exception {
        ImageWall wall = new ImageWall(ZoneOffset.UTC);
        Thread sender = new Thread(() -> wall.show(7000, solid(10, 10, RED), caption("t.png")));
        sender.start();
        sender.join();

        AtomicInteger tiles = new AtomicInteger();
        EventQueue.invokeAndWait(() -> tiles.set(wall.tileCount()));
        assertThat(tiles).hasValue(1);
    }

    @Test
    void keepsAtMostMaxTilesDroppingTheLeastRecentlyUpdated() throws Exception {
        ImageWall wall = new ImageWall(ZoneOffset.UTC);
        BufferedImage image = solid(4, 4, RED);
        for (int port = 1; port <= ImageWall.MAX_TILES + 6; port++) {
            wall.show(port, image, caption("p" + port));
        }
        AtomicInteger tiles = new AtomicInteger();
        EventQueue.invokeAndWait(() -> tiles.set(wall.tileCount()));
        assertThat(tiles).hasValue(ImageWall.MAX_TILES);
    }

    @Test
    void saysItIsWaitingWhenNoImageArrivedYet() throws Exception {
        BufferedImage screen = paint(new ImageWall(ZoneOffset.UTC), 300, 200);

        int textPixels = count(screen, new Rectangle(0, 0, 300, 200), rgb -> brightness(rgb) > 100);
        assertThat(textPixels).isGreaterThan(20);
    }

    private static ImageCaption caption(String name) {
        return new ImageCaption("127.0.0.1:40000", name, 1234, ARRIVAL);
    }

    static BufferedImage solid(int widthPx, int heightPx, int rgb) {
        BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, widthPx, heightPx);
        g.dispose();
        return image;
    }

    /** Paints the component on the event queue (after any pending show calls) into a fresh image. */
    static BufferedImage paint(javax.swing.JComponent component, int widthPx, int heightPx) throws Exception {
        BufferedImage screen = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
        EventQueue.invokeAndWait(() -> {
            component.setSize(widthPx, heightPx);
            Graphics2D g = screen.createGraphics();
            try {
                component.paint(g);
            } finally {
                g.dispose();
            }
        });
        return screen;
    }

    /** The smallest rectangle holding every pixel of exactly {@code rgb} inside {@code area}, or null. */
    static Rectangle boundsOf(BufferedImage image, int rgb, Rectangle area) {
        Rectangle bounds = null;
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    bounds = bounds == null ? new Rectangle(x, y, 1, 1) : bounds.union(new Rectangle(x, y, 1, 1));
                }
            }
        }
        return bounds;
    }

    static int count(BufferedImage image, Rectangle area, java.util.function.IntPredicate matches) {
        int count = 0;
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                if (matches.test(image.getRGB(x, y) & 0xFFFFFF)) {
                    count++;
                }
            }
        }
        return count;
    }

    static int brightness(int rgb) {
        return Math.max((rgb >> 16) & 0xFF, Math.max((rgb >> 8) & 0xFF, rgb & 0xFF));
    }
}
