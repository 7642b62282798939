package io.udpix.bench.frames;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The sending side's record: per frame its sequence, capture time, hand-over time, size, and whether it counts. */
public final class SendLog {
    /**
     * One frame. {@code handedUs}: when the peer's send call returned (0: refused or never handed over);
     * {@code warmUp}: sent before measuring starts (JIT, connection set-up), not counted.
     */
    public record Entry(long sequence, int image, long captureUs, long handedUs, int bytes, boolean warmUp) {
    }

    private SendLog() {
    }

    /** Writes entries as TSV. */
    public static void write(Path file, List<Entry> entries) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# sequence\timage\tcaptureUs\thandedUs\tbytes\twarmUp\n");
            for (Entry e : entries) {
                w.write(e.sequence() + "\t" + e.image() + "\t" + e.captureUs() + "\t" + e.handedUs() + "\t" + e.bytes()
                        + "\t" + (e.warmUp() ? 1 : 0) + "\n");
            }
        }
    }

    /** Reads what {@link #write} wrote. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            out.add(new Entry(Long.parseLong(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Integer.parseInt(f[4]), "1".equals(f[5])));
        }
        return out;
    }
}
