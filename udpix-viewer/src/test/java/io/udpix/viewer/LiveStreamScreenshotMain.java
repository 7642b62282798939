package io.udpix.viewer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.EventQueue;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Robot;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.File;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;

/**
 * Opens the viewer (needs a display: run under {@code xvfb-run}, see docs/images/make-viewer-screenshot), feeds
 * it a moving synthetic stream with late and lost frames, a second live stream, an ended one and a still image,
 * and saves a capture of the window. Not a test: it makes the picture docs/images/viewer-live-stream.png shows
 * until a capture of the real {@code udpix serve --display} replaces it.
 *
 * <p>Usage: {@code LiveStreamScreenshotMain OUT.png [seconds] [seed]}; the figures shown are synthetic, drawn
 * from the seed.
 */
public final class LiveStreamScreenshotMain {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private LiveStreamScreenshotMain() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        File out = new File(args.length > 0 ? args[0] : "viewer-live-stream.png");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 4;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 11;
        System.out.println("seed=" + seed);
        ViewerWindow window = ViewerWindow.open("udpix serve --display  (ports 9000-9001)");
        EventQueue.invokeAndWait(() -> {
            Window frame = SwingUtilities.getWindowAncestor(window.wall());
            frame.setBounds(20, 20, 1400, 860);
            frame.validate();
        });
        window.show(9000, stillImage(), new ImageCaption("127.0.0.1:50412", "harbour.jpg", 241_733,
                Instant.now()));
        window.endStream("127.0.0.1:50999/1", new StreamCaption("127.0.0.1:50999", "door-cam", 5_400, 30.0,
                18.2, 41.0, 2, 0, 7, "JPEG", 61_200));
        window.showStreamFrame("127.0.0.1:50999/1", card(960, 540, 5_400, Color.DARK_GRAY, 0.7), new StreamCaption(
                "127.0.0.1:50999", "door-cam", 5_400, 30.0, 18.2, 41.0, 2, 0, 7, "JPEG", 61_200));
        // As the server ends a stream: rate and last latency no longer known, the stream's p99 and counts kept.
        window.endStream("127.0.0.1:50999/1", new StreamCaption("127.0.0.1:50999", "door-cam", 5_400, Double.NaN,
                Double.NaN, 41.0, 2, 0, 7, "JPEG", 0));

