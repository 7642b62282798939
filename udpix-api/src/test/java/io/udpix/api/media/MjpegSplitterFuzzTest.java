package io.udpix.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer target for the MJPEG splitter {@link MjpegSplitter} (docs/FUZZING.md): the first byte picks read sizes, the
 * rest is the stream. It never throws; every frame it returns starts with SOI, ends with EOI, fits the limit and is
 * a stretch of the input after the previous frame; the frames and counters do not depend on how the input was cut
 * into reads; and frames plus garbage never add up to more bytes than came in.
 */
class MjpegSplitterFuzzTest {
    /** Small, so the oversized path is reached by small inputs. */
    private static final int MAX_FRAME_BYTES = 2048;

    @FuzzTest(maxDuration = "10s")
    void anyBytesSplitIntoWholeInOrderFramesWhateverTheReadSizes(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int chunk = 1 + (input[0] & 0x3F);
        byte[] stream = java.util.Arrays.copyOfRange(input, 1, input.length);
        Result whole = split(stream, stream.length);
        Result chopped = split(stream, chunk);
        Result bytewise = split(stream, 1);
        assertThat(chopped).as("reads of %d bytes", chunk).isEqualTo(whole);
        assertThat(bytewise).as("reads of 1 byte").isEqualTo(whole);

        int from = 0;
        long frameBytes = 0;
        for (String hex : whole.frames) {
            byte[] frame = java.util.HexFormat.of().parseHex(hex);
            assertThat(frame.length).isBetween(4, MAX_FRAME_BYTES);
            assertThat(frame[0] & 0xFF).isEqualTo(0xFF);
            assertThat(frame[1] & 0xFF).isEqualTo(JpegMarkers.SOI);
            assertThat(frame[frame.length - 2] & 0xFF).isEqualTo(0xFF);
            assertThat(frame[frame.length - 1] & 0xFF).isEqualTo(JpegMarkers.EOI);
            int at = indexOf(stream, frame, from);
            assertThat(at).as("the frame is a stretch of the input after the previous one").isGreaterThanOrEqualTo(0);
            from = at + frame.length;
            frameBytes += frame.length;
            JpegMarkers.dimensions(frame, frame.length); // must not throw
        }
        assertThat(frameBytes + whole.garbageBytes).isLessThanOrEqualTo(stream.length);
    }

    private record Result(List<String> frames, long garbageBytes, long oversized, long truncated, long malformed) {
    }

    private static Result split(byte[] stream, int readBytes) {
        MjpegSplitter splitter = new MjpegSplitter(MAX_FRAME_BYTES);
        List<String> frames = new ArrayList<>();
        int at = 0;
        int guard = 0;
        while (at < stream.length) {
            int end = Math.min(stream.length, at + readBytes);
            while (at < end) {
                int used = splitter.feed(stream, at, end - at);
                at += used;
                byte[] frame = splitter.takeFrame();
                if (frame != null) {
                    frames.add(java.util.HexFormat.of().formatHex(frame));
                }
                assertThat(used > 0 || frame != null).as("progress").isTrue();
                assertThat(++guard).as("bounded work").isLessThan(4 * stream.length + 16);
            }
        }
        splitter.finish();
        return new Result(frames, splitter.garbageBytes(), splitter.oversizedFrames(), splitter.truncatedFrames(),
                splitter.malformedFrames());
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
