package io.udpix.api.media;

import java.util.Arrays;

/**
 * Splits a byte stream of concatenated JPEGs (MJPEG as {@code ffmpeg -f mjpeg -} writes it) into frames by walking
 * the marker structure (ITU-T T.81 annex B), not by searching for FF D9: before the first SOS every segment is
 * skipped by its length, so an EXIF thumbnail (a whole JPEG inside APP1, with its own SOI and EOI) stays inside its
 * frame; after SOS the entropy-coded data is scanned for a marker, where FF 00 is a stuffed byte and FF D0..D7 are
 * restart markers (F.1.2.3, B.1.1.5), and FF FF is fill (B.1.1.2). A marker other than EOI after a scan (DHT, SOS of
 * a progressive image's next scan) is a segment again. Frames come out byte-exact.
 *
 * <p>Bounded: a frame longer than {@code maxFrameBytes} is walked to its end without being kept and counted as
 * oversized; bytes outside frames are skipped and counted as garbage; a frame cut short by a new SOI or by the end
 * of input is counted as truncated; a frame with bytes that cannot be there is counted as malformed and the
 * splitter looks for the next SOI. Pure and single-threaded: bytes in, frames out.
 */
final class MjpegSplitter {
    private enum State { SEEK, SEEK_FF, MARKER, MARKER_CODE, LENGTH_HIGH, LENGTH_LOW, SEGMENT, SCAN, SCAN_FF }

    private static final int INITIAL_BUFFER_BYTES = 256 * 1024;

    private final int maxFrameBytes;
    private byte[] buffer;
    private int length;
    private boolean discarding;
    private boolean sawScan;
    private State state = State.SEEK;
    private int marker;
    private int segmentRemaining;
    private byte[] ready;

    private long frames;
    private long garbageBytes;
    private long oversizedFrames;
    private long truncatedFrames;
    private long malformedFrames;

