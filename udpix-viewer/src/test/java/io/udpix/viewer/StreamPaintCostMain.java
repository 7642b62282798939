package io.udpix.viewer;

import java.awt.Color;
import java.awt.EventQueue;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;

/**
 * Prints what painting one stream tile costs per new 1080p frame (scaling included), for a few window sizes and
 * the usual decoder output types: a measurement for the docs, never an assertion (speed is measured, not tested).
 * Runs headless: {@code java -Djava.awt.headless=true -cp ... io.udpix.viewer.StreamPaintCostMain}.
 */
public final class StreamPaintCostMain {

    private StreamPaintCostMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB}) {
            BufferedImage[] frames = new BufferedImage[2];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = new BufferedImage(1920, 1080, type);
                Graphics2D g = frames[i].createGraphics();
                g.setPaint(new GradientPaint(0, 0, Color.RED, 1920, 1080, i == 0 ? Color.BLUE : Color.GREEN));
                g.fillRect(0, 0, 1920, 1080);
                g.dispose();
            }
            for (int[] window : new int[][] {{960, 600}, {1280, 800}, {1600, 1000}}) {
                ImageWall wall = new ImageWall(ZoneOffset.UTC);
                BufferedImage screen = new BufferedImage(window[0], window[1], BufferedImage.TYPE_INT_RGB);
                long[] costsNs = new long[rounds];
                for (int round = 0; round < rounds; round++) {
                    wall.showStreamFrame("s", frames[round % 2], new StreamCaption("127.0.0.1:1", "cam", round,
                            60, 5, 9, 0, 0, 0, "JPEG", 200_000));
                    long[] costNs = new long[1];
                    EventQueue.invokeAndWait(() -> {
                        wall.setSize(window[0], window[1]);
                        Graphics2D g = screen.createGraphics();
                        long startNs = System.nanoTime();
                        wall.paint(g);
                        costNs[0] = System.nanoTime() - startNs;
                        g.dispose();
                    });
                    costsNs[round] = costNs[0];
                }
                long[] warm = Arrays.copyOfRange(costsNs, rounds / 3, rounds);
                Arrays.sort(warm);
                System.out.printf(Locale.ROOT, "frame type %d, window %dx%d: paint per new frame median %.2f ms, "
                        + "p90 %.2f ms%n", type, window[0], window[1], warm[warm.length / 2] / 1e6,
                        warm[warm.length * 9 / 10] / 1e6);
            }
        }
        System.exit(0);
    }
}
