package io.udpix.api.media;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/** Converts images the encoders cannot take as they are into a reused TYPE_INT_RGB scratch image. */
final class Rgb {
    private BufferedImage scratch;

    /**
     * {@code image} drawn into an opaque TYPE_INT_RGB image of its size (reused between calls of the same size; valid
     * until the next call). Alpha is composited over black, as a JPEG has none.
     */
    BufferedImage convert(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (scratch == null || scratch.getWidth() != w || scratch.getHeight() != h) {
            scratch = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        }
        Graphics2D g = scratch.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.setColor(java.awt.Color.BLACK);
            g.fillRect(0, 0, w, h);
            g.setComposite(AlphaComposite.SrcOver);
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return scratch;
    }

    /** True when the raster is a plain, untranslated view of its whole data buffer (not a sub-image). */
    static boolean isWholeRaster(BufferedImage image) {
        Raster r = image.getRaster();
        return r.getParent() == null && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0
                && r.getDataBuffer().getOffset() == 0 && r.getDataBuffer().getNumBanks() == 1;
    }
}
