package io.udpix.driver.epoll;

/**
 * Settings of the epoll driver that {@link io.udpix.driver.DriverOptions} does not cover; {@link #defaults()} is
 * what measurements on loopback favoured (see EpollVsNioBlast).
 *
 * @param receiveMode                  how datagrams are read; GRO and recvmmsg are exclusive by construction
 *                                     (Netty 4.2.18 loses coalesced datagrams when both are on)
 * @param gso                          batch consecutive same-size datagrams to one destination into one
 *                                     UDP_SEGMENT send when the kernel supports it
 * @param gsoMaxSegmentBytesOffLoopback the largest datagram batched towards a non-loopback address: the kernel
 *                                     refuses (EINVAL) a GSO send whose segments exceed the route's MTU, so this
 *                                     must fit the smallest MTU on the way out (1472 = Ethernet's 1500 minus
 *                                     the IPv4 and UDP headers); loopback's 64 KiB MTU fits every datagram
 * @param writeBufferLowBytes          the channel turns writable again when Netty holds fewer bytes than this
 * @param writeBufferHighBytes         the driver stops taking datagrams from the endpoint while Netty holds more
 *                                     bytes than this (the kernel's socket buffer is full), so nothing is dropped
 *                                     and memory stays bounded
 */
public record EpollTuning(ReceiveMode receiveMode, boolean gso, int gsoMaxSegmentBytesOffLoopback,
        int writeBufferLowBytes, int writeBufferHighBytes) {

    /** How the driver reads datagrams. */
    public enum ReceiveMode {
        /** recvmsg with UDP_GRO: one call may return up to 64 coalesced datagrams from one sender. */
        GRO,
        /** recvmmsg: one call fills several slots of maxDatagramBytes + 1 bytes each (no GRO). */
        RECVMMSG,
        /** plain recvmsg, one datagram per call: the baseline. */
        SINGLE
    }

    private static final int MIN_SEGMENT_BYTES = 1;
    private static final int MAX_SEGMENT_BYTES = 65_507;
    private static final int MIN_WATER_MARK_BYTES = 1;
    private static final int MAX_WATER_MARK_BYTES = 1 << 30;

    /** Checks every setting and names the one out of range. */
    public EpollTuning {
        if (receiveMode == null) {
            throw new IllegalArgumentException("receiveMode must be one of GRO, RECVMMSG, SINGLE, got null");
        }
        requireRange("gsoMaxSegmentBytesOffLoopback", gsoMaxSegmentBytesOffLoopback, MIN_SEGMENT_BYTES,
                MAX_SEGMENT_BYTES);
        requireRange("writeBufferLowBytes", writeBufferLowBytes, MIN_WATER_MARK_BYTES, MAX_WATER_MARK_BYTES);
        requireRange("writeBufferHighBytes", writeBufferHighBytes, writeBufferLowBytes, MAX_WATER_MARK_BYTES);
    }

    /** GRO receive, GSO send, 1,472-byte segments off loopback, 256 KiB / 1 MiB write water marks. */
    public static EpollTuning defaults() {
        return new EpollTuning(ReceiveMode.GRO, true, 1_472, 256 << 10, 1 << 20);
    }

    /** A copy with another receive mode. */
    public EpollTuning withReceiveMode(ReceiveMode mode) {
        return new EpollTuning(mode, gso, gsoMaxSegmentBytesOffLoopback, writeBufferLowBytes, writeBufferHighBytes);
    }

    /** A copy with GSO batching on or off. */
    public EpollTuning withGso(boolean enabled) {
        return new EpollTuning(receiveMode, enabled, gsoMaxSegmentBytesOffLoopback, writeBufferLowBytes,
                writeBufferHighBytes);
    }

    /** A copy with other write water marks. */
    public EpollTuning withWriteBufferBytes(int lowBytes, int highBytes) {
        return new EpollTuning(receiveMode, gso, gsoMaxSegmentBytesOffLoopback, lowBytes, highBytes);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
