package io.udpix.api.media;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.OptionalLong;

/**
 * A moving test card that shows its frame number and capture time (UTC, to the millisecond) in large digits, so a
 * screenshot of the sender's and the receiver's screens side by side shows the latency, and a gap in the numbers
 * shows a lost frame.
 *
 * <p>Cheap by construction: the background (gradient, grid, circle, 75% colour bars, grey ramp, labels) is drawn once
 * with Java2D and kept as pixels; each frame only puts back the background under last frame's moving bar and tick,
 * draws the new ones, and copies pre-rendered digit tiles into the two text fields. A full-frame Java2D redraw of a
 * 1080p gradient with text costs ~11 ms; this costs well under 1 ms (measured by MediaTimings).
 *
 * <p>Not thread-safe: one pattern per producing thread. {@link #draw} redraws {@link #image()} in place.
 */
public final class TestPattern {
    /** Smallest and largest sizes taken (the digits need some room; the limit bounds memory to 2 x 256 MiB). */
    public static final int MIN_WIDTH = 96;
    public static final int MIN_HEIGHT = 72;
    public static final int MAX_SIDE = 8192;
    /**
     * The label above the drawn number: it counts the frames the source made, and a stream numbers only the frames
     * that start to go (a frame dropped at the source gets no number), so the two part when frames are dropped; the
     * viewer's caption says "stream frame" for its number, and the labels say which is which.
     */
    public static final String NUMBER_LABEL = "source frame";

    private static final String GLYPHS = "0123456789:. ";
    private static final int NUMBER_CELLS = 10;     // frame numbers are u32 on the wire: at most 10 digits
    private static final int TIME_CELLS = 12;       // HH:MM:SS.mmm
    private static final int TICKS = 10;
    private static final int PANEL_RGB = 0x101010;
    private static final int BAR_RGB = 0xFFFFFF;
    private static final int TICK_RGB = 0xFFD000;
    private static final long MS_PER_DAY = 86_400_000L;

    private final int width;
    private final int height;
    private final BufferedImage image;
    private final int[] pixels;
    private final int[] background;
    private final int cellWidth;
    private final int cellHeight;
    private final int[][] glyphTiles;      // per GLYPHS character: cellWidth x cellHeight pixels
    private final int numberX;
    private final int numberY;
    private final int timeX;
    private final int timeY;
    private final int barY;
    private final int barHeight;
    private final int barWidth;
    private final int barStep;
    private final int tickY;
    private final int tickSize;
    private final int tickX0;
    private final int tickPitch;
    private final char[] text = new char[Math.max(NUMBER_CELLS, TIME_CELLS)];
    private final Rectangle lastBar = new Rectangle();
    private final Rectangle lastTick = new Rectangle();

