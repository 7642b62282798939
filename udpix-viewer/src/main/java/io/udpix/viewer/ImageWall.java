package io.udpix.viewer;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.EventQueue;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import javax.swing.JComponent;
import javax.swing.Timer;

/**
 * A Swing component showing the latest image of each port as one tile, scaled to fit with its aspect ratio kept,
 * above a caption (port, arrival time, sender, WxH, bytes, name), and after them one tile per live stream: its
 * latest frame, its rate, latency and late/lost counts, and whether it ended ({@link StreamTilePainter}).
 *
 * <p>{@link #show}, {@link #showStreamFrame} and {@link #endStream} may be called from any thread: the update is
 * handed to the AWT event queue, which is the only thread that reads or writes the tiles (Swing's single-thread
 * rule), so the tiles need no locks. Stream frames go through {@link StreamUpdates}, which keeps only each
 * stream's newest frame until the event queue takes it, and a changed stream repaints only its own tile (Swing's
 * RepaintManager merges repaint requests until the next paint), so frames faster than painting are skipped, never
 * queued.
 */
public final class ImageWall extends JComponent {

    private static final long serialVersionUID = 1L;

    /** At most this many tiles; a new port beyond it replaces the tile updated least recently. */
    public static final int MAX_TILES = 64;

    static final Color BACKGROUND = new Color(0x20, 0x20, 0x20);
    static final Color CAPTION_BACKGROUND = new Color(0x00, 0x00, 0x00);
    static final Color CAPTION_TEXT = new Color(0xF0, 0xF0, 0xF0);
    static final Color CAPTION_DETAIL_TEXT = new Color(0xB0, 0xB0, 0xB0);
    private static final int GAP_PX = 4;
    private static final int CAPTION_PADDING_PX = 3;
    private static final int CAPTION_LINES = 2;
    private static final int MAX_CAPTION_CHARS = 256;
    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    /** Port to tile; touched only on the event dispatch thread. */
    private final Map<Integer, Tile> tiles = new TreeMap<>();
    /** Stream tiles; touched only on the event dispatch thread. */
    private final StreamTiles streams = new StreamTiles();
    private final StreamUpdates streamUpdates;
    private final ZoneId zone;
    private final LongSupplier nanoClock;
    /** Repaints quiet live streams once a second so that their "no frame for N s" badge counts up. */
    private final Timer stallTimer;
    private long updateCount;

    /** A wall that prints arrival times in the system time zone. */
    public ImageWall() {
        this(ZoneId.systemDefault());
    }

    /** A wall that prints arrival times in {@code zone}. */
    public ImageWall(ZoneId zone) {
        this(zone, System::nanoTime);
    }

