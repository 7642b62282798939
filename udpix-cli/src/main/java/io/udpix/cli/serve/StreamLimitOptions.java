package io.udpix.cli.serve;

import io.udpix.cli.CliException;
import io.udpix.cli.convert.SizeConverter;
import io.udpix.engine.stream.StreamLimits;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code --max-streams N --max-frame-size SIZE --min-latency DURATION --max-latency DURATION}: what incoming frame
 * streams may ask for (docs/PROTOCOL.md 5.8.1, the STREAM_LIMITS every client is told in the handshake). The
 * defaults are the protocol's: 16 streams per connection, 16 MiB frames, budgets of 0 ms to 10 s.
 */
public final class StreamLimitOptions {

    /** The options, for the plain-mode and --no-streams refusals. */
    static final List<String> NAMES = List.of("--max-streams", "--max-frame-size", "--min-latency", "--max-latency");

    @Option(names = "--max-streams", paramLabel = "N", defaultValue = "16",
            description = "Frame streams one connection may send at once (1 to 65535); a sender's stream beyond it "
                    + "is refused with the reason. Native mode. Default: ${DEFAULT-VALUE}.")
    private int maxStreams;

    @Option(names = "--max-frame-size", paramLabel = "SIZE", defaultValue = "16MiB",
            converter = SizeConverter.class,
            description = "Largest stream frame taken (e.g. 2MiB; at most 2GiB - 1 byte); senders learn it in the "
                    + "handshake and refuse a larger frame with the reason (`udpix stream` skips and counts it). "
                    + "Native mode. Default: ${DEFAULT-VALUE}.")
    private long maxFrameBytes;

    @Option(names = "--min-latency", paramLabel = "DURATION", defaultValue = "0ms",
            description = "Smallest latency budget a stream gets: a sender asking less (stream --latency) gets "
                    + "this. Whole milliseconds, 0ms to 10s. Native mode. Default: ${DEFAULT-VALUE}.")
    private Duration minLatency;

    @Option(names = "--max-latency", paramLabel = "DURATION", defaultValue = "10s",
            description = "Largest latency budget a stream gets: a sender asking more gets this (a frame later "
                    + "than it is dropped, so it bounds how old a shown frame can be). Whole milliseconds, 1ms to "
                    + "10s. Native mode. Default: ${DEFAULT-VALUE}.")
    private Duration maxLatency;

    /**
     * Checks the options before anything binds; {@code given} tells which were on the command line.
     *
     * @throws CliException exit code 2 naming the option, the cause and the fix
     */
    void check(boolean plain, boolean noStreams, ParseResult given) {
        for (String name : NAMES) {
            if (given.hasMatchedOption(name)) {
                if (plain) {
                    throw CliException.badUsage(name + " applies to native mode only; plain mode has no frame "
                            + "streams (remove --plain or " + name + ")");
                }
                if (noStreams) {
                    throw CliException.badUsage(name + " limits frame streams, but --no-streams refuses them; give "
                            + "one of them");
                }
            }
        }
        limits();
    }

    /**
     * The limits asked for.
     *
     * @throws CliException exit code 2 when a value is out of range
     */
    public StreamLimits limits() {
        if (maxStreams < 1 || maxStreams > 0xFFFF) {
            throw CliException.badUsage("--max-streams " + maxStreams + " is out of range; use 1 to 65535 (streams "
                    + "at once on one connection), e.g. 16");
        }
        if (maxFrameBytes < 1 || maxFrameBytes > Integer.MAX_VALUE) {
            throw CliException.badUsage("--max-frame-size " + maxFrameBytes + " bytes is out of range; use 1 byte "
                    + "to 2GiB - 1 byte, e.g. 16MiB");
        }
        long minMs = wholeMilliseconds("--min-latency", minLatency);
        long maxMs = wholeMilliseconds("--max-latency", maxLatency);
        if (maxMs < 1) {
            throw CliException.badUsage("--max-latency must be at least 1ms (a budget of 0 shows no frame); "
                    + "e.g. 500ms");
        }
        if (minMs > maxMs) {
            throw CliException.badUsage("--min-latency " + minMs + " ms is above --max-latency " + maxMs
                    + " ms; give a minimum at most the maximum");
        }
        return new StreamLimits(maxStreams, maxFrameBytes, (int) minMs, (int) maxMs);
    }

    private static long wholeMilliseconds(String name, Duration value) {
        if (value.isNegative() || value.compareTo(Duration.ofMillis(StreamLimits.MAX_LATENCY_MS)) > 0) {
            throw CliException.badUsage(name + " " + value.toMillis() + " ms is out of range; use 0ms to 10s (the "
                    + "largest budget a stream can carry)");
        }
        if (value.toNanos() % 1_000_000L != 0) {
            throw CliException.badUsage(name + " must be whole milliseconds (the wire carries milliseconds); e.g. "
                    + Math.max(1, value.toMillis()) + "ms");
        }
        return value.toMillis();
    }
}
