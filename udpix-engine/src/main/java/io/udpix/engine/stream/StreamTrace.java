package io.udpix.engine.stream;

import io.udpix.engine.trace.Tracer;

/**
 * Where the frame-by-frame fate of a connection's streams goes when it is traced (docs/QLOG.md): the connection's
 * {@code ConnectionTrace} turns each call into one {@link Tracer#STREAM} record. Called on the engine's thread with
 * primitives only; {@link #OFF} (untraced) does nothing and allocates nothing.
 */
@FunctionalInterface
public interface StreamTrace {
    /** Records nothing. */
    StreamTrace OFF = (kind, streamId, incoming, frameNumber, detail, nowNs) -> { };

    /** {@link Tracer#DROPPED_AT_SOURCE} detail: a newer frame replaced it before it started to go. */
    int REPLACED = 0;
    /** {@link Tracer#DROPPED_AT_SOURCE} detail: it could no longer arrive in time by the RTT estimate. */
    int TOO_LATE = 1;
    /** {@link Tracer#DROPPED_AT_SOURCE} detail: the path became too narrow for it. */
    int TOO_LARGE_FOR_PATH = 2;

    /**
     * One frame event.
     *
     * @param kind        {@link Tracer#QUEUED}, {@link Tracer#DROPPED_AT_SOURCE}, {@link Tracer#ABANDONED},
     *                    {@link Tracer#REPAIRED}, {@link Tracer#PARITY_SENT}, {@link Tracer#LATE} or
     *                    {@link Tracer#LOST}
     * @param streamId    the stream
     * @param incoming    true on the receiving side
     * @param frameNumber the frame (-1 for a frame not numbered yet: queued or dropped at the source); the first
     *                    of the run for {@link Tracer#LOST}
     * @param detail      size in bytes (queued), why (dropped at the source: {@link #REPLACED}...), fragment index
     *                    (repaired), parity group (parity sent), frames in the run (lost); else 0
     * @param nowNs       the engine's time, or Long.MIN_VALUE when the caller has none (the trace's last time
     *                    stands)
     */
    void frame(int kind, long streamId, boolean incoming, long frameNumber, long detail, long nowNs);
}
