package io.udpix.api;

import io.udpix.api.stream.StreamStatus;
import io.udpix.engine.DropReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
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
 * @param namesRefused        items refused for the path in their name: more than
 *                            {@link io.udpix.api.store.TreeNames#MAX_DIRECTORY_LEVELS} directory levels, or a
 *                            symbolic link or a file where one of its directories should be in the output directory
 * @param ports               each socket's own figures: totals, drops, connections (peer, RTT, window, loss...)
 *                            and frame streams with their frame rates, in the order of the sockets
 */
public record ServerStats(long datagramsReceived, long datagramsSent, long bytesReceived, long bytesSent,
        long connectionsAccepted, long internalErrors, Map<DropReason, Long> drops, long nameAttempts,
        long namesRefused, List<SocketStats> ports) {

    /** Counters that are all zero. */
    public static final ServerStats EMPTY = new ServerStats(0, 0, 0, 0, 0, 0, Map.of(), 0, List.of());

    /** The counters without {@code namesRefused} (zero), the shape before folders were kept. */
    public ServerStats(long datagramsReceived, long datagramsSent, long bytesReceived, long bytesSent,
            long connectionsAccepted, long internalErrors, Map<DropReason, Long> drops, long nameAttempts,
            List<SocketStats> ports) {
        this(datagramsReceived, datagramsSent, bytesReceived, bytesSent, connectionsAccepted, internalErrors, drops,
                nameAttempts, 0, ports);
    }

    /** Copies the collections. */
    public ServerStats {
        drops = Map.copyOf(drops);
        ports = List.copyOf(ports);
    }

    /** The totals of one socket. */
    static ServerStats of(SocketStats s) {
        return new ServerStats(s.datagramsReceived(), s.datagramsSent(), s.bytesReceived(), s.bytesSent(),
                s.handshakes(), s.internalErrors(), s.drops(), 0, List.of(s));
    }

    /** These counters with the output store's {@code attempts}. */
    ServerStats withNameAttempts(long attempts) {
        return new ServerStats(datagramsReceived, datagramsSent, bytesReceived, bytesSent, connectionsAccepted,
                internalErrors, drops, attempts, namesRefused, ports);
    }

    /** These counters with {@code refused} names. */
    ServerStats withNamesRefused(long refused) {
        return new ServerStats(datagramsReceived, datagramsSent, bytesReceived, bytesSent, connectionsAccepted,
                internalErrors, drops, nameAttempts, refused, ports);
    }

    /** Every connection of every socket. */
    public List<PeerStats> connections() {
        return ports.stream().flatMap(p -> p.connections().stream()).toList();
    }

    /** Every frame stream of every socket. */
    public List<StreamStatus> streams() {
        return ports.stream().flatMap(p -> p.streams().stream()).toList();
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
                Map.copyOf(sum), nameAttempts + other.nameAttempts, namesRefused + other.namesRefused,
                concat(ports, other.ports));
    }

    private static List<SocketStats> concat(List<SocketStats> a, List<SocketStats> b) {
        List<SocketStats> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
