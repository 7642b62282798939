package io.udpix.api.media;

import java.awt.AWTException;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.io.IOException;

/**
 * {@code --source screen}: the screen (or part of it) captured with {@link java.awt.Robot} each time it is asked.
 * Needs a display: in a headless JVM (no DISPLAY, or -Djava.awt.headless=true) it fails at construction with an
 * error that says so. On Wayland desktops Robot may capture only X11 (XWayland) windows or black.
 */
public final class ScreenSource implements FrameSource {
    private final Robot robot;
    private final Rectangle area;
    private boolean closed;

    /** The whole primary screen. */
    public ScreenSource() throws IOException {
        this(null);
    }

    /**
     * {@code area} of the screen (null: the whole primary screen).
     *
     * @throws IOException when there is no screen to capture (headless) or the platform refuses capture
     */
    public ScreenSource(Rectangle area) throws IOException {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IOException("cannot capture the screen: this Java runs headless (no display: DISPLAY is unset "
                    + "or -Djava.awt.headless=true); run it in a desktop session, or use --source pattern");
        }
        try {
            robot = new Robot();
            this.area = area != null ? new Rectangle(area)
                    : new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
        } catch (AWTException | SecurityException | UnsupportedOperationException e) {
            throw new IOException("cannot capture the screen: " + e.getMessage()
                    + "; use --source pattern or a folder of images instead", e);
        }
        if (this.area.isEmpty()) {
            throw new IOException("cannot capture the screen: the capture area " + this.area + " is empty");
        }
    }

    @Override
    public SourceFrame next() throws IOException {
        if (closed) {
            throw new IOException("the screen source is closed");
        }
        long captureNs = System.nanoTime();
        long captureEpochMs = System.currentTimeMillis();
        return SourceFrame.ofImage(robot.createScreenCapture(area), captureNs, captureEpochMs);
    }

    @Override
    public String description() {
        return "screen " + area.width + "x" + area.height;
    }

    @Override
    public void close() {
        closed = true;
    }
}
