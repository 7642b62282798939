package io.udpix.driver;

/**
 * Socket and loop settings of a {@link NioDriver}; {@link #defaults()} suits loopback and LAN transfers.
 *
 * @param receiveBufferBytes    SO_RCVBUF asked of the kernel; Linux caps it at net.core.rmem_max
 * @param sendBufferBytes       SO_SNDBUF asked of the kernel; Linux caps it at net.core.wmem_max
 * @param maxDatagramBytes      the largest datagram passed either way; a received datagram larger than this is
 *                              dropped and counted as a truncation, a larger one from the endpoint as a send error
 * @param maxDatagramsPerWakeup a bound on each receive burst and each send burst, so neither direction starves
 *                              the other, the timers or the command queue
 * @param commandQueueCapacity  how many {@link NioDriver#execute} commands may wait; more are rejected
 * @param spinThresholdNs       a deadline nearer than this is awaited with {@code selectNow} (the selector only
 *                              sleeps in whole milliseconds); 0 never polls ahead of a deadline
 * @param reusePort             set SO_REUSEPORT, so several drivers (threads) can share one port and the kernel
 *                              spreads peers over them by address; any process of the same user could then join
 *                              the port too, so it is off unless asked for
 */
public record DriverOptions(int receiveBufferBytes, int sendBufferBytes, int maxDatagramBytes,
        int maxDatagramsPerWakeup, int commandQueueCapacity, long spinThresholdNs, boolean reusePort) {

    /** The largest UDP payload over IPv4: 65,535 minus the 8-byte UDP and 20-byte IPv4 headers. */
    public static final int MAX_UDP_PAYLOAD_BYTES = 65_507;

    private static final int MIN_SOCKET_BUFFER_BYTES = 1024;
    private static final int MAX_SOCKET_BUFFER_BYTES = 1 << 30;
    private static final int MAX_BURST_DATAGRAMS = 65_536;
    private static final int MAX_COMMAND_QUEUE_CAPACITY = 1 << 20;
    private static final long MAX_SPIN_THRESHOLD_NS = 10_000_000L;

    /** Options without SO_REUSEPORT. */
    public DriverOptions(int receiveBufferBytes, int sendBufferBytes, int maxDatagramBytes, int maxDatagramsPerWakeup,
            int commandQueueCapacity, long spinThresholdNs) {
        this(receiveBufferBytes, sendBufferBytes, maxDatagramBytes, maxDatagramsPerWakeup, commandQueueCapacity,
                spinThresholdNs, false);
    }

    /** Checks every setting and names the one out of range with its allowed range. */
    public DriverOptions {
        requireRange("receiveBufferBytes", receiveBufferBytes, MIN_SOCKET_BUFFER_BYTES, MAX_SOCKET_BUFFER_BYTES);
        requireRange("sendBufferBytes", sendBufferBytes, MIN_SOCKET_BUFFER_BYTES, MAX_SOCKET_BUFFER_BYTES);
        requireRange("maxDatagramBytes", maxDatagramBytes, 1, MAX_UDP_PAYLOAD_BYTES);
        requireRange("maxDatagramsPerWakeup", maxDatagramsPerWakeup, 1, MAX_BURST_DATAGRAMS);
        requireRange("commandQueueCapacity", commandQueueCapacity, 1, MAX_COMMAND_QUEUE_CAPACITY);
        requireRange("spinThresholdNs", spinThresholdNs, 0, MAX_SPIN_THRESHOLD_NS);
    }

    /** 4 MiB socket buffers, 65,507-byte datagrams, bursts of 256, 4,096 queued commands, 1 ms spin threshold. */
    public static DriverOptions defaults() {
        return new DriverOptions(4 << 20, 4 << 20, MAX_UDP_PAYLOAD_BYTES, 256, 4096, 1_000_000L);
    }

    /** A copy with another SO_RCVBUF request. */
    public DriverOptions withReceiveBufferBytes(int bytes) {
        return new DriverOptions(bytes, sendBufferBytes, maxDatagramBytes, maxDatagramsPerWakeup,
                commandQueueCapacity, spinThresholdNs, reusePort);
    }

    /** A copy with another SO_SNDBUF request. */
    public DriverOptions withSendBufferBytes(int bytes) {
        return new DriverOptions(receiveBufferBytes, bytes, maxDatagramBytes, maxDatagramsPerWakeup,
                commandQueueCapacity, spinThresholdNs, reusePort);
    }

    /** A copy with another datagram size limit. */
    public DriverOptions withMaxDatagramBytes(int bytes) {
        return new DriverOptions(receiveBufferBytes, sendBufferBytes, bytes, maxDatagramsPerWakeup,
                commandQueueCapacity, spinThresholdNs, reusePort);
    }

    /** A copy with another burst bound. */
    public DriverOptions withMaxDatagramsPerWakeup(int datagrams) {
        return new DriverOptions(receiveBufferBytes, sendBufferBytes, maxDatagramBytes, datagrams,
                commandQueueCapacity, spinThresholdNs, reusePort);
    }

    /** A copy with another command queue capacity. */
    public DriverOptions withCommandQueueCapacity(int commands) {
        return new DriverOptions(receiveBufferBytes, sendBufferBytes, maxDatagramBytes, maxDatagramsPerWakeup,
                commands, spinThresholdNs, reusePort);
    }

    /** A copy with another spin threshold. */
    public DriverOptions withSpinThresholdNs(long thresholdNs) {
        return new DriverOptions(receiveBufferBytes, sendBufferBytes, maxDatagramBytes, maxDatagramsPerWakeup,
                commandQueueCapacity, thresholdNs, reusePort);
    }

    /** A copy with SO_REUSEPORT set or not. */
    public DriverOptions withReusePort(boolean value) {
        return new DriverOptions(receiveBufferBytes, sendBufferBytes, maxDatagramBytes, maxDatagramsPerWakeup,
                commandQueueCapacity, spinThresholdNs, value);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
