package io.udpix.api;

import io.udpix.engine.DropReason;
import io.udpix.engine.EndpointStats;
import java.util.EnumMap;
import java.util.Map;

/**
 * A server's engine counters summed over its sockets at one moment: datagrams in and out and every drop by
 * reason, so an operator (or a test) can see that hostile traffic was refused and counted rather than served.
 *
 * @param datagramsReceived   datagrams handed to the engines
 * @param datagramsSent       datagrams the engines produced
 * @param bytesReceived       bytes of those datagrams received
 * @param bytesSent           bytes of those datagrams sent
 * @param connectionsAccepted connections accepted after a valid cookie
 * @param internalErrors      unexpected exceptions caught in the engines (a bug if not zero)
 * @param drops               drops by reason (only non-zero reasons)
 */
public record ServerStats(long datagramsReceived, long datagramsSent, long bytesReceived, long bytesSent,
        long connectionsAccepted, long internalErrors, Map<DropReason, Long> drops) {

    /** Counters that are all zero. */
    public static final ServerStats EMPTY = new ServerStats(0, 0, 0, 0, 0, 0, Map.of());

    /** Copies {@code stats}; call on the engine's thread. */
    static ServerStats of(EndpointStats stats) {
        return new ServerStats(stats.datagramsReceived(), stats.datagramsSent(), stats.bytesReceived(),
                stats.bytesSent(), stats.connectionsAccepted(), stats.internalErrors(),
                Map.copyOf(stats.dropsByReason()));
    }

    /** Drops counted for {@code reason}. */
    public long drops(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** This and {@code other} added up. */
    ServerStats plus(ServerStats other) {
        Map<DropReason, Long> sum = new EnumMap<>(DropReason.class);
        sum.putAll(drops);
        other.drops.forEach((reason, count) -> sum.merge(reason, count, Long::sum));
        return new ServerStats(datagramsReceived + other.datagramsReceived, datagramsSent + other.datagramsSent,
                bytesReceived + other.bytesReceived, bytesSent + other.bytesSent,
                connectionsAccepted + other.connectionsAccepted, internalErrors + other.internalErrors,
                Map.copyOf(sum));
    }
}
