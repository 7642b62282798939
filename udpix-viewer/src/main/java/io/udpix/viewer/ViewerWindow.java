package io.udpix.viewer;

import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import javax.swing.JFrame;
import javax.swing.WindowConstants;

/** A window holding one {@link ImageWall}: what {@code udpix serve --display} opens. */
public final class ViewerWindow implements AutoCloseable {

    private final ImageWall wall;
    private final JFrame frame;

    private ViewerWindow(ImageWall wall, JFrame frame) {
        this.wall = wall;
        this.frame = frame;
    }

    /** True when a screen can be used (AWT is not headless). */
    public static boolean displayAvailable() {
        return !GraphicsEnvironment.isHeadless();
    }

    /**
     * Opens a window titled {@code title} and returns once it is on screen.
     *
     * @throws IllegalStateException when there is no display
     */
    public static ViewerWindow open(String title) {
        Objects.requireNonNull(title, "title");
        if (!displayAvailable()) {
            throw new IllegalStateException("no display is available (headless: DISPLAY unset or "
                    + "-Djava.awt.headless=true); run without --display, or set DISPLAY");
        }
        ViewerWindow[] created = new ViewerWindow[1];
        // Swing components must be created on the event dispatch thread.
        runOnEventQueue(() -> {
            ImageWall wall = new ImageWall();
            JFrame frame = new JFrame(title);
            // Closing the window must not stop a server that is still receiving.
            frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
            frame.add(wall);
            frame.pack();
            frame.setLocationByPlatform(true);
            frame.setVisible(true);
            created[0] = new ViewerWindow(wall, frame);
        });
        return created[0];
    }

    /** The wall inside the window. */
    public ImageWall wall() {
        return wall;
    }

    /** Shows {@code image} as the latest of {@code port}; thread-safe (see {@link ImageWall#show}). */
    public void show(int port, BufferedImage image, ImageCaption caption) {
        wall.show(port, image, caption);
    }

    /**
     * Shows {@code image} as the latest frame of the live stream {@code key} in its own tile; thread-safe, for a
     * receiving thread at the stream's rate (frames faster than the screen paints are skipped, never queued; see
     * {@link ImageWall#showStreamFrame}). The image must not be changed after the call.
     *
     * @return false when the frame is not taken: the window was closed, or the event queue is stuck with many
     *         streams waiting
     */
    public boolean showStreamFrame(String key, BufferedImage image, StreamCaption caption) {
        // A closed window shows nothing: holding frames for it would only keep memory.
        return isOpen() && wall.showStreamFrame(key, image, caption);
    }

    /**
     * Marks the live stream {@code key} ended: its tile keeps the last frame, dimmed, with "ended" and the final
     * figures; thread-safe (see {@link ImageWall#endStream}).
     */
    public boolean endStream(String key, StreamCaption finalCaption) {
        return wall.endStream(key, finalCaption);
    }

    /** False once the user closed the window or {@link #close()} ran. */
    public boolean isOpen() {
        return frame.isDisplayable();
    }

    /** Closes the window; safe to call twice. */
    @Override
    public void close() {
        EventQueue.invokeLater(frame::dispose);
    }

    private static void runOnEventQueue(Runnable task) {
        try {
            EventQueue.invokeAndWait(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the viewer window", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("could not open the viewer window: " + e.getCause(), e.getCause());
        }
    }
}
