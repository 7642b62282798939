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
 * @param nameAttempts        file names tried in the output directory to commit items: one per item when names
 *                            do not clash, and never growing with the number of copies of a name (0 without an
 *                            output directory)
 */
public record ServerStats(long datagramsReceived, long datagramsSent, long bytesReceived, long bytesSent,
        long connectionsAccepted, long internalErrors, Map<DropReason, Long> drops, long nameAttempts) {

    /** Counters that are all zero. */
    public static final ServerStats EMPTY = new ServerStats(0, 0, 0, 0, 0, 0, Map.of(), 0);

    /** Copies {@code stats}; call on the engine's thread. */
    static ServerStats of(EndpointStats stats) {
        return new ServerStats(stats.datagramsReceived(), stats.datagramsSent(), stats.bytesReceived(),
                stats.bytesSent(), stats.connectionsAccepted(), stats.internalErrors(),
                Map.copyOf(stats.dropsByReason()), 0);
    }

    /** These counters with the output store's {@code attempts}. */
    ServerStats withNameAttempts(long attempts) {
        return new ServerStats(datagramsReceived, datagramsSent, bytesReceived, bytesSent, connectionsAccepted,
                internalErrors, drops, attempts);
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
                Map.copyOf(sum), nameAttempts + other.nameAttempts);
    }
}
