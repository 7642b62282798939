package io.udpix.cli.stream;

import io.udpix.api.stream.StreamOptions;
import io.udpix.engine.stream.FecMode;
import java.time.Duration;

/**
 * What {@code udpix stream} was asked for, checked.
 *
 * @param source   pattern, screen, - or a directory
 * @param size     {width, height}, or null for the source's own
 * @param fps      frames per second
 * @param quality  JPEG quality ceiling, or null for the default (and no re-encoding of JPEG sources)
 * @param latency  the latency budget asked for
 * @param fec      parity mode
 * @param duration stop after this long, or null
 * @param frames   stop after this many frames, or null
 * @param name     the stream's name, or null for the source's
 */
record StreamSettings(String source, int[] size, double fps, Integer quality, Duration latency, FecMode fec,
                      Duration duration, Long frames, String name) {

    /** Whether JPEG frames from the source are decoded and encoded again (only when asked). */
    boolean reencodeJpeg() {
        return size != null || quality != null;
    }

    /** Why a stream that has taken {@code framesTaken} frames in {@code elapsedNs} stops now, or null to go on. */
    String limitReached(long framesTaken, long elapsedNs) {
        if (frames != null && framesTaken >= frames) {
            return framesTaken + " frames sent";
        }
        if (duration != null && elapsedNs >= duration.toNanos()) {
            return "--duration reached";
        }
        return null;
    }

    /** The API options; {@code sourceName} names the stream when --name was not given. */
    StreamOptions options(String sourceName) {
        StreamOptions.Builder b = StreamOptions.builder().fps(fps).latency(latency).fec(fec)
                .name(name != null ? name : truncate(sourceName));
        if (size != null) {
            b.size(size[0], size[1]);
        }
        if (quality != null) {
            b.quality(quality);
        }
        return b.build();
    }

    private static String truncate(String text) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return utf8.length <= 255 ? text : text.substring(0, Math.min(text.length(), 200));
    }
}