    /** A pattern of {@code width} x {@code height} pixels (TYPE_INT_RGB), its background drawn once here. */
    public TestPattern(int width, int height) {
        if (width < MIN_WIDTH || height < MIN_HEIGHT || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("test pattern size " + width + "x" + height + " outside "
                    + MIN_WIDTH + "x" + MIN_HEIGHT + " .. " + MAX_SIDE + "x" + MAX_SIDE);
        }
        this.width = width;
        this.height = height;
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();

        // Digits: as tall as a ninth of the height, unless the 12-cell time line would not fit the width.
        int cellH = Math.min(height / 9, (int) (width * 0.8 / (TIME_CELLS * 0.6)));
        cellHeight = Math.max(10, cellH);
        cellWidth = Math.max(6, (int) Math.round(cellHeight * 0.6));
        int panelWidth = TIME_CELLS * cellWidth + 2 * cellWidth / 2;
        int labelHeight = Math.max(8, cellHeight / 3);
        int panelHeight = 2 * (labelHeight + cellHeight) + 3 * (cellHeight / 6);
        int panelX = (width - panelWidth) / 2;
        int panelY = Math.max(height * 27 / 100, (height - panelHeight) / 2);
        int gap = cellHeight / 6;
        timeX = panelX + cellWidth / 2;
        numberX = timeX;
        numberY = panelY + gap + labelHeight;
        timeY = numberY + cellHeight + gap + labelHeight;
        barHeight = Math.max(4, height / 14);
        barY = Math.min(height - barHeight - 1, panelY + panelHeight + Math.max(2, height / 40));
        barWidth = Math.max(2, width / 48);
        barStep = Math.max(1, width / 120);
        tickSize = Math.max(3, height / 40);
        tickPitch = tickSize * 2;
        tickX0 = Math.max(0, (width - TICKS * tickPitch) / 2);
        tickY = Math.max(0, panelY - tickSize - Math.max(2, height / 60));

        background = renderBackground(panelX, panelY, panelWidth, panelHeight, labelHeight);
        System.arraycopy(background, 0, pixels, 0, pixels.length);
        glyphTiles = renderGlyphs();
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /** The image every {@link #draw} redraws (the same object each time). */
    public BufferedImage image() {
        return image;
    }

    /** Where the frame number's digits are, in image coordinates (for tests and readers). */
    public Rectangle frameNumberArea() {
        return new Rectangle(numberX, numberY, NUMBER_CELLS * cellWidth, cellHeight);
    }

    /** Where the capture time's digits are, in image coordinates. */
    public Rectangle captureTimeArea() {
        return new Rectangle(timeX, timeY, TIME_CELLS * cellWidth, cellHeight);
    }

    /**
     * Draws frame {@code frameNumber} (0 .. 2^32-1) captured at {@code captureEpochMs} (wall clock, shown as UTC
     * time of day) into {@link #image()} and returns it. Only the moving bar, the tick and the digits are redrawn.
     */
    public BufferedImage draw(long frameNumber, long captureEpochMs) {
        if (frameNumber < 0 || frameNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("frame number " + frameNumber + " outside 0..2^32-1");
        }
        restore(lastBar);
        restore(lastTick);
        int barTravel = width - barWidth;
        int barX = (int) ((frameNumber * barStep) % barTravel);
        fill(barX, barY, barWidth, barHeight, BAR_RGB, lastBar);
        int tickX = tickX0 + (int) (frameNumber % TICKS) * tickPitch;
        fill(tickX, tickY, tickSize, tickSize, TICK_RGB, lastTick);

        int n = formatNumber(frameNumber);
        drawText(numberX, numberY, n, NUMBER_CELLS);
        formatTime(captureEpochMs);
        drawText(timeX, timeY, TIME_CELLS, TIME_CELLS);
        return image;
    }

    /**
     * Reads the frame number back from a (decoded, possibly lossy) frame of this pattern's size by matching each
     * digit cell against the digit tiles; empty when {@code frame} has another size or no digits where they belong.
     */
    public OptionalLong readFrameNumber(BufferedImage frame) {
        if (frame.getWidth() != width || frame.getHeight() != height) {
            return OptionalLong.empty();
        }
        int[] cell = new int[cellWidth * cellHeight];
        long value = 0;
        int digits = 0;
        for (int c = 0; c < NUMBER_CELLS; c++) {
            frame.getRGB(numberX + c * cellWidth, numberY, cellWidth, cellHeight, cell, 0, cellWidth);
            int glyph = closestGlyph(cell);
            char ch = GLYPHS.charAt(glyph);
            if (ch == ' ') {
                break;
            }
            if (ch < '0' || ch > '9') {
                return OptionalLong.empty();
            }
            value = value * 10 + (ch - '0');
            digits++;
        }
        return digits == 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private int closestGlyph(int[] cell) {
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int g = 0; g < glyphTiles.length; g++) {
            int[] tile = glyphTiles[g];
            long distance = 0;
            for (int i = 0; i < cell.length; i++) {
                int d = luma(cell[i]) - luma(tile[i]);
                distance += (long) d * d;
            }
            if (distance < bestDistance) {
                bestDistance = distance;
                best = g;
            }
        }
        return best;
    }

    private static int luma(int rgb) {
        return (((rgb >> 16) & 0xFF) * 77 + ((rgb >> 8) & 0xFF) * 150 + (rgb & 0xFF) * 29) >> 8;
    }

    /** Frame number digits, left-aligned in {@link #text}; returns how many. */
    private int formatNumber(long frameNumber) {
        String digits = Long.toString(frameNumber);
        int n = digits.length();
        digits.getChars(0, n, text, 0);
        return n;
    }

    /** HH:MM:SS.mmm (UTC) into {@link #text}, without allocating. */
    private void formatTime(long epochMs) {
        long ms = Math.floorMod(epochMs, MS_PER_DAY);
        int h = (int) (ms / 3_600_000);
        int m = (int) (ms / 60_000 % 60);
        int s = (int) (ms / 1000 % 60);
        int milli = (int) (ms % 1000);
        two(h, 0);
        text[2] = ':';
        two(m, 3);
        text[5] = ':';
        two(s, 6);
        text[8] = '.';
        text[9] = (char) ('0' + milli / 100);
        text[10] = (char) ('0' + milli / 10 % 10);
        text[11] = (char) ('0' + milli % 10);
    }

    private void two(int value, int at) {
        text[at] = (char) ('0' + value / 10);
        text[at + 1] = (char) ('0' + value % 10);
    }

    /** The first {@code used} characters of {@link #text}, blank tiles for the rest of {@code cells}. */
    private void drawText(int x, int y, int used, int cells) {
        for (int c = 0; c < cells; c++) {
            int glyph = c < used ? GLYPHS.indexOf(text[c]) : GLYPHS.length() - 1;
            int[] tile = glyphTiles[glyph];
            int cx = x + c * cellWidth;
            for (int row = 0; row < cellHeight; row++) {
                System.arraycopy(tile, row * cellWidth, pixels, (y + row) * width + cx, cellWidth);
            }
        }
    }

    private void restore(Rectangle r) {
        for (int row = r.y; row < r.y + r.height; row++) {
            int at = row * width + r.x;
            System.arraycopy(background, at, pixels, at, r.width);
        }
        r.setBounds(0, 0, 0, 0);
    }

    private void fill(int x, int y, int w, int h, int rgb, Rectangle record) {
        for (int row = y; row < y + h; row++) {
            int at = row * width + x;
            java.util.Arrays.fill(pixels, at, at + w, rgb);
        }
        record.setBounds(x, y, w, h);
    }

    private int[] renderBackground(int panelX, int panelY, int panelWidth, int panelHeight, int labelHeight) {
        BufferedImage bg = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = bg.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(24, 34, 70), width, height, new Color(70, 26, 80)));
            g.fillRect(0, 0, width, height);
            int grid = Math.max(8, height / 12);
            g.setColor(new Color(90, 100, 130));
            for (int x = grid / 2; x < width; x += grid) {
                g.drawLine(x, 0, x, height);
            }
            for (int y = grid / 2; y < height; y += grid) {
                g.drawLine(0, y, width, y);
            }
            int r = Math.min(width, height) * 9 / 20;
            g.setStroke(new BasicStroke(Math.max(1, height / 270f)));
            g.setColor(new Color(200, 200, 200));
            g.drawOval(width / 2 - r, height / 2 - r, 2 * r, 2 * r);

