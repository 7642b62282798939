package io.udpix.bench.frames;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiving side's record of every frame or piece it got, checked as it arrives: by its tag (sequence number,
 * capture time, SHA-256 of the whole frame), or, for a frame without the tag (RTP/JPEG rebuilds the headers), by
 * its scan data against the frame set. Bounded: at most {@code maxRecords} are kept, later ones only counted.
 * Thread-safe (peers call it from their receiving thread).
 */
public final class ReceiveLog implements FramePeer.Sink {
    /** What a received piece turned out to be. */
    public enum Kind {
        /** Tagged, every byte as sent. */
        INTACT,
        /** No tag, but its scan data is that of an image of the set (RTP/JPEG): sequence found by the analysis. */
        INTACT_SCAN,
        /** Tagged, but some bytes differ (hash mismatch), or cut short. */
        DAMAGED,
        /** Neither tag nor a known scan: bytes lost where the tag was, or garbage. */
        UNKNOWN
    }

    /** One received piece. {@code sequence}: from the tag, else -1; {@code image}: from the scan, else -1. */
    public record Record(long arrivalUs, Kind kind, long sequence, int image, long captureUs, int bytes) {
    }

    private final FrameSet frames;
    private final int maxRecords;
    private final MessageDigest sha = FrameTag.sha256();
    private final List<Record> records = new ArrayList<>();
    private long dropped;
    private long lastArrivalUs;
    private volatile String endedWhy;

    /** A log checking untagged frames against {@code frames} (may be null: then they are UNKNOWN). */
    public ReceiveLog(FrameSet frames, int maxRecords) {
        this.frames = frames;
        this.maxRecords = maxRecords;
    }

    @Override
    public synchronized void frame(byte[] bytes, int offset, int length, long arrivalUs, boolean complete) {
        lastArrivalUs = arrivalUs;
        FrameTag.Reading r = FrameTag.read(bytes, offset, length, sha);
        Record rec;
        if (r.tagged()) {
            rec = new Record(arrivalUs, r.intact() && complete ? Kind.INTACT : Kind.DAMAGED, r.sequence(), -1,
                    r.captureUs(), length);
        } else {
            int image = complete && frames != null ? frames.indexOfScan(bytes, offset, length, sha) : -1;
            rec = new Record(arrivalUs, image >= 0 ? Kind.INTACT_SCAN : Kind.UNKNOWN, -1, image, -1, length);
        }
        if (records.size() < maxRecords) {
            records.add(rec);
        } else {
            dropped++;
        }
    }

    @Override
    public void ended(String why) {
        endedWhy = why;
    }

    /** Why the stream ended, or null while it goes on. */
    public String endedWhy() {
        return endedWhy;
    }

    /** Arrival of the last piece, or 0. */
    public synchronized long lastArrivalUs() {
        return lastArrivalUs;
    }

    public synchronized int size() {
        return records.size();
    }

    public synchronized List<Record> records() {
        return List.copyOf(records);
    }

    /** Writes the records as TSV: arrivalUs, kind, sequence, image, captureUs, bytes. */
    public synchronized void write(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# arrivalUs\tkind\tsequence\timage\tcaptureUs\tbytes\trecordsNotKept=" + dropped + "\n");
            for (Record r : records) {
                w.write(r.arrivalUs() + "\t" + r.kind() + "\t" + r.sequence() + "\t" + r.image() + "\t"
                        + r.captureUs() + "\t" + r.bytes() + "\n");
            }
        }
    }

    /** Reads what {@link #write} wrote. */
    public static List<Record> read(Path file) throws IOException {
        List<Record> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            out.add(new Record(Long.parseLong(f[0]), Kind.valueOf(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]),
                    Long.parseLong(f[4]), Integer.parseInt(f[5])));
        }
        return out;
    }
}
