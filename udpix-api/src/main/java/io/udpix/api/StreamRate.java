package io.udpix.api;

import io.udpix.engine.stream.StreamStats;

/**
 * A frame stream's figures with its frame rate since the previous snapshot.
 *
 * @param stats           the engine's snapshot of the stream (on time, late, lost, latency percentiles...)
 * @param framesPerSecond frames per second since the previous snapshot: delivered on time (receiver) or sent
 *                        (sender); 0 on the first snapshot that shows the stream
 */
public record StreamRate(StreamStats stats, double framesPerSecond) {}
