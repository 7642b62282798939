package io.udpix.api.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Measures the frame path on this machine and prints it (never asserts a time: speed is for benchmarks, see
 * DEVELOPERS.md): test-pattern draw, JPEG encode and decode per 1080p and 720p frame for TurboJPEG and ImageIO,
 * and the scaler's 3/4 and 1/2 steps. Medians of {@code frames} runs after a warm-up.
 * Run: {@code mvn -B -q test-compile -pl udpix-api -am} then
 * {@code java -cp udpix-api/target/test-classes:udpix-api/target/classes io.udpix.api.media.MediaTimings 200}.
 */
public final class MediaTimings {
    private MediaTimings() {
    }

    /** Prints the figures; {@code args[0]} is the number of measured frames (default 100). */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        measure(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 100);
    }

    static void measure(PrintStream out, int frames) throws IOException {
        int warmUp = Math.max(10, frames / 2);
        out.printf("frame path timings, median of %d frames after %d warm-up, one thread (ms per frame)%n", frames,
                warmUp);
        for (int[] size : List.of(new int[] {1920, 1080}, new int[] {1280, 720})) {
            int w = size[0];
            int h = size[1];
            TestPattern pattern = new TestPattern(w, h);
            long[] counter = {0};
            double draw = median(warmUp, frames, () -> pattern.draw(counter[0]++, counter[0] * 33));
            out.printf("%dx%d pattern draw: %.3f%n", w, h, draw);
            BufferedImage image = pattern.draw(123_456, 1_000);
            for (JpegCodec.Backend backend : JpegCodecTest.backendsHere()) {
                try (JpegCodec codec = JpegCodec.create(backend)) {
                    byte[][] last = new byte[1][];
                    double encode = median(warmUp, frames, () -> last[0] = codec.encode(image, 85));
                    BufferedImage reuse = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                    double decode = median(warmUp, frames, () -> codec.decode(last[0]));
                    double decodeInto = median(warmUp, frames, () -> codec.decode(last[0], last[0].length, reuse));
                    out.printf("%dx%d %-9s encode q85: %.2f  decode: %.2f  decode into a reused image: %.2f"
                            + "  (%d bytes)  [%s]%n", w, h, backend, encode, decode, decodeInto, last[0].length,
                            codec.description());
                }
            }
            FrameScaler scaler = new FrameScaler();
            for (AdaptiveQuality.Setting s : List.of(new AdaptiveQuality.Setting(30, 3, 4),
                    new AdaptiveQuality.Setting(30, 1, 2))) {
                double scale = median(warmUp, frames, () -> scaler.scale(image, s));
                out.printf("%dx%d scale %d/%d: %.2f%n", w, h, s.scaleNumerator(), s.scaleDenominator(), scale);
            }
        }
    }

    private interface Work {
        void run() throws IOException;
    }

    private static double median(int warmUp, int frames, Work work) throws IOException {
        for (int i = 0; i < warmUp; i++) {
            work.run();
        }
        long[] ns = new long[frames];
        for (int i = 0; i < frames; i++) {
            long t0 = System.nanoTime();
            work.run();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        return ns[frames / 2] / 1e6;
    }
}
