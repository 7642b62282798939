package io.udpix.viewer;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Paints one live stream tile: the latest frame scaled to fit, a badge on it (LIVE, NO FRAME FOR N s, or ENDED,
 * with the frame dimmed), and two caption lines: {@code NAME  from SENDER  frame N}, then
 * {@code FPS  latency MS (p99 MS)  late N  lost N  FEC N  CODEC WxH SIZE}, with late and lost in warning colours
 * when not zero, so loss shows at a glance.
 */
final class StreamTilePainter {

    /** A live stream with no new frame for this long is flagged on its tile. */
    static final long STALL_NS = 2_000_000_000L;

    static final Color LIVE_BADGE = new Color(0xE0, 0x20, 0x20);
    static final Color STALLED_BADGE = new Color(0xE0, 0x90, 0x00);
    static final Color ENDED_BADGE = new Color(0x70, 0x70, 0x70);
    static final Color LATE_TEXT = new Color(0xFF, 0xB0, 0x30);
    static final Color LOST_TEXT = new Color(0xFF, 0x60, 0x60);
    static final Color GOOD_TEXT = new Color(0x70, 0xD0, 0x70);
    static final Color ENDED_PLATE = new Color(0x10, 0x10, 0x10, 0xD0);
    /** How much of an ended stream's last frame shows through the dimming. */
    static final float ENDED_DIM_ALPHA = 0.6f;
    private static final int BADGE_MARGIN_PX = 6;
    private static final int BADGE_PADDING_PX = 4;

    /** A run of caption text in one colour. */
    record Segment(String text, Color color) {
    }

    private StreamTilePainter() {
    }

    /** Paints {@code tile} into {@code bounds}; {@code captionHeightPx} rows at the bottom hold the caption. */
    static void paint(Graphics2D g, StreamTile tile, Rectangle bounds, int captionHeightPx, int paddingPx,
            long nowNs) {
        FontMetrics metrics = g.getFontMetrics();
        Rectangle imageArea = new Rectangle(bounds.x, bounds.y, bounds.width, bounds.height - captionHeightPx);
        Rectangle imageRect = null;
        if (imageArea.height > 0 && tile.image() != null) {
            BufferedImage scaled = tile.scaled().fit(tile.image(), imageArea.width, imageArea.height, !tile.ended());
            if (scaled != null) {
                imageRect = new Rectangle(imageArea.x + (imageArea.width - scaled.getWidth()) / 2,
                        imageArea.y + (imageArea.height - scaled.getHeight()) / 2,
                        scaled.getWidth(), scaled.getHeight());
                g.drawImage(scaled, imageRect.x, imageRect.y, null);
                tile.markPainted();
            }
        }
        if (imageArea.height > 0) {
            Rectangle badgeArea = imageRect != null ? imageRect : imageArea;
            if (tile.ended()) {
                paintEnded(g, tile, imageArea, imageRect);
            } else if (imageRect == null) {
                paintCentered(g, "waiting for the first frame", imageArea, ImageWall.CAPTION_DETAIL_TEXT);
            }
            paintBadge(g, badge(tile, nowNs), badgeColor(tile, nowNs), badgeArea);
        }
        int captionY = bounds.y + bounds.height - captionHeightPx;
        g.setColor(ImageWall.CAPTION_BACKGROUND);
        g.fillRect(bounds.x, captionY, bounds.width, captionHeightPx);
        int baselineY = captionY + paddingPx + metrics.getAscent();
        int maxX = bounds.x + bounds.width - paddingPx;
        for (List<Segment> line : captionLines(tile.image(), tile.caption(), tile.ended())) {
            drawSegments(g, line, bounds.x + paddingPx, baselineY, maxX);
            baselineY += metrics.getHeight();
        }
    }

