package io.udpix.api;

import io.udpix.engine.cc.CongestionController;
import io.udpix.engine.cc.CongestionControllerFactory;
import io.udpix.engine.recovery.SentPacket;

/**
 * A congestion controller that ignores the network and paces at a fixed rate: lets a test keep a transfer in
 * progress for a predictable while on loopback, which would otherwise finish in milliseconds.
 */
final class FixedRateController implements CongestionController {
    private final long rateBytesPerSecond;
    private final long windowBytes;

    private FixedRateController(long rateBytesPerSecond, long windowBytes) {
        this.rateBytesPerSecond = rateBytesPerSecond;
        this.windowBytes = windowBytes;
    }

    /** A factory for controllers pacing at {@code rateBytesPerSecond} with a 64 KiB window. */
    static CongestionControllerFactory factory(long rateBytesPerSecond) {
        return (maxDatagramBytes, nowNs) -> new FixedRateController(rateBytesPerSecond, 64 * 1024);
    }

    @Override
    public void onPacketSent(SentPacket packet, long nowNs, long bytesInFlightBefore) {
    }

    @Override
    public void onPacketAcked(SentPacket packet, long nowNs) {
    }

    @Override
    public void onPacketLost(SentPacket packet, long nowNs) {
    }

    @Override
    public void onAckProcessed(long nowNs, long latestRttNs, long minRttNs, long bytesInFlight) {
    }

    @Override
    public void onPersistentCongestion(long nowNs) {
    }

    @Override
    public void onAppLimited(long bytesInFlight) {
    }

    @Override
    public void onMaxDatagramSizeChanged(int maxDatagramBytes) {
    }

    @Override
    public long congestionWindowBytes() {
        return windowBytes;
    }

    @Override
    public long pacingRateBytesPerSecond() {
        return rateBytesPerSecond;
    }

    @Override
    public String name() {
        return "fixed";
    }
}
