package io.udpix.viewer;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A copy of an image scaled to fit an area with its aspect ratio kept, made once per image and tile size, so that
 * repaints only copy pixels. Its buffer is reused while the size stays the same: a live stream at 60 fps costs one
 * scaling per frame shown and no allocation.
 */
final class ScaledCopy {

    private final boolean opaque;
    private BufferedImage scaled;
    private BufferedImage scaledFrom;

    /** A copy for opaque frames (stream frames: JPEG has no alpha). */
    ScaledCopy() {
        this(true);
    }

    /** @param opaque false keeps transparency (still images may be PNGs with alpha) */
    ScaledCopy(boolean opaque) {
        this.opaque = opaque;
    }

    /** Forgets the copy: the next {@link #fit} scales again even if given the same image object. */
    void invalidate() {
        scaledFrom = null;
    }

    /**
     * The largest size inside {@code areaWidthPx x areaHeightPx} with the shape of a {@code widthPx x heightPx}
     * image, as {@code {width, height}}, or null when either is empty.
     */
    static int[] fitSize(int widthPx, int heightPx, int areaWidthPx, int areaHeightPx) {
        if (widthPx <= 0 || heightPx <= 0 || areaWidthPx <= 0 || areaHeightPx <= 0) {
            return null;
        }
        double scale = Math.min((double) areaWidthPx / widthPx, (double) areaHeightPx / heightPx);
        return new int[] {
            Math.max(1, Math.min(areaWidthPx, (int) Math.floor(widthPx * scale))),
            Math.max(1, Math.min(areaHeightPx, (int) Math.floor(heightPx * scale)))};
    }

    /**
     * Largest copy, in pixels, scaled with bilinear filtering when the caller asks for speed; larger ones use
     * nearest neighbour. Cost is per destination pixel: measured here (2 loaded cores, best of 110) from a 1080p
     * frame, Java2D's bilinear took 4.3-5.1 ms to 956x538 (0.51 Mpx) and 12.7-17 ms to 1596x898 (1.43 Mpx), a
     * hand-written fixed-point bilinear only a third less; nearest neighbour 0.25 ms to 780x439. Above this budget
     * the copy is a mild reduction (a big tile of a big window), where nearest neighbour's missing rows are hardly
     * visible in moving frames, and 60 fps would otherwise take most of a core.
     */
    static final int MAX_SMOOTH_FAST_PIXELS = 600_000;

    /** {@code source} scaled to fit the area with bilinear filtering, or null when there is nothing to draw. */
    BufferedImage fit(BufferedImage source, int areaWidthPx, int areaHeightPx) {
        return fit(source, areaWidthPx, areaHeightPx, false);
    }

    /**
     * {@code source} scaled to fit the area, or null when there is nothing to draw.
     *
     * @param fast true for a frame of a live stream (many per second): bilinear only up to
     *             {@link #MAX_SMOOTH_FAST_PIXELS}, nearest neighbour above
     */
    BufferedImage fit(BufferedImage source, int areaWidthPx, int areaHeightPx, boolean fast) {
        int[] size = fitSize(source.getWidth(), source.getHeight(), areaWidthPx, areaHeightPx);
        if (size == null) {
            return null;
        }
        int widthPx = size[0];
        int heightPx = size[1];
        boolean sameSize = scaled != null && scaled.getWidth() == widthPx && scaled.getHeight() == heightPx;
        if (sameSize && scaledFrom == source) {
            return scaled;
        }
        if (!sameSize) {
            scaled = new BufferedImage(widthPx, heightPx,
                    opaque ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        }
        Graphics2D g = scaled.createGraphics();
        try {
            // Bilinear: smooth enough for a preview and the cheapest filter that is not blocky; Java2D's native
            // loops do it for the usual decoder output types (INT_RGB, 3BYTE_BGR) without an intermediate copy.
            boolean smooth = !fast || (long) widthPx * heightPx <= MAX_SMOOTH_FAST_PIXELS;
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, smooth
                    ? RenderingHints.VALUE_INTERPOLATION_BILINEAR
                    : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            if (!opaque) {
                g.setComposite(AlphaComposite.Src);
            }
            g.drawImage(source, 0, 0, widthPx, heightPx, null);
        } finally {
            g.dispose();
        }
        scaledFrom = source;
        return scaled;
    }
}
