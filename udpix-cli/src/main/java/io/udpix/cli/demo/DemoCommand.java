package io.udpix.cli.demo;

import io.udpix.api.Item;
import io.udpix.api.ReceivedItem;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import io.udpix.api.UdpixServer;
import io.udpix.cli.AddressText;
import io.udpix.cli.CliException;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.OutputOptions;
import io.udpix.cli.UdpixCommand;
import io.udpix.cli.report.ItemReport;
import io.udpix.cli.report.ItemReporter;
import io.udpix.cli.serve.LiveDisplay;
import io.udpix.cli.serve.ServerItemReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code udpix demo}: a server, a lossy relay and a client on loopback, showing items surviving a bad network. */
@Command(
        name = "demo",
        description = {
            "Try udpix: no set-up, nothing leaves this machine.",
            "",
            "Starts a server on a free loopback port behind a relay that drops, "
                    + "duplicates and reorders datagrams on purpose, sends it a few generated images, a JSON "
                    + "document and a file, then streams a moving test pattern for a few seconds (--stream), and "
                    + "shows what arrived (in a window when there is a screen, the stream live; else as a "
                    + "summary with the share of frames shown on time). Nothing leaves this machine.",
        },
        sortOptions = false)
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    /** Longest wait for the server's handlers after the client got every confirmation. */
    private static final long ARRIVAL_WAIT_MS = 10_000;
    /** Longest the demo keeps its window open waiting for the user to close it. */
    private static final long VIEWER_WAIT_MS = 10 * 60_000;
    private static final long VIEWER_POLL_MS = 200;
    private static final int FILE_BYTES = 2 << 20;
    private static final int[][] IMAGE_SIZES = {{640, 480}, {800, 600}, {320, 240}, {1024, 768}};

    @ParentCommand
    private UdpixCommand parent;

    @Option(names = "--images", paramLabel = "N", defaultValue = "4",
            description = "How many generated images to send (1-20). Default: ${DEFAULT-VALUE}.")
    private int images;

    @Option(names = "--loss", paramLabel = "PERCENT", defaultValue = "5",
            description = "Share of datagrams the relay drops, each way (0-50). Default: ${DEFAULT-VALUE}.")
    private double lossPercent;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the generated items and of the relay's choices. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Keep what arrived in DIR (default: a temporary directory, deleted at the end).")
    private Path out;

    @Option(names = "--stream", paramLabel = "DURATION", defaultValue = "3s",
            description = "After the items, stream a moving test pattern through the relay for this long and show "
                    + "how many frames arrived on time (0 = no stream). Default: ${DEFAULT-VALUE}.")
    private Duration streamLength;

    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = "0",
            description = "One-way delay the relay adds, each way, e.g. 20ms (0-1s). Default: none.")
    private Duration delay;

    @Option(names = "--no-viewer", description = "Print a summary even when a screen is available.")
    private boolean noViewer;

    @Mixin
    private OutputOptions output;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (images < 1 || images > 20) {
            throw CliException.badUsage("--images " + images + " is out of range; use 1 to 20");
        }
        if (!(lossPercent >= 0 && lossPercent <= 50)) {
            throw CliException.badUsage("--loss " + lossPercent + " is out of range; use 0 to 50 (percent)");
        }
        if (delay.compareTo(Duration.ofSeconds(1)) > 0) {
            throw CliException.badUsage("--delay " + delay.toMillis() + " ms is out of range; use 0 to 1s, e.g. 20ms");
        }
        if (streamLength.compareTo(Duration.ofMinutes(10)) > 0) {
            throw CliException.badUsage("--stream is at most 10m; use e.g. 3s, or 0 for no stream");
        }
        Path work = Files.createTempDirectory("udpix-demo-");
        try (ItemReporter reporter = output.reporter(parent.out());
             LiveDisplay display = !noViewer && LiveDisplay.available() ? LiveDisplay.open("udpix demo")
                     : LiveDisplay.none()) {
            Path received = out != null ? out : work.resolve("received");
            boolean ok = run(work, received, reporter, display);
            if (display.showing()) {
                reporter.status("close the viewer window to finish");
                for (long waitedMs = 0; display.showing() && waitedMs < VIEWER_WAIT_MS; waitedMs += VIEWER_POLL_MS) {
                    Thread.sleep(VIEWER_POLL_MS);
                }
            }
            if (out == null) {
                reporter.status("(the received files were in a temporary directory, now deleted; "
                        + "`udpix demo --out DIR` keeps them)");
            }
            return ok ? ExitCodes.OK : ExitCodes.TRANSFER_FAILED;
        } finally {
            deleteTree(work);
        }
    }

    private boolean run(Path work, Path received, ItemReporter reporter, LiveDisplay display)
            throws IOException, InterruptedException {
        List<Item> items = items(work.resolve("send"));
        CountDownLatch arrivals = new CountDownLatch(items.size());
        // A temporary directory's long path would only clutter the lines; the user's --out is shown as given.
        ServerItemReports reports = new ServerItemReports(reporter, display, out != null ? out : Path.of(""));
        Consumer<ReceivedItem> arrived = item -> {
            reports.received(item);
            arrivals.countDown();
        };
        Impairment impairment = Impairment.of(lossPercent / 100, lossPercent / 250, lossPercent / 100)
                .withDelay(delay);
        try (DemoStream stream = new DemoStream(display);
             UdpixServer server = UdpixServer.builder().port(0).outputDirectory(received)
                     .onImage(arrived).onJson(arrived).onFile(arrived).onBytes(arrived).onEvent(reports::event)
                     .onFrame(stream::onFrame).onStreamEnded(stream::onEnded)
                     .seed(seed).start();
             LossyRelay relay = LossyRelay.start(server.localAddresses().get(0), impairment, seed)) {
            reporter.status(String.format(Locale.ROOT, "udpix demo: server on %s saving to %s, behind a relay on %s "
                            + "that drops %.0f%%, duplicates %.0f%% and reorders %.0f%% of datagrams%s (seed %d)",
                    AddressText.of(server.localAddresses().get(0)), received, AddressText.of(relay.address()),
                    impairment.lossProbability() * 100, impairment.duplicateProbability() * 100,
                    impairment.reorderProbability() * 100, delay.isZero() ? "" : " and delays each by "
                            + delay.toMillis() + " ms", seed));
            // The server's key lives in memory only; the demo's client pins it, so nothing touches the user's
            // config directory (no server.key, no known_servers line).
            int confirmed = send(relay, server.fingerprint(), items, reporter);
            boolean allArrived = arrivals.await(ARRIVAL_WAIT_MS, TimeUnit.MILLISECONDS);
            RelayStats stats = relay.stats();
            reporter.status("the relay passed " + stats.received() + " datagrams: dropped " + stats.dropped()
                    + ", duplicated " + stats.duplicated() + ", reordered " + stats.reordered());
            boolean ok = confirmed == items.size() && allArrived;
            reporter.status(ok ? "all " + items.size() + " items arrived intact (each checked with SHA-256) "
                    + "despite the losses" : (items.size() - confirmed) + " of " + items.size()
                    + " items did not arrive; see the lines above");
            if (!streamLength.isZero()) {
                // The stream's outcome is reported; the exit code stays about the items (a stream has no
                // "arrived intact" to promise: late frames are dropped by design).
                stream.run(relay.address(), server.fingerprint(), seed, streamLength, reporter);
            }
            reports.closeAll();
            return ok;
        } catch (UdpixException e) {
            throw new CliException(e.kind().exitCode(), e.getMessage(), e);
        }
    }

    private int send(LossyRelay relay, String serverFingerprint, List<Item> items, ItemReporter reporter)
            throws InterruptedException {
        try (UdpixClient client = UdpixClient.builder(relay.address()).seed(seed + 1).serverKey(serverFingerprint)
                .connect()) {
            String receiver = AddressText.of(relay.address());
            List<CompletableFuture<SendResult>> futures = new ArrayList<>(items.size());
            long startNs = System.nanoTime();
            for (Item item : items) {
                futures.add(client.sendAsync(item));
            }
            int confirmed = 0;
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                try {
                    // The server's lines show each item; a confirmation only needs counting.
                    futures.get(i).get();
                    confirmed++;
                } catch (ExecutionException e) {
                    reporter.finished(ItemReport.sendFailed(item.kind().label(), item.name(), item.sizeBytes(),
                            receiver, Duration.ofNanos(System.nanoTime() - startNs), e.getCause().getMessage()));
                }
            }
            return confirmed;
        } catch (UdpixException e) {
            throw new CliException(e.kind().exitCode(), e.getMessage(), e);
        }
    }

    /** The generated images (PNG and JPEG), the JSON document and the file (written to {@code sendDir}). */
    private List<Item> items(Path sendDir) throws IOException {
        List<Item> items = new ArrayList<>(images + 2);
        for (int i = 1; i <= images; i++) {
            int[] size = IMAGE_SIZES[(i - 1) % IMAGE_SIZES.length];
            String format = i % 2 == 1 ? "png" : "jpg";
            items.add(Item.image(DemoContent.image(i, size[0], size[1], seed), format)
                    .withName("demo-" + i + "." + format));
        }
        items.add(Item.json(DemoContent.document(seed, images)));
        Files.createDirectories(sendDir);
        Path file = Files.write(sendDir.resolve("demo-data.bin"), DemoContent.file(seed, FILE_BYTES));
        try {
            items.add(Item.file(file));
        } catch (UdpixException e) {
            throw new IOException(e.getMessage(), e);
        }
        return items;
    }

    /** Deletes {@code root} and what is in it (two levels at most: the demo's own layout). */
    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root, 3)) {
            List<Path> paths = walk.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path path : paths) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("udpix demo: could not delete " + root + " (" + e.getMessage() + "); remove it by hand");
        }
    }
}
