package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.LongToIntFunction;

/**
 * A toy sender of {@code total} numbered datagrams (datagram {@code n} has {@code sizes.applyAsInt(n)} bytes, at
 * least 8): bursts of {@code burstDatagrams}, one burst per
 * {@code gapNs} (its deadline is the next release), and never more than {@code windowDatagrams} ahead of the
 * count the receiver reports back, so the receiver's socket buffer cannot overflow at any speed.
 */
public final class PacedSenderEndpoint implements SansIoEndpoint {
    private final InetSocketAddress target;
    private final long total;
    private final LongToIntFunction sizes;
    private final int burstDatagrams;
    private final long gapNs;
    private final long windowDatagrams;
    private long nextSequence;
    private long acknowledged;
    private long releaseNs = Long.MIN_VALUE;
    private int sentInBurst;
    private long earlyTimeouts;
    private long lastNowNs = Long.MIN_VALUE;
    private long clockWentBack;

    public PacedSenderEndpoint(InetSocketAddress target, long total, int payloadBytes, int burstDatagrams, long gapNs,
            long windowDatagrams) {
        this(target, total, sequence -> payloadBytes, burstDatagrams, gapNs, windowDatagrams);
    }

    public PacedSenderEndpoint(InetSocketAddress target, long total, LongToIntFunction sizes, int burstDatagrams, long gapNs,
            long windowDatagrams) {
        this.target = target;
        this.total = total;
        this.sizes = sizes;
        this.burstDatagrams = burstDatagrams;
        this.gapNs = gapNs;
        this.windowDatagrams = windowDatagrams;
    }

    @Override
    public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        observe(nowNs);
        if (datagram.remaining() == Long.BYTES) {
            acknowledged = Math.max(acknowledged, datagram.getLong());
        }
    }

    @Override
    public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
        observe(nowNs);
        if (!windowOpen() || nowNs < releaseNs) {
            return null;
        }
        dst.clear();
        dst.putLong(nextSequence);
        int payloadBytes = sizes.applyAsInt(nextSequence);
        for (int i = Long.BYTES; i < payloadBytes; i++) {
            dst.put(patternByte(nextSequence, i));
        }
        dst.flip();
        nextSequence++;
        if (++sentInBurst == burstDatagrams) {
            sentInBurst = 0;
            releaseNs = nowNs + gapNs;
        }
        return target;
    }

    @Override
    public long nextDeadlineNs() {
        return windowOpen() ? releaseNs : Long.MAX_VALUE;
    }

    @Override
    public void handleTimeout(long nowNs) {
        observe(nowNs);
        if (nowNs < nextDeadlineNs()) {
            earlyTimeouts++;
        }
    }

    @Override
    public EndpointEvent pollEvent() {
        return null;
    }

    /** The byte at {@code index} of datagram {@code sequence}, so the receiver can check every byte. */
    public static byte patternByte(long sequence, int index) {
        return (byte) (sequence * 31 + index);
    }

    private boolean windowOpen() {
        return nextSequence < total && nextSequence - acknowledged < windowDatagrams;
    }

    private void observe(long nowNs) {
        if (nowNs < lastNowNs) {
            clockWentBack++;
        }
        lastNowNs = nowNs;
    }

    public long produced() {
        return nextSequence;
    }

    public long earlyTimeouts() {
        return earlyTimeouts;
    }

    public long clockWentBack() {
        return clockWentBack;
    }
}
