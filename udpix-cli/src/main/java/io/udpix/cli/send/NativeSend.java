package io.udpix.cli.send;

import io.udpix.api.Item;
import io.udpix.api.ReceivedItem;
import io.udpix.api.ProgressListener;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import io.udpix.cli.CliException;
import io.udpix.cli.ClientConnect;
import io.udpix.cli.report.ItemProgress;
import io.udpix.cli.report.ItemReport;
import io.udpix.cli.report.ItemReporter;
import io.udpix.cli.startup.StartupTrace;
import io.udpix.driver.Drivers;
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
    /**
     * Below this many bytes per command, {@code --driver auto} runs NIO and the crypto warm-up is skipped. A native
     * driver (Netty epoll: GSO batches) pays only on a real interface and only for bulk: loading Netty and its
     * natives took 1.5-2.5 s of a one-image send on a loaded 2-core machine (0.3 s idle), while on a WAN link the
     * link, not the driver, sets the rate, and on veth NIO moves tens of MiB in that time.
     */
    static final long SMALL_SEND_BYTES = 64L << 20;

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

    /** Sends one item as a request; {@link UdpixClient#request(Item)} outside tests. */
    @FunctionalInterface
    interface ItemRequester {
        /** Sends {@code item} asking for a reply; the future completes with the reply. */
        CompletableFuture<ReceivedItem> request(Item item);
    }

    /** First wait before sending a refused item again; doubles per try up to {@link #MAX_RETRY_WAIT_MS}. */
    static final long FIRST_RETRY_WAIT_MS = 250;
    static final long MAX_RETRY_WAIT_MS = 8_000;

    private final ItemSender client;
    /** Tries after a "try again later" refusal (SERVER_BUSY), per item. */
    private int retries;
    private final ItemReporter reporter;
    final SendTally tally = new SendTally();
    private final String receiver;
    private boolean connectionLost;
    private final Runnable awaitConnected;
    private boolean connected;
    /** With {@code --wait-reply}: sends each item as a request, and prints its reply. */
    private ItemRequester requester;
    private ReplyPrinter replies;

    NativeSend(ItemSender client, ItemReporter reporter, String receiver, Runnable awaitConnected) {
        this.client = client;
        this.reporter = reporter;
        this.receiver = receiver;
        this.awaitConnected = awaitConnected;
    }

    /** Sends an item refused with SERVER_BUSY ("try again later") again, up to {@code n} times. */
    NativeSend retries(int n) {
        this.retries = n;
        return this;
    }

    /** Sends every item as a request and prints its reply with {@code printer} ({@code --wait-reply}). */
    NativeSend requests(ItemRequester value, ReplyPrinter printer) {
        this.requester = value;
        this.replies = printer;
        return this;
    }

    /** Waits for the handshake once, after the first items were queued (throws CliException when it failed). */
    private void connected() {
        if (!connected) {
            awaitConnected.run();
            connected = true;
        }
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
        return run(settings, outgoing, reporter, err, qlog, stats, null, null);
    }

    /**
     * As {@link #run(SendSettings, List, ItemReporter, PrintStream, io.udpix.cli.trace.QlogOption,
     * java.util.function.Function)}, with {@code --meta} on every item and, with {@code --wait-reply}, each item
     * sent as a request whose reply {@code printer} prints ({@code requests} null: neither).
     */
    static SendTally run(SendSettings settings, List<Outgoing> outgoing, ItemReporter reporter, PrintStream err,
            io.udpix.cli.trace.QlogOption qlog,
            java.util.function.Function<UdpixClient, io.udpix.cli.stats.StatsPrinter> stats,
            RequestOptions requests, ReplyPrinter replyPrinter) throws InterruptedException {
        StartupTrace.mark("send: options checked");
        List<Item> items = items(outgoing);
        if (requests != null) {
            items.replaceAll(requests::apply);
        }
        if (settings.streamKey() != null) {
            // The receiver publishes under the name's directory part (docs/KAFKA.md) and stores the file under it.
            for (Item item : items) {
                String keyed = settings.streamKey() + "/" + item.name();
                if (item.name().contains("/") && keyed.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        > io.udpix.wire.OpenFrame.MAX_NAME_BYTES) {
                    throw CliException.badUsage("--stream-key " + settings.streamKey() + " makes the name of '"
                            + item.name() + "' longer than the wire's 255 bytes; use a shorter key or send a folder "
                            + "nearer to the file");
                }
            }
            items.replaceAll(item -> item.withName(settings.streamKey() + "/" + item.name()));
        }
        boolean small = isSmall(items, settings);
        // Started, not connected: the first round's items are queued before the server answers, so they leave in
        // the flight that completes the handshake (docs/PROTOCOL.md 5.1), not after a thread hand-off.
        UdpixClient client = ClientConnect.start(settings.to(), settings.connectTimeout(),
                driverFor(settings.driver(), small), settings.trust(), qlog,
                builder -> {
                    builder.cryptoWarmUp(!small).resume(settings.resume());
                    if (settings.maxRateBytesPerSecond() != Long.MAX_VALUE) {
                        builder.maxSendRate(settings.maxRateBytesPerSecond());
                    }
                    if (requests != null) {
                        requests.configure(builder);
                    }
                });
        try (client; var printer = stats.apply(client)) {
            NativeSend send = new NativeSend(client::sendAsync, reporter, settings.to().toString(), () -> {
                ClientConnect.awaitConnected(client, err);
                StartupTrace.mark("send: connected (" + (small ? "small send" : "bulk send") + ")");
            }).retries(settings.retries());
            if (requests != null && requests.waitReply()) {
                send.requests(client::request, replyPrinter);
            }
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

    /**
     * Whether this command sends little enough ({@link #SMALL_SEND_BYTES} in all, counting repeats) that start-up
     * matters more than the driver's speed: then {@code auto} means NIO and no crypto warm-up runs.
     */
    static boolean isSmall(List<Item> items, SendSettings settings) {
        if (settings.repeat() == 0) {
            return false; // until stopped: a long-running sender
        }
        long totalBytes = 0;
        for (Item item : items) {
            totalBytes += Math.max(0, item.sizeBytes());
            if (totalBytes >= SMALL_SEND_BYTES) {
                return false;
            }
        }
        // The first test bounds repeat, so the product cannot overflow.
        return settings.repeat() <= SMALL_SEND_BYTES / Math.max(1, totalBytes)
                && totalBytes * settings.repeat() < SMALL_SEND_BYTES;
    }

    /**
     * The driver to ask for: for a small send, {@code auto} (unless -Dudpix.driver overrides it) becomes
     * {@code nio}, so Netty is never loaded; a driver named by the user is kept.
     */
    static String driverFor(String name, boolean small) {
        return small && "auto".equals(name) && Drivers.isPlainAuto(name) ? "nio" : name;
    }

    private static List<Item> items(List<Outgoing> outgoing) {
        List<Item> items = new ArrayList<>(outgoing.size());
        for (Outgoing o : outgoing) {
            try {
                if (o.file() != null) {
                    Item item = Item.file(o.file());
                    // A folder's file goes under its path (photos/2024/cat.jpg), checked to fit by Items.
                    items.add(item.name().equals(o.name()) ? item : item.withName(o.name()));
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
                    connected();
                    finish(window.poll());
                }
                ItemProgress progress = reporter.start(item.kind().label(), item.name(), item.sizeBytes());
                long startNs = System.nanoTime();
                if (requester != null) {
                    window.add(new InFlight(item, progress, startNs, null, requester.request(item)));
                    continue;
                }
                CompletableFuture<SendResult> future = client.send(item,
                        (confirmedBytes, totalBytes) -> progress.update(confirmedBytes));
                window.add(new InFlight(item, progress, startNs, future, null));
            }
            connected();
            while (!window.isEmpty()) {
                finish(window.poll());
            }
        } finally {
            // Interrupted: what is still in flight is cancelled (the server discards it).
            for (InFlight left : window) {
                (left.reply != null ? left.reply : left.future).cancel(true);
                left.progress.close();
            }
        }
        return tally.failed() == failedBefore;
    }

    private void finish(InFlight flight) throws InterruptedException {
        if (flight.reply != null) {
            finishRequest(flight);
            return;
        }
        try {
            SendResult result = awaitRetrying(flight.future, () -> client.send(flight.item,
                    (confirmedBytes, totalBytes) -> flight.progress.update(confirmedBytes)));
            StartupTrace.mark("send: confirmed " + flight.item.name());
            flight.progress.close();
            tally.confirmed(result.sizeBytes(), result.movedBytes());
            reporter.finished(ItemReport.sent(flight.item.kind().label(), flight.item.name(), result.sizeBytes(),
                    receiver, result.elapsed()).withSha256(result.sha256Hex()).withMeta(flight.item.meta())
                    .withResumedFrom(result.resumedFromBytes()));
        } catch (ExecutionException e) {
            failed(flight, e.getCause());
        }
    }

    /** A request: confirmed once its reply came (retried as a send is); the reply printed after its line. */
    private void finishRequest(InFlight flight) throws InterruptedException {
        try {
            ReceivedItem answer = awaitRetrying(flight.reply, () -> requester.request(flight.item));
            flight.progress.close();
            tally.confirmed(flight.item.sizeBytes());
            reporter.finished(ItemReport.sent(flight.item.kind().label(), flight.item.name(), flight.item.sizeBytes(),
                    receiver, Duration.ofNanos(System.nanoTime() - flight.startNs)).withMeta(flight.item.meta())
                    .withDetail("reply " + answer.kind().label() + " " + answer.sizeBytes() + " bytes"));
            replies.print(flight.item.name(), answer);
        } catch (ExecutionException e) {
            failed(flight, e.getCause());
        }
    }

    /**
     * The outcome of {@code first}; a SERVER_BUSY refusal ("try again later") is tried again with {@code again}, up
     * to --retry times, after a pause doubling from FIRST_RETRY_WAIT_MS to MAX_RETRY_WAIT_MS. On interruption the
     * attempt in flight is cancelled like the window's items.
     */
    private <T> T awaitRetrying(CompletableFuture<T> first, java.util.function.Supplier<CompletableFuture<T>> again)
            throws ExecutionException, InterruptedException {
        CompletableFuture<T> future = first;
        for (int attempt = 0; ; attempt++) {
            try {
                return future.get();
            } catch (ExecutionException e) {
                if (attempt >= retries || !(e.getCause() instanceof UdpixException udpix)
                        || udpix.errorCode() != io.udpix.wire.ErrorCode.SERVER_BUSY) {
                    throw e;
                }
                Thread.sleep(Math.min(MAX_RETRY_WAIT_MS, FIRST_RETRY_WAIT_MS << Math.min(attempt, 10)));
                future = again.get();
            } catch (InterruptedException e) {
                future.cancel(true);
                throw e;
            }
        }
    }

    private void failed(InFlight flight, Throwable cause) {
        flight.progress.close();
        String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        int code = 1;
        if (cause instanceof UdpixException udpix) {
            code = udpix.kind().exitCode();
            // A reply that did not come in time (a local timeout, no wire code) leaves the connection usable.
            boolean replyTimeout = udpix.kind() == UdpixException.Kind.TIMED_OUT && udpix.errorCode() < 0;
            connectionLost |= CONNECTION_LOST.contains(udpix.kind()) && !replyTimeout;
        }
        tally.failed(reason, code);
        reporter.finished(ItemReport.sendFailed(flight.item.kind().label(), flight.item.name(),
                flight.item.sizeBytes(), receiver, Duration.ofNanos(System.nanoTime() - flight.startNs), reason)
                .withMeta(flight.item.meta()));
    }

    /** An item sent and not yet confirmed. */
    private record InFlight(Item item, ItemProgress progress, long startNs, CompletableFuture<SendResult> future,
            CompletableFuture<ReceivedItem> reply) {
    }
}
