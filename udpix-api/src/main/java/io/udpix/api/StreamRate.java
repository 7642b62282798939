package io.udpix.api;

import io.udpix.api.stream.StreamStatus;
import io.udpix.engine.stream.StreamStats;

/**
 * A frame stream's figures with its frame rate: what {@link StreamStatus} now carries with the stream's peer, port
 * and name. Kept so code that named this type still compiles.
 *
 * @deprecated use {@link StreamStatus}, the one type {@link ServerStats#streams()} and {@link SocketStats#streams()}
 *             return; this interface will be removed
 */
@Deprecated(forRemoval = true)
public interface StreamRate {
    /** The engine's snapshot of the stream (on time, late, lost, latency percentiles...). */
    StreamStats stats();

    /**
     * Frames per second since the previous snapshot: delivered on time (receiver) or sent (sender); 0 on the
     * first snapshot that shows the stream.
     */
    double framesPerSecond();
}
