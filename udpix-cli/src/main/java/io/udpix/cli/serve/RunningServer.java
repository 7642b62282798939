package io.udpix.cli.serve;

import java.net.InetSocketAddress;
import java.util.List;

/** A started server of either mode, as {@link ServeCommand} runs it. */
interface RunningServer extends AutoCloseable {

    /** The bound addresses, one per port, in the order given. */
    List<InetSocketAddress> addresses();

    /** A few words for the ready line, e.g. {@code "udpix native mode, up to 1.07 GB per item"}. */
    String mode();

    /** The fingerprint of the server's key, or null in plain mode (no keys). */
    default String fingerprint() {
        return null;
    }

    /** What a stop does now, for the status line, e.g. {@code "2 transfers in progress get up to 5 s"}. */
    String stopping();

    /** Each socket's figures now, for --stats; none in plain mode (it has no engine counters). */
    default java.util.List<io.udpix.api.SocketStats> socketStats() {
        return java.util.List.of();
    }

    /** Items received and stored so far. */
    long itemsReceived();

    /** Stops within the grace period: finishes or abandons transfers in progress, leaves no partial files. */
    @Override
    void close();
}