    /** A wall whose stream tiles read the time from {@code nanoClock} (tests). */
    ImageWall(ZoneId zone, LongSupplier nanoClock) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.streamUpdates = new StreamUpdates(EventQueue::invokeLater, this::applyStream);
        this.stallTimer = new Timer(1000, event -> repaintQuietStreams());
        setFont(new Font(Font.DIALOG, Font.PLAIN, 12));
        setOpaque(true);
        setPreferredSize(new Dimension(960, 720));
    }

    /**
     * Shows {@code image} as the latest image of {@code port}, replacing the previous one. Thread-safe; the
     * change becomes visible once the AWT event queue has run it.
     */
    public void show(int port, BufferedImage image, ImageCaption caption) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(caption, "caption");
        if (EventQueue.isDispatchThread()) {
            apply(port, image, caption);
        } else {
            EventQueue.invokeLater(() -> apply(port, image, caption));
        }
    }

    /**
     * Shows {@code image} as the latest frame of the live stream {@code key} (its own tile, created on its first
     * frame). Thread-safe and cheap: meant to be called by a receiving thread for every frame, 60 a second or
     * more; only the newest frame of each stream is kept until the event queue takes it. The image must not be
     * changed after the call (the wall draws it until a newer frame replaces it).
     *
     * @param key     identifies the stream, e.g. sender and stream id; never shown
     * @return false when the frame was refused because {@link StreamUpdates#MAX_PENDING_STREAMS} other streams
     *         already wait for the event queue (it is stuck); the next frame may get through
     */
    public boolean showStreamFrame(String key, BufferedImage image, StreamCaption caption) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(caption, "caption");
        return streamUpdates.offerFrame(key, image, caption);
    }

    /**
     * Marks the live stream {@code key} ended: its tile keeps the last frame, dimmed, with "ended" and
     * {@code finalCaption}'s figures, until room is needed for a new stream (ended tiles go first, the earliest
     * ended first). Thread-safe. A stream never shown gets an ended tile without a frame.
     *
     * @return false only when the hand-over to the event queue is full (it is stuck)
     */
    public boolean endStream(String key, StreamCaption finalCaption) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(finalCaption, "finalCaption");
        return streamUpdates.offerEnd(key, finalCaption);
    }

    /** How many tiles are shown, still images and streams; call on the event dispatch thread. */
    public int tileCount() {
        return tiles.size() + streams.size();
    }

    /** The stream tiles; call on the event dispatch thread. */
    StreamTiles streams() {
        return streams;
    }

    /** The hand-over of stream frames to the event queue. */
    StreamUpdates streamUpdates() {
        return streamUpdates;
    }

    /** Runs on the event dispatch thread (by {@link StreamUpdates#drain}). */
    private void applyStream(StreamUpdates.Update update) {
        StreamTiles.Applied applied = streams.apply(update, nanoClock.getAsLong());
        if (applied == StreamTiles.Applied.LAYOUT) {
            repaint();
        } else if (applied == StreamTiles.Applied.TILE) {
            repaintStream(update.key());
        }
        if (!update.ended() && !stallTimer.isRunning()) {
            stallTimer.start();
        }
    }

    private void repaintStream(String key) {
        int index = streams.indexOf(key);
        if (index >= 0) {
            repaint(tileBounds(tiles.size() + index, tileCount()));
        }
    }

    private void repaintQuietStreams() {
        long nowNs = nanoClock.getAsLong();
        boolean anyLive = false;
        for (StreamTile tile : streams.tiles()) {
            if (!tile.ended()) {
                anyLive = true;
                // The badge turns at STALL_NS and then counts seconds: repaint from a second before.
                if (tile.hasFrame() && nowNs - tile.lastFrameNs() >= StreamTilePainter.STALL_NS - 1_000_000_000L) {
                    repaintStream(tile.key);
                }
            }
        }
        // Not displayable: the window was closed (or never shown); the next live frame starts the timer again.
        if (!anyLive || !isDisplayable()) {
            stallTimer.stop();
        }
    }

    private void apply(int port, BufferedImage image, ImageCaption caption) {
        if (!tiles.containsKey(port) && tiles.size() >= MAX_TILES) {
            evictLeastRecentlyUpdated();
        }
        tiles.put(port, new Tile(port, image, caption, ++updateCount));
        repaint();
    }

    private void evictLeastRecentlyUpdated() {
        Tile oldest = null;
        for (Tile tile : tiles.values()) {
            if (oldest == null || tile.updateNumber < oldest.updateNumber) {
                oldest = tile;
            }
        }
        if (oldest != null) {
            tiles.remove(oldest.port);
        }
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        Graphics2D g = (Graphics2D) graphics.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, getWidth(), getHeight());
            g.setFont(getFont());
            if (tileCount() == 0) {
                paintWaiting(g);
                return;
            }
            int count = tileCount();
            Rectangle clip = g.getClipBounds();
            int index = 0;
            for (Tile tile : tiles.values()) {
                Rectangle bounds = tileBounds(index++, count);
                if (bounds.width > 0 && bounds.height > 0 && (clip == null || clip.intersects(bounds))) {
                    paintTile(g, tile, bounds);
                }
            }
            long nowNs = nanoClock.getAsLong();
            int captionHeightPx = captionHeightPx(g.getFontMetrics());
            for (StreamTile tile : streams.tiles()) {
                Rectangle bounds = tileBounds(index++, count);
                // A stream's frame repaints only its own tile: the others are outside the clip.
                if (bounds.width > 0 && bounds.height > 0 && (clip == null || clip.intersects(bounds))) {
                    StreamTilePainter.paint(g, tile, bounds, Math.min(bounds.height, captionHeightPx),
                            CAPTION_PADDING_PX, nowNs);
                }
            }
        } finally {
            g.dispose();
        }
    }

    /** Where tile {@code index} of {@code count} goes: a near-square grid filled row by row. */
    private Rectangle tileBounds(int index, int count) {
        int columns = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + columns - 1) / columns;
        int tileWidthPx = getWidth() / columns;
        int tileHeightPx = getHeight() / rows;
        int x = (index % columns) * tileWidthPx;
        int y = (index / columns) * tileHeightPx;
        return new Rectangle(x + GAP_PX / 2, y + GAP_PX / 2, tileWidthPx - GAP_PX, tileHeightPx - GAP_PX);
    }

    private static int captionHeightPx(FontMetrics metrics) {
        return CAPTION_LINES * metrics.getHeight() + 2 * CAPTION_PADDING_PX;
    }

    private void paintWaiting(Graphics2D g) {
        String text = "waiting for images and streams";
        FontMetrics metrics = g.getFontMetrics();
        g.setColor(CAPTION_DETAIL_TEXT);
        g.drawString(text, (getWidth() - metrics.stringWidth(text)) / 2, getHeight() / 2);
    }

    private void paintTile(Graphics2D g, Tile tile, Rectangle bounds) {
        FontMetrics metrics = g.getFontMetrics();
        int lineHeightPx = metrics.getHeight();
        int captionHeightPx = Math.min(bounds.height, captionHeightPx(metrics));
        Rectangle imageArea = new Rectangle(bounds.x, bounds.y, bounds.width, bounds.height - captionHeightPx);
        if (imageArea.height > 0) {
            BufferedImage scaled = tile.scaledToFit(imageArea.width, imageArea.height);
            if (scaled != null) {
                int imageX = imageArea.x + (imageArea.width - scaled.getWidth()) / 2;
                int imageY = imageArea.y + (imageArea.height - scaled.getHeight()) / 2;
                g.drawImage(scaled, imageX, imageY, null);
            }
        }
        int captionY = bounds.y + bounds.height - captionHeightPx;
        g.setColor(CAPTION_BACKGROUND);
        g.fillRect(bounds.x, captionY, bounds.width, captionHeightPx);
        List<String> lines = captionLines(tile.port, tile.image, tile.caption, zone);
        int textWidthPx = bounds.width - 2 * CAPTION_PADDING_PX;
        int baselineY = captionY + CAPTION_PADDING_PX + metrics.getAscent();
        for (int i = 0; i < lines.size(); i++) {
            g.setColor(i == 0 ? CAPTION_TEXT : CAPTION_DETAIL_TEXT);
            g.drawString(elide(lines.get(i), metrics, textWidthPx), bounds.x + CAPTION_PADDING_PX, baselineY);
            baselineY += lineHeightPx;
        }
    }

    /**
     * The caption's text lines: {@code :PORT  TIME  from SENDER}, then {@code WxH  N bytes  NAME}. The name goes
     * last because it is the part that varies most in length, so eliding a narrow tile cuts the name, not the rest.
     */
    static List<String> captionLines(int port, BufferedImage image, ImageCaption caption, ZoneId zone) {
        List<String> lines = new ArrayList<>(CAPTION_LINES);
        lines.add(":" + port + "  " + TIME_FORMAT.format(caption.arrivalTime().atZone(zone))
                + "  from " + printable(caption.sender()));
        long lengthBytes = caption.lengthBytes();
        lines.add(image.getWidth() + "x" + image.getHeight()
                + "  " + String.format(Locale.ROOT, "%,d", lengthBytes) + (lengthBytes == 1 ? " byte" : " bytes")
                + "  " + printable(caption.name()));
        return lines;
    }

    /**
     * Names come from the network: control and format characters (e.g. U+202E, which flips the text direction)
     * are replaced so that a name cannot disguise itself, and the length is capped.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CAPTION_CHARS));
        for (int i = 0; i < text.length() && out.length() < MAX_CAPTION_CHARS; ) {
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            boolean hidden = Character.isISOControl(codePoint) || type == Character.FORMAT
                    || type == Character.SURROGATE || type == Character.UNASSIGNED;
            out.appendCodePoint(hidden ? '?' : codePoint);
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }

    /** Cuts {@code text} to {@code maxWidthPx}, ending it with an ellipsis when something was cut. */
    static String elide(String text, FontMetrics metrics, int maxWidthPx) {
        if (metrics.stringWidth(text) <= maxWidthPx) {
            return text;
        }
        String ellipsis = "\u2026";
        int end = text.length();
        while (end > 0 && metrics.stringWidth(text.substring(0, end) + ellipsis) > maxWidthPx) {
            end = text.offsetByCodePoints(end, -1);
        }
        return end == 0 ? "" : text.substring(0, end) + ellipsis;
    }

    /** One port's latest image, with a cached copy scaled to the last tile size (repaints must stay cheap). */
    private static final class Tile {
        final int port;
        final BufferedImage image;
        final ImageCaption caption;
        final long updateNumber;
        /** Still images may be PNGs with transparency. */
        private final ScaledCopy scaled = new ScaledCopy(false);

        Tile(int port, BufferedImage image, ImageCaption caption, long updateNumber) {
            this.port = port;
            this.image = image;
            this.caption = caption;
            this.updateNumber = updateNumber;
        }

        /** The image scaled to the largest size inside {@code areaWidthPx x areaHeightPx} with the same shape. */
        BufferedImage scaledToFit(int areaWidthPx, int areaHeightPx) {
            return scaled.fit(image, areaWidthPx, areaHeightPx);
        }
    }
}
