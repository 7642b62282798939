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
import javax.swing.JComponent;

/**
 * A Swing component showing the latest image of each port as one tile, scaled to fit with its aspect ratio kept,
 * above a caption (port, arrival time, sender, WxH, bytes, name).
 *
 * <p>{@link #show} may be called from any thread: the update is handed to the AWT event queue, which is the only
 * thread that reads or writes the tiles (Swing's single-thread rule), so no locks are needed.
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
    private final ZoneId zone;
    private long updateCount;

    /** A wall that prints arrival times in the system time zone. */
    public ImageWall() {
        this(ZoneId.systemDefault());
    }

    /** A wall that prints arrival times in {@code zone}. */
    public ImageWall(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
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

    /** How many tiles are shown; call on the event dispatch thread. */
    public int tileCount() {
        return tiles.size();
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
            if (tiles.isEmpty()) {
                paintWaiting(g);
                return;
            }
            int count = tiles.size();
            int columns = (int) Math.ceil(Math.sqrt(count));
            int rows = (count + columns - 1) / columns;
            int tileWidthPx = getWidth() / columns;
            int tileHeightPx = getHeight() / rows;
            int index = 0;
            for (Tile tile : tiles.values()) {
                int x = (index % columns) * tileWidthPx;
                int y = (index / columns) * tileHeightPx;
                Rectangle bounds = new Rectangle(x + GAP_PX / 2, y + GAP_PX / 2,
                        tileWidthPx - GAP_PX, tileHeightPx - GAP_PX);
                if (bounds.width > 0 && bounds.height > 0) {
                    paintTile(g, tile, bounds);
                }
                index++;
            }
        } finally {
            g.dispose();
        }
    }

    private void paintWaiting(Graphics2D g) {
        String text = "waiting for images";
        FontMetrics metrics = g.getFontMetrics();
        g.setColor(CAPTION_DETAIL_TEXT);
        g.drawString(text, (getWidth() - metrics.stringWidth(text)) / 2, getHeight() / 2);
    }

    private void paintTile(Graphics2D g, Tile tile, Rectangle bounds) {
        FontMetrics metrics = g.getFontMetrics();
        int lineHeightPx = metrics.getHeight();
        int captionHeightPx = Math.min(bounds.height, CAPTION_LINES * lineHeightPx + 2 * CAPTION_PADDING_PX);
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
        private BufferedImage scaled;

        Tile(int port, BufferedImage image, ImageCaption caption, long updateNumber) {
            this.port = port;
            this.image = image;
            this.caption = caption;
            this.updateNumber = updateNumber;
        }

        /** The image scaled to the largest size inside {@code areaWidthPx x areaHeightPx} with the same shape. */
        BufferedImage scaledToFit(int areaWidthPx, int areaHeightPx) {
            int sourceWidthPx = image.getWidth();
            int sourceHeightPx = image.getHeight();
            if (sourceWidthPx <= 0 || sourceHeightPx <= 0 || areaWidthPx <= 0 || areaHeightPx <= 0) {
                return null;
            }
            double scale = Math.min((double) areaWidthPx / sourceWidthPx, (double) areaHeightPx / sourceHeightPx);
            int widthPx = Math.max(1, (int) Math.floor(sourceWidthPx * scale));
            int heightPx = Math.max(1, (int) Math.floor(sourceHeightPx * scale));
            if (scaled == null || scaled.getWidth() != widthPx || scaled.getHeight() != heightPx) {
                scaled = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_ARGB);
                Graphics2D g = scaled.createGraphics();
                try {
                    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                    g.drawImage(image, 0, 0, widthPx, heightPx, null);
                } finally {
                    g.dispose();
                }
            }
            return scaled;
        }
    }
}