            // 75% colour bars (ITU-R BT.801 order) over the top fifth, a grey ramp under them.
            int[] bars = {0xBFBFBF, 0xBFBF00, 0x00BFBF, 0x00BF00, 0xBF00BF, 0xBF0000, 0x0000BF};
            int barsHeight = height / 5;
            for (int i = 0; i < bars.length; i++) {
                int x0 = i * width / bars.length;
                int x1 = (i + 1) * width / bars.length;
                g.setColor(new Color(bars[i]));
                g.fillRect(x0, 0, x1 - x0, barsHeight);
            }
            int steps = 11;
            for (int i = 0; i < steps; i++) {
                int x0 = i * width / steps;
                int x1 = (i + 1) * width / steps;
                int v = i * 255 / (steps - 1);
                g.setColor(new Color(v, v, v));
                g.fillRect(x0, barsHeight, x1 - x0, height / 25);
            }

            // The tick row: one lit square per frame (frame number mod 10), so a skipped frame shows as a jump.
            g.setColor(new Color(60, 60, 60));
            for (int i = 0; i < TICKS; i++) {
                g.fillRect(tickX0 + i * tickPitch, tickY, tickSize, tickSize);
            }
            g.setColor(new Color(PANEL_RGB));
            g.fillRoundRect(panelX, panelY, panelWidth, panelHeight, cellWidth, cellWidth);
            g.setColor(new Color(180, 180, 180));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, labelHeight));
            int labelBaseline = labelHeight * 4 / 5;
            g.drawString(NUMBER_LABEL, numberX, numberY - labelHeight + labelBaseline);
            g.drawString("capture time (UTC)", timeX, timeY - labelHeight + labelBaseline);
            g.setColor(Color.WHITE);
            g.drawString("udpix test pattern " + width + "x" + height, Math.max(2, width / 60),
                    height - Math.max(2, height / 60));
        } finally {
            g.dispose();
        }
        return ((DataBufferInt) bg.getRaster().getDataBuffer()).getData();
    }

    private int[][] renderGlyphs() {
        BufferedImage tile = new BufferedImage(cellWidth, cellHeight, BufferedImage.TYPE_INT_RGB);
        int[][] tiles = new int[GLYPHS.length()][];
        Font font = new Font(Font.MONOSPACED, Font.BOLD, cellHeight);
        Graphics2D g = tile.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // Fit the digits' box into the cell: the font's nominal size is larger than its digits are.
            FontMetrics fm = g.getFontMetrics(font);
            float scale = Math.min((float) cellHeight / (fm.getAscent() * 0.95f),
                    (float) cellWidth / Math.max(1, fm.charWidth('0')));
            font = font.deriveFont(cellHeight * Math.min(1f, scale));
            g.setFont(font);
            fm = g.getFontMetrics();
            int baseline = (cellHeight + fm.getAscent() - fm.getDescent()) / 2;
            for (int i = 0; i < GLYPHS.length(); i++) {
                g.setColor(new Color(PANEL_RGB));
                g.fillRect(0, 0, cellWidth, cellHeight);
                g.setColor(Color.WHITE);
                String s = String.valueOf(GLYPHS.charAt(i));
                g.drawString(s, (cellWidth - fm.stringWidth(s)) / 2, baseline);
                int[] rgb = tile.getRGB(0, 0, cellWidth, cellHeight, null, 0, cellWidth);
                for (int p = 0; p < rgb.length; p++) {
                    rgb[p] &= 0xFFFFFF; // getRGB adds an opaque alpha the INT_RGB image does not store
                }
                tiles[i] = rgb;
            }
        } finally {
            g.dispose();
        }
        return tiles;
    }
}