    private static void paintEnded(Graphics2D g, StreamTile tile, Rectangle imageArea, Rectangle imageRect) {
        if (imageRect != null) {
            Composite before = g.getComposite();
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, ENDED_DIM_ALPHA));
            g.setColor(Color.BLACK);
            g.fill(imageRect);
            g.setComposite(before);
        }
        Font before = g.getFont();
        g.setFont(before.deriveFont(Font.BOLD, before.getSize2D() * 1.5f));
        String text = tile.hasFrame() ? "stream ended" : "stream ended before any frame arrived";
        if (imageRect != null) {
            // A plate behind the words: the dimmed frame may have text of its own right there (a test card).
            FontMetrics metrics = g.getFontMetrics();
            int widthPx = Math.min(imageArea.width - 8, metrics.stringWidth(text) + 4 * BADGE_PADDING_PX);
            int heightPx = metrics.getHeight() + 2 * BADGE_PADDING_PX;
            Object antialias = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(ENDED_PLATE);
            g.fillRoundRect(imageArea.x + (imageArea.width - widthPx) / 2,
                    imageArea.y + (imageArea.height - heightPx) / 2, widthPx, heightPx, 10, 10);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, antialias);
        }
        paintCentered(g, text, imageArea, ImageWall.CAPTION_TEXT);
        g.setFont(before);
    }

    private static void paintCentered(Graphics2D g, String text, Rectangle area, Color color) {
        FontMetrics metrics = g.getFontMetrics();
        String shown = ImageWall.elide(text, metrics, area.width - 8);
        g.setColor(color);
        g.drawString(shown, area.x + (area.width - metrics.stringWidth(shown)) / 2,
                area.y + (area.height + metrics.getAscent() - metrics.getDescent()) / 2);
    }

    /** The badge text: LIVE, NO FRAME FOR N s (a live stream that went quiet), or ENDED. */
    static String badge(StreamTile tile, long nowNs) {
        if (tile.ended()) {
            return "ENDED";
        }
        long quietNs = nowNs - tile.lastFrameNs();
        if (tile.hasFrame() && quietNs >= STALL_NS) {
            return "NO FRAME FOR " + quietNs / 1_000_000_000L + " s";
        }
        return "LIVE";
    }

    private static Color badgeColor(StreamTile tile, long nowNs) {
        if (tile.ended()) {
            return ENDED_BADGE;
        }
        return badge(tile, nowNs).equals("LIVE") ? LIVE_BADGE : STALLED_BADGE;
    }

    private static void paintBadge(Graphics2D g, String text, Color color, Rectangle area) {
        Font before = g.getFont();
        g.setFont(before.deriveFont(Font.BOLD));
        FontMetrics metrics = g.getFontMetrics();
        boolean dot = text.equals("LIVE");
        int dotPx = dot ? Math.max(4, metrics.getAscent() * 6 / 10) : 0;
        int dotRoomPx = dot ? dotPx + BADGE_PADDING_PX : 0;
        int widthPx = dotRoomPx + metrics.stringWidth(text) + 2 * BADGE_PADDING_PX;
        int heightPx = metrics.getAscent() + metrics.getDescent() + 2 * BADGE_PADDING_PX / 2;
        if (widthPx + BADGE_MARGIN_PX <= area.width && heightPx + BADGE_MARGIN_PX <= area.height) {
            int x = area.x + BADGE_MARGIN_PX;
            int y = area.y + BADGE_MARGIN_PX;
            Object antialias = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(color);
            g.fillRoundRect(x, y, widthPx, heightPx, 6, 6);
            g.setColor(new Color(0, 0, 0, 0x60));
            g.setStroke(new BasicStroke(1f));
            g.drawRoundRect(x, y, widthPx, heightPx, 6, 6);
            g.setColor(Color.WHITE);
            if (dot) {
                // The recording dot: what "live" looks like on cameras and streaming sites.
                g.fillOval(x + BADGE_PADDING_PX, y + (heightPx - dotPx) / 2, dotPx, dotPx);
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, antialias);
            g.drawString(text, x + BADGE_PADDING_PX + dotRoomPx, y + BADGE_PADDING_PX / 2 + metrics.getAscent());
        }
        g.setFont(before);
    }

    /** Draws the segments left to right, eliding the one that reaches {@code maxX} and dropping the rest. */
    private static void drawSegments(Graphics2D g, List<Segment> line, int x, int baselineY, int maxX) {
        FontMetrics metrics = g.getFontMetrics();
        for (Segment segment : line) {
            int roomPx = maxX - x;
            if (roomPx <= 0) {
                return;
            }
            String shown = ImageWall.elide(segment.text(), metrics, roomPx);
            g.setColor(segment.color());
            g.drawString(shown, x, baselineY);
            if (!shown.equals(segment.text())) {
                return;
            }
            x += metrics.stringWidth(shown);
        }
    }

    /**
     * The caption's two lines as coloured segments: {@code [ENDED  ]NAME  from SENDER  stream frame N}, then the
     * figures. Text from the network (name, sender, codec) is cleaned by {@link ImageWall#printable}.
     */
    static List<List<Segment>> captionLines(BufferedImage image, StreamCaption caption, boolean ended) {
        Color main = ImageWall.CAPTION_TEXT;
        Color detail = ImageWall.CAPTION_DETAIL_TEXT;
        List<Segment> first = new ArrayList<>();
        if (ended) {
            first.add(new Segment("ENDED  ", detail));
        }
        first.add(new Segment(ImageWall.printable(caption.streamName()), main));
        first.add(new Segment("  from " + ImageWall.printable(caption.sender()), detail));
        // "stream frame": the stream's number, which skips frames dropped at the source; a test pattern draws the
        // source's count under the label "source frame", so a caption and a pattern that differ both say so.
        first.add(new Segment(String.format(Locale.ROOT, "  stream frame %,d", caption.frameNumber()), detail));

        List<Segment> second = new ArrayList<>();
        // Unknown figures (NaN) read "-" while the stream runs; an ended stream's caption leaves them out.
        if (!Double.isNaN(caption.fps())) {
            second.add(new Segment(String.format(Locale.ROOT, "%.1f fps  ", caption.fps()), main));
        } else if (!ended) {
            second.add(new Segment("- fps  ", main));
        }
        second.add(new Segment(latency(caption.latencyMs(), caption.latencyP99Ms()), main));
        second.add(new Segment(String.format(Locale.ROOT, "  late %,d", caption.late()),
                caption.late() > 0 ? LATE_TEXT : detail));
        second.add(new Segment(String.format(Locale.ROOT, "  lost %,d", caption.lost()),
                caption.lost() > 0 ? LOST_TEXT : detail));
        second.add(new Segment(String.format(Locale.ROOT, "  FEC %,d", caption.fecRecovered()),
                caption.fecRecovered() > 0 ? GOOD_TEXT : detail));
        String size = image == null ? "" : " " + image.getWidth() + "x" + image.getHeight();
        String length = caption.frameBytes() == 0 ? "" : " " + bytes(caption.frameBytes());
        second.add(new Segment("  " + ImageWall.printable(caption.codec()) + size + length, detail));
        List<List<Segment>> lines = new ArrayList<>(2);
        lines.add(first);
        lines.add(second);
        return lines;
    }

    /** The caption line as plain text (what tests and screen readers compare). */
    static String text(List<Segment> line) {
        StringBuilder out = new StringBuilder();
        for (Segment segment : line) {
            out.append(segment.text());
        }
        return out.toString();
    }

    /** {@code latency 12 ms (p99 48 ms)}, {@code latency p99 48 ms} when only that is known, {@code latency -}. */
    static String latency(double latencyMs, double latencyP99Ms) {
        if (Double.isNaN(latencyMs)) {
            return Double.isNaN(latencyP99Ms) ? "latency -" : "latency p99 " + millis(latencyP99Ms);
        }
        return "latency " + millis(latencyMs) + " (p99 " + millis(latencyP99Ms) + ")";
    }

    /** {@code 12 ms} from 10 ms up, {@code 4.2 ms} below (loopback latencies), {@code - ms} when unknown. */
    static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return "- ms";
        }
        return String.format(Locale.ROOT, ms < 10 ? "%.1f ms" : "%,.0f ms", ms);
    }

    /** {@code 999 B}, {@code 98.3 KiB}, {@code 1.9 MiB}. */
    static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        if (count < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", count / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", count / (1024.0 * 1024.0));
    }
}
