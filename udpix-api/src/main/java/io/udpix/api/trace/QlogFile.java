package io.udpix.api.trace;

import io.udpix.engine.trace.QlogFormat;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One connection's trace file, written by the {@link QlogWriter} thread only. Holds to its byte cap: an event
 * that would pass {@code maxBytes - SUMMARY_RESERVE_BYTES} is dropped and counted, and the room left is for the
 * summary event that ends every file and says what was dropped.
 */
final class QlogFile {
    /** Room kept for the closing summary event. */
    static final int SUMMARY_RESERVE_BYTES = 512;

    final Path path;
    private final Writer out;
    private final long maxBytes;
    private final long originNs;
    private long bytes;
    private long written;
    private long droppedCap;
    private long droppedRing = -1;
    private long lastTimeNs;
    private boolean failed;

    private QlogFile(Path path, Writer out, long maxBytes, long originNs) {
        this.path = path;
        this.out = out;
        this.maxBytes = maxBytes;
        this.originNs = originNs;
        this.lastTimeNs = originNs;
    }

    /** Creates the file (never replacing one) and writes its header. */
    static QlogFile create(Path path, boolean client, long connectionId, long maxBytes, long originNs,
            long referenceEpochMs, StringBuilder scratch) throws IOException {
        Writer out = Files.newBufferedWriter(path, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        QlogFile f = new QlogFile(path, out, maxBytes, originNs);
        scratch.setLength(0);
        QlogFormat.header(scratch, client, connectionId, referenceEpochMs);
        f.write(scratch);
        return f;
    }

    /** Appends one record's event, or drops and counts it when the cap would be passed. */
    void append(long[] slots, int offset, StringBuilder scratch) throws IOException {
        lastTimeNs = Math.max(lastTimeNs, slots[offset + 2]);
        scratch.setLength(0);
        QlogFormat.event(scratch, slots, offset, originNs);
        if (bytes + scratch.length() > maxBytes - SUMMARY_RESERVE_BYTES) {
            droppedCap++;
            return;
        }
        write(scratch);
        written++;
    }

    /** The engine's count of this connection's records its ring could not keep (from the closing record). */
    void droppedInRing(long count) {
        droppedRing = count;
    }

    /** Writes the summary event and closes the file. */
    void close(String why, StringBuilder scratch) throws IOException {
        try {
            if (!failed) {
                scratch.setLength(0);
                QlogFormat.summary(scratch, lastTimeNs, originNs, written, droppedRing, droppedCap, why);
                write(scratch);
            }
        } finally {
            out.close();
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    long bytes() {
        return bytes;
    }

    long droppedCap() {
        return droppedCap;
    }

    private void write(StringBuilder text) throws IOException {
        try {
            out.append(text); // ASCII only (QlogFormat writes no free text): one char is one byte
            bytes += text.length();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }
}
