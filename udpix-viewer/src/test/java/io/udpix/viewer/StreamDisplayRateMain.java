package io.udpix.viewer;

import java.awt.Color;
import java.awt.EventQueue;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import javax.swing.SwingUtilities;

/**
 * Feeds an open viewer one 1080p stream at 60 fps (two pre-drawn frames in turn, so the feeder costs nothing) and
 * prints how many frames were painted and skipped: how fast the real window keeps up (needs a display; under
 * Xvfb this is software rendering). A measurement, never an assertion.
 *
 * <p>Usage: {@code StreamDisplayRateMain [seconds] [windowWidth] [windowHeight]}.
 */
public final class StreamDisplayRateMain {

    private StreamDisplayRateMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int widthPx = args.length > 1 ? Integer.parseInt(args[1]) : 1280;
        int heightPx = args.length > 2 ? Integer.parseInt(args[2]) : 800;
        ViewerWindow window = ViewerWindow.open("udpix viewer: 1080p at 60 fps");
        EventQueue.invokeAndWait(() -> SwingUtilities.getWindowAncestor(window.wall()).setSize(widthPx, heightPx));
        BufferedImage[] frames = new BufferedImage[2];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new BufferedImage(1920, 1080, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = frames[i].createGraphics();
            g.setPaint(new GradientPaint(0, 0, Color.RED, 1920, 1080, i == 0 ? Color.BLUE : Color.GREEN));
            g.fillRect(0, 0, 1920, 1080);
            g.dispose();
        }
        int fps = 60;
        long periodNs = 1_000_000_000L / fps;
        long frameCount = (long) (seconds * fps);
        long startNs = System.nanoTime();
        for (long frame = 1; frame <= frameCount; frame++) {
            window.showStreamFrame("s", frames[(int) (frame % 2)], new StreamCaption("127.0.0.1:1", "1080p60",
                    frame, fps, 2.0, 4.0, 0, 0, 0, "JPEG", 250_000));
            long sleepNs = startNs + frame * periodNs - System.nanoTime();
            if (sleepNs > 0) {
                Thread.sleep(sleepNs / 1_000_000, (int) (sleepNs % 1_000_000));
            }
        }
        Thread.sleep(200);
        double elapsedS = (System.nanoTime() - startNs) / 1e9;
        EventQueue.invokeAndWait(() -> {
            StreamTile tile = window.wall().streams().get("s");
            System.out.printf(Locale.ROOT, "window %dx%d, %d frames offered in %.1f s: painted %d (%.1f fps), "
                    + "skipped %d%n", widthPx, heightPx, frameCount, elapsedS, tile.framesPainted(),
                    tile.framesPainted() / elapsedS, tile.framesSkipped());
            System.out.printf(Locale.ROOT, "applied %d, hand-over offered %d skipped %d%n", tile.framesApplied(),
                    window.wall().streamUpdates().framesOffered(), window.wall().streamUpdates().framesSkipped());
        });
        window.close();
        System.exit(0);
    }
}
