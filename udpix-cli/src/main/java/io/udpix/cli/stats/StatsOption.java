package io.udpix.cli.stats;

import io.udpix.cli.CliException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --stats DURATION}: mixed into serve and send. */
public final class StatsOption {
    /** Shortest interval: a line per 100 ms is already more than a person reads; shorter only costs. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    @Option(names = "--stats", paramLabel = "DURATION",
            description = "Print the connection's figures every DURATION (e.g. 1s): per socket datagrams, bytes "
                    + "and rates, handshakes, items, drops by reason; per connection RTT, delivery rate, window, "
                    + "bytes in flight, loss, retransmissions, datagram size; per frame stream fps, on time, late, "
                    + "lost, latency. One line per socket, or one JSON object per line with --format json.")
    private Duration interval;

    /** The interval, or null when --stats was not given. */
    public Duration interval() {
        if (interval != null && interval.compareTo(MIN_INTERVAL) < 0) {
            throw CliException.badUsage("--stats " + interval.toMillis() + "ms is too short; use at least "
                    + MIN_INTERVAL.toMillis() + "ms (e.g. --stats 1s)");
        }
        return interval;
    }

    /** True when --stats was given. */
    public boolean enabled() {
        return interval != null;
    }
}