        AtomicBoolean running = new AtomicBoolean(true);
        Thread lossy = new Thread(() -> feed(window, "127.0.0.1:41022/1", "127.0.0.1:41022", "pattern via relay",
                1280, 720, 30, seed, 0.05, running, new Color(0x20, 0x40, 0x80)), "lossy-stream");
        Thread clean = new Thread(() -> feed(window, "127.0.0.1:41310/2", "127.0.0.1:41310", "screen",
                1280, 720, 60, seed + 1, 0.0, running, new Color(0x30, 0x60, 0x40)), "clean-stream");
        lossy.start();
        clean.start();
        Thread.sleep((long) (seconds * 1000));
        Robot robot = new Robot();
        Rectangle[] bounds = new Rectangle[1];
        EventQueue.invokeAndWait(() -> bounds[0] = SwingUtilities.getWindowAncestor(window.wall()).getBounds());
        BufferedImage capture = robot.createScreenCapture(bounds[0]);
        running.set(false);
        lossy.join();
        clean.join();
        EventQueue.invokeAndWait(() -> {
            for (StreamTile tile : window.wall().streams().tiles()) {
                System.out.printf(Locale.ROOT, "%s: frame %d, applied %d, painted %d, skipped %d%n", tile.key,
                        tile.caption().frameNumber(), tile.framesApplied(), tile.framesPainted(),
                        tile.framesSkipped());
            }
        });
        ImageIO.write(capture, "png", out);
        System.out.println("wrote " + out + " (" + capture.getWidth() + "x" + capture.getHeight() + ")");
        window.close();
        System.exit(0);
    }

    /** Sends frames at {@code fps} until stopped, with a seeded share of them late or lost (never shown). */
    private static void feed(ViewerWindow window, String key, String sender, String name, int widthPx,
            int heightPx, int fps, long seed, double lossShare, AtomicBoolean running, Color tint) {
        Random random = new Random(seed);
        BufferedImage background = background(widthPx, heightPx, tint);
        long late = 0;
        long lost = 0;
        long fec = 0;
        double p99Ms = 0;
        long periodNs = 1_000_000_000L / fps;
        long startNs = System.nanoTime();
        for (long frame = 1; running.get(); frame++) {
            double roll = random.nextDouble();
            if (roll < lossShare * 0.6) {
                late++;
            } else if (roll < lossShare) {
                lost++;
            } else {
                if (random.nextDouble() < lossShare * 2) {
                    fec++;
                }
                double latencyMs = (lossShare > 0 ? 55 : 3) + random.nextDouble() * (lossShare > 0 ? 70 : 4);
                p99Ms = Math.max(p99Ms * 0.999, latencyMs);
                BufferedImage image = copy(background);
                drawMoving(image, frame, fps);
                window.showStreamFrame(key, image, new StreamCaption(sender, name, frame,
                        fps - random.nextDouble() * (lossShare > 0 ? 2 : 0.3), latencyMs, p99Ms, late, lost, fec,
                        "JPEG", 90_000 + random.nextInt(25_000)));
            }
            long sleepNs = startNs + frame * periodNs - System.nanoTime();
            if (sleepNs > 0) {
                try {
                    Thread.sleep(sleepNs / 1_000_000, (int) (sleepNs % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static BufferedImage copy(BufferedImage source) {
        BufferedImage image = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        image.getRaster().setRect(source.getRaster());
        return image;
    }

    /** A test card: gradient, colour bars and a grid (drawn once per stream). */
    private static BufferedImage background(int widthPx, int heightPx, Color tint) {
        BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, tint.darker(), widthPx, heightPx, tint.brighter()));
        g.fillRect(0, 0, widthPx, heightPx);
        Color[] bars = {Color.WHITE, Color.YELLOW, Color.CYAN, Color.GREEN, Color.MAGENTA, Color.RED, Color.BLUE};
        int barWidthPx = widthPx / bars.length;
        for (int i = 0; i < bars.length; i++) {
            g.setColor(bars[i]);
            g.fillRect(i * barWidthPx, heightPx - heightPx / 6, barWidthPx, heightPx / 6);
        }
        g.setColor(new Color(255, 255, 255, 40));
        for (int x = 0; x < widthPx; x += widthPx / 16) {
            g.drawLine(x, 0, x, heightPx - heightPx / 6);
        }
        for (int y = 0; y < heightPx - heightPx / 6; y += heightPx / 9) {
            g.drawLine(0, y, widthPx, y);
        }
        g.dispose();
        return image;
    }

    /** A sweeping disc and the frame number with its capture time, so a still shows motion and latency. */
    private static void drawMoving(BufferedImage image, long frame, int fps) {
        int widthPx = image.getWidth();
        int heightPx = image.getHeight();
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        double phase = (double) frame / fps;
        int radiusPx = heightPx / 10;
        int cx = (int) (widthPx / 2 + Math.sin(phase * 1.7) * (widthPx / 2 - radiusPx * 2));
        int cy = (int) (heightPx * 0.42 + Math.cos(phase * 2.3) * heightPx / 5);
        g.setColor(new Color(255, 200, 40));
        g.fillOval(cx - radiusPx, cy - radiusPx, 2 * radiusPx, 2 * radiusPx);
        g.setStroke(new BasicStroke(4f));
        g.setColor(Color.WHITE);
        double angle = phase * Math.PI;
        int hx = widthPx - heightPx / 6;
        int hy = heightPx / 6;
        g.drawOval(hx - heightPx / 9, hy - heightPx / 9, 2 * heightPx / 9, 2 * heightPx / 9);
        g.drawLine(hx, hy, (int) (hx + Math.sin(angle) * heightPx / 10), (int) (hy - Math.cos(angle) * heightPx / 10));
        g.setFont(new Font(Font.MONOSPACED, Font.BOLD, heightPx / 12));
        String text = String.format(Locale.ROOT, "frame %06d  %s", frame,
                CLOCK.format(LocalTime.now(ZoneOffset.UTC)));
        g.setColor(new Color(0, 0, 0, 150));
        g.fillRect(widthPx / 20 - 10, heightPx / 12, g.getFontMetrics().stringWidth(text) + 20, heightPx / 10);
        g.setColor(Color.WHITE);
        g.drawString(text, widthPx / 20, heightPx / 12 + heightPx / 12);
        g.dispose();
    }

    /** A still frame of a stream that ended. */
    private static BufferedImage card(int widthPx, int heightPx, long frame, Color tint, double phase) {
        BufferedImage image = background(widthPx, heightPx, tint);
        drawMoving(image, frame, 30);
        return image;
    }

    /** A synthetic "photo" for the still image port tile: sky, sea and hills. */
    private static BufferedImage stillImage() {
        int widthPx = 1024;
        int heightPx = 683;
        BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x2A, 0x5C, 0xA8), 0, heightPx / 2,
                new Color(0xF4, 0xB8, 0x7A)));
        g.fillRect(0, 0, widthPx, heightPx / 2);
        g.setColor(new Color(0xFF, 0xE0, 0x90));
        g.fillOval(widthPx * 2 / 3, heightPx / 3, 90, 90);
        g.setPaint(new GradientPaint(0, heightPx / 2, new Color(0x1E, 0x4A, 0x6E), 0, heightPx,
                new Color(0x0A, 0x1A, 0x2A)));
        g.fillRect(0, heightPx / 2, widthPx, heightPx / 2);
        g.setColor(new Color(0x22, 0x33, 0x22));
        int[] xs = {0, 150, 300, 420, 560, 0};
        int[] ys = {heightPx / 2, heightPx / 2 - 110, heightPx / 2 - 60, heightPx / 2 - 140, heightPx / 2,
            heightPx / 2};
        g.fillPolygon(xs, ys, xs.length);
        g.dispose();
        return image;
    }
}