    MjpegSplitter(int maxFrameBytes) {
        if (maxFrameBytes < 4) {
            throw new IllegalArgumentException("max frame bytes must be at least 4, not " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        buffer = new byte[Math.min(INITIAL_BUFFER_BYTES, maxFrameBytes)];
    }

    /**
     * Consumes bytes from {@code data[offset..offset+count)} up to the end of the next complete frame (which
     * {@link #takeFrame()} then returns) or all of them; returns how many it consumed.
     */
    int feed(byte[] data, int offset, int count) {
        int end = offset + count;
        int i = offset;
        while (i < end && ready == null) {
            int v = data[i] & 0xFF;
            switch (state) {
                case SEEK:
                    if (v == 0xFF) {
                        state = State.SEEK_FF;
                    } else {
                        garbageBytes++;
                    }
                    i++;
                    break;
                case SEEK_FF:
                    if (v == JpegMarkers.SOI) {
                        startFrame();
                    } else if (v == 0xFF) {
                        garbageBytes++;
                    } else {
                        garbageBytes += 2;
                        state = State.SEEK;
                    }
                    i++;
                    break;
                case MARKER:
                    if (v != 0xFF) {
                        // Only a marker may follow a segment before the scan: this is not (or no longer) a JPEG.
                        malformedFrames++;
                        resetFrame();
                        state = State.SEEK; // look at this byte again as a possible start
                        break;
                    }
                    append(v);
                    state = State.MARKER_CODE;
                    i++;
                    break;
                case MARKER_CODE:
                case SCAN_FF:
                    i++;
                    markerCode(v);
                    break;
                case LENGTH_HIGH:
                    append(v);
                    segmentRemaining = v << 8;
                    state = State.LENGTH_LOW;
                    i++;
                    break;
                case LENGTH_LOW:
                    i++;
                    segmentRemaining |= v;
                    if (segmentRemaining < 2) {
                        malformedFrames++;
                        resetFrame();
                        state = State.SEEK;
                        garbageBytes++;
                        break;
                    }
                    append(v);
                    segmentRemaining -= 2;
                    if (segmentRemaining == 0) {
                        endSegment();
                    } else {
                        state = State.SEGMENT;
                    }
                    break;
                case SEGMENT: {
                    int n = Math.min(segmentRemaining, end - i);
                    append(data, i, n);
                    i += n;
                    segmentRemaining -= n;
                    if (segmentRemaining == 0) {
                        endSegment();
                    }
                    break;
                }
                case SCAN: {
                    int j = i;
                    while (j < end && data[j] != (byte) 0xFF) {
                        j++;
                    }
                    if (j < end) {
                        j++; // the 0xFF itself; what follows decides what it is
                        state = State.SCAN_FF;
                    }
                    append(data, i, j - i);
                    i = j;
                    break;
                }
                default:
                    throw new AssertionError(state);
            }
        }
        return i - offset;
    }

    /** The byte after 0xFF in the header ({@code MARKER_CODE}) or in entropy-coded data ({@code SCAN_FF}). */
    private void markerCode(int v) {
        boolean inScan = state == State.SCAN_FF;
        if (v == 0xFF) {
            append(v); // fill byte; the marker code is still to come
            return;
        }
        if (v == JpegMarkers.SOI) {
            // A new image starts before this one ended: the stream lost this one's tail.
            truncatedFrames++;
            resetFrame();
            startFrame();
            return;
        }
        if (v == 0x00) {
            if (inScan) {
                append(v); // stuffed zero: the 0xFF was data (F.1.2.3)
                state = State.SCAN;
            } else {
                malformedFrames++;
                resetFrame();
                garbageBytes++;
                state = State.SEEK;
            }
            return;
        }
        append(v);
        if (v == JpegMarkers.EOI) {
            endFrame();
        } else if (JpegMarkers.standalone(v)) {
            state = inScan ? State.SCAN : State.MARKER;
        } else {
            marker = v;
            state = State.LENGTH_HIGH;
        }
    }

    private void endSegment() {
        if (marker == JpegMarkers.SOS) {
            sawScan = true;
            state = State.SCAN;
        } else {
            state = State.MARKER;
        }
    }

    private void startFrame() {
        append(0xFF);
        append(JpegMarkers.SOI);
        state = State.MARKER;
    }

    private void endFrame() {
        if (!sawScan) {
            malformedFrames++; // SOI..EOI without an image (tables only): nothing to show
        } else if (discarding) {
            oversizedFrames++;
        } else {
            ready = Arrays.copyOf(buffer, length);
            frames++;
        }
        resetFrame();
        state = State.SEEK;
    }

    private void resetFrame() {
        length = 0;
        discarding = false;
        sawScan = false;
    }

    private void append(int v) {
        if (discarding) {
            return;
        }
        if (length == maxFrameBytes) {
            discarding = true;
            return;
        }
        if (length == buffer.length) {
            grow(length + 1);
        }
        buffer[length++] = (byte) v;
    }

    private void append(byte[] data, int offset, int count) {
        if (discarding || count == 0) {
            return;
        }
        if (count > maxFrameBytes - length) {
            discarding = true;
            return;
        }
        if (length + count > buffer.length) {
            grow(length + count);
        }
        System.arraycopy(data, offset, buffer, length, count);
        length += count;
    }

    private void grow(int needed) {
        int size = (int) Math.min(maxFrameBytes, Math.max((long) needed, 2L * buffer.length));
        buffer = Arrays.copyOf(buffer, size);
    }

    /** The frame completed by the last {@link #feed}, or null; each frame is returned once. */
    byte[] takeFrame() {
        byte[] frame = ready;
        ready = null;
        return frame;
    }

    /** The input has ended: a frame in progress is counted as truncated. */
    void finish() {
        if (state == State.SEEK_FF) {
            garbageBytes++;
        } else if (state != State.SEEK) {
            truncatedFrames++;
        }
        resetFrame();
        state = State.SEEK;
    }

    /** True while bytes of a frame are being collected (the input is inside a JPEG). */
    boolean inFrame() {
        return state != State.SEEK && state != State.SEEK_FF;
    }

    long frames() {
        return frames;
    }

    long garbageBytes() {
        return garbageBytes;
    }

    long oversizedFrames() {
        return oversizedFrames;
    }

    long truncatedFrames() {
        return truncatedFrames;
    }

    long malformedFrames() {
        return malformedFrames;
    }
}
