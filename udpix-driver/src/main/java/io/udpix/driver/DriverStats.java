package io.udpix.driver;

/**
 * A driver's counters since it started: a view of its {@link DriverMetrics} group in the endpoint's registry (no
 * second copy). Each counter is exact; the snapshot as a whole is not atomic (the loop may move on between two
 * fields).
 *
 * @param datagramsReceived  datagrams handed to the endpoint
 * @param bytesReceived      their payload bytes
 * @param datagramsSent      datagrams the kernel accepted
 * @param bytesSent          their payload bytes
 * @param receiveTruncations datagrams dropped because they filled the receive limit (maxDatagramBytes + 1) and
 *                           may have been cut short
 * @param receiveErrors      receive calls that failed with an I/O error
 * @param icmpErrors         ICMP port-unreachable reports surfaced by the socket (counted, never fatal: one
 *                           socket serves many peers)
 * @param sendErrors         datagrams dropped because the kernel refused them or they exceeded maxDatagramBytes
 *                           (every {@link DriverMetrics.SendErrorCause})
 * @param sendBlocked        times the socket send buffer was full; the datagram was kept and sent when writable
 * @param endpointErrors     exceptions thrown by the endpoint (logged; the loop kept going)
 * @param callbackErrors     exceptions thrown by commands or the event consumer (logged; the loop kept going)
 * @param loopIterations     passes through the event loop (an idle driver makes almost none)
 */
public record DriverStats(long datagramsReceived, long bytesReceived, long datagramsSent, long bytesSent,
        long receiveTruncations, long receiveErrors, long icmpErrors, long sendErrors, long sendBlocked,
        long endpointErrors, long callbackErrors, long loopIterations) {}
