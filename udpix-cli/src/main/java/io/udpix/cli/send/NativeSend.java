package io.udpix.cli.send;

import io.udpix.api.Item;
import io.udpix.api.ProgressListener;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import io.udpix.cli.CliException;
import io.udpix.cli.ClientConnect;
import io.udpix.cli.report.ItemProgress;
import io.udpix.cli.report.ItemReport;
import io.udpix.cli.report.ItemReporter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Native mode of {@code send}: one connection, several items in flight, each confirmed by SHA-256. */
final class NativeSend {

    /**
     * Items in flight at once. Each small item waits a round trip plus the receiver's commit for its RESULT, so
     * with 8 (the old value) 2,000 x 32 KB images on loopback moved at ~250-380 items/s and the sender sat idle
     * between RESULTs ("in flight 0 B" in --stats); 64 is the engine's default share of concurrent transfers per
     * connection (OutgoingTransfers.DEFAULT_PEER_MAX_TRANSFERS), so more would only queue in the engine. Reports
     * still come in the order given: the oldest item in the window is always the one waited for.
     */
    static final int MAX_IN_FLIGHT = 64;
    /** Failures after which nothing more can get through on this connection. */
    private static final Set<UdpixException.Kind> CONNECTION_LOST = EnumSet.of(UdpixException.Kind.UNREACHABLE,
            UdpixException.Kind.TIMED_OUT, UdpixException.Kind.CONNECTION_CLOSED, UdpixException.Kind.CANCELLED,
            UdpixException.Kind.AUTHENTICATION);

    /** Hands one item to the connection; {@link UdpixClient#sendAsync(Item, ProgressListener)} outside tests. */
    @FunctionalInterface
    interface ItemSender {
        /** Starts sending {@code item}; the future completes with the receiver's confirmation. */
        CompletableFuture<SendResult> send(Item item, ProgressListener listener);
    }

    private final ItemSender client;
    private final ItemReporter reporter;
    final SendTally tally = new SendTally();
    private final String receiver;
    private boolean connectionLost;

    NativeSend(ItemSender client, ItemReporter reporter, String receiver) {
        this.client = client;
        this.reporter = reporter;
        this.receiver = receiver;
    }

    /**
     * Connects, sends every round, and returns the tally.
     *
     * @throws CliException exit code 3 when the server cannot be reached, 4 when a key is refused, 2 for items
     *                      that cannot be read
     */
    static SendTally run(SendSettings settings, List<Outgoing> outgoing, ItemReporter reporter, PrintStream err)
            throws InterruptedException {
        return run(settings, outgoing, reporter, err, null, client -> io.udpix.cli.stats.StatsPrinter.start(null,
                null, false, err));
    }

    /**
     * As {@link #run(SendSettings, List, ItemReporter, PrintStream)}, tracing connections with {@code qlog} (null:
     * none) and printing figures with {@code stats}.
     */
    static SendTally run(SendSettings settings, List<Outgoing> outgoing, ItemReporter reporter, PrintStream err,
            io.udpix.cli.trace.QlogOption qlog,
            java.util.function.Function<UdpixClient, io.udpix.cli.stats.StatsPrinter> stats)
            throws InterruptedException {
        List<Item> items = items(outgoing);
        UdpixClient client = ClientConnect.connect(settings.to(), settings.connectTimeout(), settings.driver(),
                settings.trust(), qlog, err);
        try (client; var printer = stats.apply(client)) {
            NativeSend send = new NativeSend(client::sendAsync, reporter, settings.to().toString());
            for (long round = 0; settings.moreRounds(round) && !send.connectionLost; round++) {
                if (round > 0) {
                    settings.pause();
                }
                if (!send.round(items)) {
                    break;
                }
            }
            return send.tally;
        }
    }

    private static List<Item> items(List<Outgoing> outgoing) {
        List<Item> items = new ArrayList<>(outgoing.size());
        for (Outgoing o : outgoing) {
            try {
                if (o.file() != null) {
                    items.add(Item.file(o.file()));
                } else if (o.bytes() != null) {
                    items.add(Item.bytes(o.bytes(), o.name()));
                } else {
                    items.add(Item.jsonText(o.jsonText()));
                }
            } catch (UdpixException e) {
                throw CliException.badUsage(e.getMessage());
            } catch (IllegalArgumentException e) {
                throw CliException.badUsage(e.getMessage());
            }
        }
        return items;
    }

    /** Sends every item once; false when an item failed (the caller then stops repeating). */
    boolean round(List<Item> items) throws InterruptedException {
        long failedBefore = tally.failed();
        ArrayDeque<InFlight> window = new ArrayDeque<>(MAX_IN_FLIGHT);
        try {
            for (Item item : items) {
                if (connectionLost) {
                    break;
                }
                if (window.size() >= MAX_IN_FLIGHT) {
                    finish(window.poll());
                }
                ItemProgress progress = reporter.start(item.kind().label(), item.name(), item.sizeBytes());
                long startNs = System.nanoTime();
                CompletableFuture<SendResult> future = client.send(item,
                        (confirmedBytes, totalBytes) -> progress.update(confirmedBytes));
                window.add(new InFlight(item, progress, startNs, future));
            }
            while (!window.isEmpty()) {
                finish(window.poll());
            }
        } finally {
            // Interrupted: what is still in flight is cancelled (the server discards it).
            for (InFlight left : window) {
                left.future.cancel(true);
                left.progress.close();
            }
        }
        return tally.failed() == failedBefore;
    }

    private void finish(InFlight flight) throws InterruptedException {
        try {
            SendResult result = flight.future.get();
            flight.progress.close();
            tally.confirmed(result.sizeBytes());
            reporter.finished(ItemReport.sent(flight.item.kind().label(), flight.item.name(), result.sizeBytes(),
                    receiver, result.elapsed()).withSha256(result.sha256Hex()));
        } catch (ExecutionException e) {
            flight.progress.close();
            Throwable cause = e.getCause();
            String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            int code = 1;
            if (cause instanceof UdpixException udpix) {
                code = udpix.kind().exitCode();
                connectionLost |= CONNECTION_LOST.contains(udpix.kind());
            }
            tally.failed(reason, code);
            reporter.finished(ItemReport.sendFailed(flight.item.kind().label(), flight.item.name(),
                    flight.item.sizeBytes(), receiver, Duration.ofNanos(System.nanoTime() - flight.startNs), reason));
        }
    }

    /** An item sent and not yet confirmed. */
    private record InFlight(Item item, ItemProgress progress, long startNs, CompletableFuture<SendResult> future) {
    }
}
