package io.udpix.api;

import io.udpix.api.stream.StreamStatus;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every bound socket of a server, and what the server asks of all of them at once. */
final class ServerSockets {
    private static final long RESULT_POLL_MS = 10;

    /** Every bound socket: {@code threadsPerPort} per port, the first of each port first. */
    private final List<ServerPort> all;
    /** The first socket of each port, in the order the ports were given. */
    private final List<ServerPort> primaries;

    ServerSockets(List<ServerPort> all, List<ServerPort> primaries) {
        this.all = all;
        this.primaries = primaries;
    }

    /** The bound addresses, one per port, in the order the ports were given. */
    List<InetSocketAddress> localAddresses() {
        List<InetSocketAddress> addresses = new ArrayList<>(primaries.size());
        for (ServerPort port : primaries) {
            addresses.add(port.localAddress());
        }
        return Collections.unmodifiableList(addresses);
    }

    /** The engines' counters summed over every socket (a socket that does not answer within 2 s counts zero). */
    ServerStats stats() {
        ServerStats sum = ServerStats.EMPTY;
        for (ServerPort port : all) {
            sum = sum.plus(port.stats());
        }
        return sum;
    }

    /** Every socket's raw registry, in the order of {@link #stats()}'s ports (lock-free). */
    List<PortCounters> counters() {
        List<PortCounters> out = new ArrayList<>(all.size());
        for (ServerPort port : all) {
            out.add(port.counters());
        }
        return Collections.unmodifiableList(out);
    }

    /** Every incoming stream's figures, over all sockets. */
    List<StreamStatus> streamStats() {
        List<StreamStatus> streams = new ArrayList<>();
        for (ServerPort port : all) {
            streams.addAll(port.streamStats());
        }
        return streams;
    }

    /**
     * The last items' RESULT frames may still be unacknowledged (lost, or not yet answered); a CLOSE now would
     * fail items the server did store. Waits until every connection has nothing in flight, or {@code untilNs}.
     */
    void lingerForResults(long untilNs) throws InterruptedException {
        while (System.nanoTime() < untilNs) {
            long inFlight = 0;
            for (ServerPort port : all) {
                inFlight += port.bytesInFlight();
            }
            if (inFlight == 0) {
                return;
            }
            Thread.sleep(RESULT_POLL_MS);
        }
    }

    /** Closes every connection of every socket (clients are told {@code reason}) and stops the sockets. */
    void closeAll(String reason) {
        for (ServerPort port : all) {
            port.close(reason);
        }
    }
}
