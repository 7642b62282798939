package io.udpix.cli.consume;

import io.udpix.api.store.ImageInspector;
import io.udpix.kafka.consume.FleetRecord;
import io.udpix.viewer.StreamCaption;
import io.udpix.viewer.ViewerWindow;
import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * {@code consume --display}: the latest image or frame of each key in its own tile of a {@link ViewerWindow}, so a
 * whole fleet's senders are seen at once; or nothing.
 */
final class FleetDisplay implements AutoCloseable {

    private static final FleetDisplay NONE = new FleetDisplay(null);

    private final ViewerWindow window;

    private FleetDisplay(ViewerWindow window) {
        this.window = window;
    }

    static boolean available() {
        return ViewerWindow.displayAvailable();
    }

    static FleetDisplay none() {
        return NONE;
    }

    static FleetDisplay open(String title) {
        return new FleetDisplay(ViewerWindow.open(title));
    }

    /**
     * Decodes {@code record}'s value (decoding is capped at ImageInspector's pixel limit, so a hostile record
     * cannot make a huge image) and shows it in its key's tile; skips what does not decode.
     */
    void show(FleetRecord record) {
        if (window == null || !window.isOpen()) {
            return;
        }
        Optional<BufferedImage> image = ImageInspector.decode(record.value());
        // The caption's latency is the time since the receiver had the item: how far behind this consumer is.
        double lagMs = Math.max(0, System.currentTimeMillis() - record.receivedEpochMs());
        image.ifPresent(decoded -> window.showStreamFrame(record.key(), decoded, new StreamCaption(record.sender(),
                record.name(), Math.max(0, record.frameNumber()), Double.NaN, lagMs, Double.NaN, 0, 0, 0,
                record.kind(), record.value().length)));
    }

    @Override
    public void close() {
        if (window != null) {
            window.close();
        }
    }
}
