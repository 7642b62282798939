package io.udpix.api.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;

/**
 * JPEG through TurboJPEG: one compressor and one decompressor handle for the backend's life, and one output buffer
 * sized by {@code TJ.bufSize} that grows only when a larger frame comes (no per-frame native allocation).
 */
final class TurboJpegBackend implements JpegBackend {
    private final TurboJpegLibrary tj;
    private final Rgb rgb = new Rgb();
    private Object compressor;
    private Object decompressor;
    private byte[] out = new byte[0];

    TurboJpegBackend(TurboJpegLibrary tj) {
        this.tj = tj;
    }

    @Override
    public byte[] encode(BufferedImage image, int quality) throws IOException {
        BufferedImage source = takesDirectly(image) ? image : rgb.convert(image);
        int w = source.getWidth();
        int h = source.getHeight();
        int subsamp = source.getType() == BufferedImage.TYPE_BYTE_GRAY ? TurboJpegLibrary.SAMP_GRAY
                : TurboJpegLibrary.SAMP_420;
        try {
            if (compressor == null) {
                compressor = tj.newCompressor.invoke();
            }
            int worstBytes = (int) tj.bufSize.invoke(w, h, subsamp);
            if (out.length < worstBytes) {
                out = new byte[worstBytes];
            }
            tj.setSourceImage.invoke(compressor, source, 0, 0, w, h);
            tj.setSubsamp.invoke(compressor, subsamp);
            tj.setQuality.invoke(compressor, quality);
            tj.compressInto.invoke(compressor, out, 0);
            int size = (int) tj.compressedSize.invoke(compressor);
            // The engine keeps every frame it is given, so the result is a fresh array of exactly the frame's size.
            return Arrays.copyOf(out, size);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("TurboJPEG could not encode a " + w + "x" + h + " image: " + e, e);
        }
    }

    @Override
    public BufferedImage decode(byte[] jpeg, int length, BufferedImage reuse) throws IOException {
        try {
            if (decompressor == null) {
                decompressor = tj.newDecompressor.invoke();
            }
            tj.setJpegImage.invoke(decompressor, jpeg, length);
            int w = (int) tj.jpegWidth.invoke(decompressor);
            int h = (int) tj.jpegHeight.invoke(decompressor);
            if (reuse != null && reuse.getType() == BufferedImage.TYPE_INT_RGB && reuse.getWidth() == w
                    && reuse.getHeight() == h && Rgb.isWholeRaster(reuse)) {
                tj.decompressInto.invoke(decompressor, reuse, 0);
                return reuse;
            }
            return (BufferedImage) tj.decompressNew.invoke(decompressor, w, h, BufferedImage.TYPE_INT_RGB, 0);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("TurboJPEG could not decode a " + length + "-byte JPEG: " + e, e);
        }
    }

    /** Image types TurboJPEG's Java binding reads in place (TJCompressor.setSourceImage), whole rasters only. */
    private static boolean takesDirectly(BufferedImage image) {
        switch (image.getType()) {
            case BufferedImage.TYPE_INT_RGB:
            case BufferedImage.TYPE_INT_BGR:
            case BufferedImage.TYPE_INT_ARGB:
            case BufferedImage.TYPE_INT_ARGB_PRE:
            case BufferedImage.TYPE_3BYTE_BGR:
            case BufferedImage.TYPE_4BYTE_ABGR:
            case BufferedImage.TYPE_4BYTE_ABGR_PRE:
            case BufferedImage.TYPE_BYTE_GRAY:
                return Rgb.isWholeRaster(image);
            default:
                return false;
        }
    }

    @Override
    public void close() {
        try {
            if (compressor != null) {
                tj.closeCompressor.invoke(compressor);
            }
            if (decompressor != null) {
                tj.closeDecompressor.invoke(decompressor);
            }
        } catch (Throwable e) {
            // Closing frees native memory; a failure here leaves nothing the caller could do.
        } finally {
            compressor = null;
            decompressor = null;
            out = new byte[0];
        }
    }
}
