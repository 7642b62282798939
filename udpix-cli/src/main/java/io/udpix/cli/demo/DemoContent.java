package io.udpix.cli.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** What {@code udpix demo} sends: generated images, a JSON document and a file, all from one seed. */
final class DemoContent {

    private DemoContent() {
    }

    /**
     * Image {@code index} (1-based): a gradient with circles and its number, different for every index and seed,
     * with some noise so PNG does not squeeze it to nothing (the demo should move real bytes).
     */
    static BufferedImage image(int index, int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + index);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            Color from = Color.getHSBColor(random.nextFloat(), 0.6f, 0.9f);
            Color to = Color.getHSBColor(random.nextFloat(), 0.8f, 0.4f);
            g.setPaint(new GradientPaint(0, 0, from, width, height, to));
            g.fillRect(0, 0, width, height);
            g.setStroke(new BasicStroke(4));
            for (int i = 0; i < 12; i++) {
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 160));
                int r = 10 + random.nextInt(Math.max(11, Math.min(width, height) / 4));
                g.drawOval(random.nextInt(width), random.nextInt(height), r, r);
            }
            label(g, "udpix demo #" + index, width, height);
        } finally {
            g.dispose();
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int noise = random.nextInt(8);
                image.setRGB(x, y, rgb ^ (noise | noise << 8 | noise << 16));
            }
        }
        return image;
    }

    /** Writes the label; a machine without fonts (minimal containers) gets the picture without it. */
    private static void label(Graphics2D g, String text, int width, int height) {
        try {
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, height / 6)));
            g.drawString(text, width / 12, height / 2);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // No usable font (e.g. "Fontconfig head is null"): the circles still tell the images apart.
        }
    }

    /** The JSON document: what the tutorial's second client sends, a list, plus a little structure. */
    static Map<String, Object> document(long seed, int images) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("demo", "udpix");
        document.put("seed", seed);
        document.put("images", images);
        document.put("list", List.of(1, 2, 3, "four", 5.5));
        document.put("note", "arrived through a relay that drops, duplicates and reorders datagrams");
        return document;
    }

    /** The file: {@code lengthBytes} of seeded random bytes (incompressible, like most real files). */
    static byte[] file(long seed, int lengthBytes) {
        byte[] bytes = new byte[lengthBytes];
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < lengthBytes; i += 8) {
            long value = random.nextLong();
            for (int j = 0; j < 8 && i + j < lengthBytes; j++) {
                bytes[i + j] = (byte) (value >>> (8 * j));
            }
        }
        return bytes;
    }
}
