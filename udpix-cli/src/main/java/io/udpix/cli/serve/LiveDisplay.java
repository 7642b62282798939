package io.udpix.cli.serve;

import io.udpix.api.store.ImageInspector;
import io.udpix.viewer.ImageCaption;
import io.udpix.viewer.StreamCaption;
import io.udpix.viewer.ViewerWindow;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code --display}: shows the latest image of each port, and each live stream, in a {@link ViewerWindow}, or does
 * nothing.
 */
public final class LiveDisplay implements AutoCloseable {

    private static final LiveDisplay NONE = new LiveDisplay(null);

    private final ViewerWindow window;

    private LiveDisplay(ViewerWindow window) {
        this.window = window;
    }

    /** True when a window can be opened. */
    public static boolean available() {
        return ViewerWindow.displayAvailable();
    }

    /** A display that shows nothing. */
    public static LiveDisplay none() {
        return NONE;
    }

    /**
     * Opens a window titled {@code title}.
     *
     * @throws IllegalStateException when there is no screen
     */
    public static LiveDisplay open(String title) {
        return new LiveDisplay(ViewerWindow.open(title));
    }

    /** True when images are shown (a window was opened and the user has not closed it). */
    public boolean showing() {
        return window != null && window.isOpen();
    }

    /** Decodes the saved image at {@code file} and shows it as the latest of {@code port}; skips what fails. */
    public void show(int port, Path file, String sender, String name, long lengthBytes) {
        if (!showing()) {
            return;
        }
        Optional<BufferedImage> image = ImageInspector.decode(file);
        image.ifPresent(decoded -> window.show(port, decoded,
                new ImageCaption(sender, name, lengthBytes, Instant.now())));
    }

    /** Shows an image already decoded. */
    public void show(int port, BufferedImage image, String sender, String name, long lengthBytes) {
        if (showing()) {
            window.show(port, image, new ImageCaption(sender, name, lengthBytes, Instant.now()));
        }
    }

    /** Shows {@code image} as the latest frame of the stream {@code key}; false when it was not shown. */
    public boolean showStreamFrame(String key, BufferedImage image, StreamCaption caption) {
        return showing() && window.showStreamFrame(key, image, caption);
    }

    /** Marks the stream {@code key} as ended, with its final figures. */
    public void endStream(String key, StreamCaption finalCaption) {
        if (showing()) {
            window.endStream(key, finalCaption);
        }
    }

    /** Closes the window, if any. */
    @Override
    public void close() {
        if (window != null) {
            window.close();
        }
    }
}
