package io.udpix.bench.frames;

import java.util.Arrays;

/**
 * Splits a byte stream of concatenated JPEGs (what `srt-live-transmit ... file://con` or GStreamer's
 * `rtpjpegdepay ! fdsink` write) into frames at their markers (ITU T.81 B.1.1): a frame starts at SOI (FFD8); the
 * marker segments before the scan are walked by their lengths (a COM or DQT segment may hold any byte, FFD9
 * included); inside entropy-coded data FF is followed only by 00 (stuffing) or RST0-7, so the next other marker
 * ends the scan: EOI (FFD9) completes the frame, SOI means bytes were lost and the frame is cut short. Resumable
 * across reads; bounded by {@code maxFrameBytes} (a longer run of bytes without an end is dropped as broken).
 */
public final class JpegSplitter {
    /** Receives each piece the splitter finds. */
    public interface Sink {
        /** {@code complete}: ended by EOI (its bytes may still differ from what was sent: the caller checks). */
        void frame(byte[] bytes, long arrivalUs, boolean complete);
    }

    private enum Mode { SEARCH_SOI, HEADER, ENTROPY }

    private final int maxFrameBytes;
    private final Sink sink;
    private byte[] buffer = new byte[1 << 16];
    private int length; // valid bytes in buffer
    private int start; // start of the frame in progress (SOI), when mode != SEARCH_SOI
    private int cursor; // next byte to look at
    private Mode mode = Mode.SEARCH_SOI;
    private long discardedBytes;

    /** A splitter handing frames to {@code sink}, dropping any frame longer than {@code maxFrameBytes}. */
    public JpegSplitter(int maxFrameBytes, Sink sink) {
        this.maxFrameBytes = maxFrameBytes;
        this.sink = sink;
    }

    /** Bytes outside any frame (before an SOI, or in frames dropped for length). */
    public long discardedBytes() {
        return discardedBytes;
    }

    /** Adds {@code len} bytes that arrived at {@code arrivalUs}; frames they end go to the sink at once. */
    public void feed(byte[] data, int off, int len, long arrivalUs) {
        int done = 0;
        while (done < len) {
            int room = buffer.length - length;
            if (room == 0) {
                compact();
                room = buffer.length - length;
                if (room == 0) {
                    if (buffer.length < maxFrameBytes + 2) {
                        buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxFrameBytes + 2));
                    } else {
                        // A frame longer than the limit: drop what we hold and look for the next SOI.
                        discardedBytes += length;
                        length = 0;
                        start = 0;
                        cursor = 0;
                        mode = Mode.SEARCH_SOI;
                    }
                    continue;
                }
            }
            int n = Math.min(room, len - done);
            System.arraycopy(data, off + done, buffer, length, n);
            length += n;
            done += n;
            parse(arrivalUs);
        }
    }

    private void compact() {
        int from = mode == Mode.SEARCH_SOI ? cursor : start;
        if (from == 0) {
            return;
        }
        System.arraycopy(buffer, from, buffer, 0, length - from);
        length -= from;
        cursor -= from;
        start -= from;
        if (start < 0) {
            start = 0;
        }
    }

    private void parse(long arrivalUs) {
        while (true) {
            switch (mode) {
                case SEARCH_SOI -> {
                    int i = cursor;
                    while (i + 1 < length && !((buffer[i] & 0xff) == 0xff && (buffer[i + 1] & 0xff) == 0xd8)) {
                        i++;
                    }
                    if (i + 1 >= length) {
                        discardedBytes += i - cursor;
                        cursor = i;
                        return;
                    }
                    discardedBytes += i - cursor;
                    start = i;
                    cursor = i + 2;
                    mode = Mode.HEADER;
                }
                case HEADER -> {
                    if (cursor + 1 >= length) {
                        return;
                    }
                    if ((buffer[cursor] & 0xff) != 0xff) {
                        cut(cursor, arrivalUs); // bytes lost inside the headers
                        resync(start + 2);
                        continue;
                    }
                    int m = buffer[cursor + 1] & 0xff;
                    if (m == 0xff) {
                        cursor++; // fill byte before a marker (T.81 B.1.1.2)
                    } else if (m == 0xd8) {
                        cut(cursor, arrivalUs);
                        start = cursor;
                        cursor += 2;
                    } else if (m == 0xd9) {
                        cut(cursor + 2, arrivalUs); // EOI before any scan: not a picture
                        resync(cursor + 2);
                    } else if (m == 0x01 || (m >= 0xd0 && m <= 0xd7) || m == 0x00) {
                        cursor += 2;
                    } else {
                        if (cursor + 3 >= length) {
                            return;
                        }
                        int segment = ((buffer[cursor + 2] & 0xff) << 8) | (buffer[cursor + 3] & 0xff);
                        if (segment < 2) {
                            cut(cursor, arrivalUs);
                            resync(start + 2);
                            continue;
                        }
                        if (cursor + 2 + segment > length) {
                            if (cursor + 2 + segment - start > maxFrameBytes) {
                                cut(cursor, arrivalUs);
                                resync(start + 2);
                                continue;
                            }
                            return;
                        }
                        cursor += 2 + segment;
                        if (m == 0xda) {
                            mode = Mode.ENTROPY;
                        }
                    }
                }
                case ENTROPY -> {
                    int i = cursor;
                    while (i < length && (buffer[i] & 0xff) != 0xff) {
                        i++;
                    }
                    if (i + 1 >= length) {
                        cursor = i;
                        return;
                    }
                    int m = buffer[i + 1] & 0xff;
                    if (m == 0x00 || (m >= 0xd0 && m <= 0xd7)) {
                        cursor = i + 2;
                    } else if (m == 0xff) {
                        cursor = i + 1;
                    } else if (m == 0xd9) {
                        sink.frame(Arrays.copyOfRange(buffer, start, i + 2), arrivalUs, true);
                        cursor = i + 2;
                        start = cursor;
                        mode = Mode.SEARCH_SOI;
                    } else if (m == 0xd8) {
                        cut(i, arrivalUs);
                        start = i;
                        cursor = i + 2;
                        mode = Mode.HEADER;
                    } else {
                        // Another marker after a scan (a progressive JPEG's next DHT/SOS): headers again.
                        cursor = i;
                        mode = Mode.HEADER;
                    }
                }
                default -> throw new IllegalStateException("unknown mode " + mode);
            }
        }
    }

    /** Hands over the frame in progress, cut short at {@code end}, as incomplete. */
    private void cut(int end, long arrivalUs) {
        if (end > start) {
            sink.frame(Arrays.copyOfRange(buffer, start, end), arrivalUs, false);
        }
    }

    private void resync(int from) {
        cursor = from;
        start = from;
        mode = Mode.SEARCH_SOI;
    }
}
