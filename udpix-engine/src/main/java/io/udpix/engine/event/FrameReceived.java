package io.udpix.engine.event;

/**
 * A complete frame of an incoming stream, on time and in order (never one older than the last delivered).
 * {@code data} is the application's to keep. {@code captureNs} is the sender's capture time on this endpoint's
 * clock (the stream's clock offset applied); {@code latencyNs} is delivery time minus that.
 */
public record FrameReceived(long connectionId, int streamId, long frameNumber, byte[] data, long captureNs,
        long latencyNs, boolean fecRecovered) implements EndpointEvent {}
