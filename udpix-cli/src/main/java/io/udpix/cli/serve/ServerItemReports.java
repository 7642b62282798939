package io.udpix.cli.serve;

import io.udpix.api.ReceivedItem;
import io.udpix.api.ServerEvent;
import io.udpix.api.store.MessageLog;
import io.udpix.cli.AddressText;
import io.udpix.cli.report.ItemProgress;
import io.udpix.cli.report.ItemReport;
import io.udpix.cli.report.ItemReporter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Turns the server's callbacks into item lines and progress; all calls come on its one callback thread. */
public final class ServerItemReports {

    /** Progress displays kept at once; items beyond it simply get no bar. */
    private static final int MAX_TRACKED_ITEMS = 4_096;

    private final ItemReporter reporter;
    private final LiveDisplay display;
    private final Path shownOut;
    /** {@code shownOut} as a real path, found at the first saved item; callback thread only. */
    private Path realOut;
    private final AtomicLong received = new AtomicLong();
    /** Progress of items in flight; callback thread only. */
    private final Map<ProgressKey, ItemProgress> progress = new HashMap<>();

    /** Reports to {@code reporter}, shows images on {@code display}, names saved files under {@code shownOut}. */
    public ServerItemReports(ItemReporter reporter, LiveDisplay display, Path shownOut) {
        this.reporter = reporter;
        this.display = display;
        this.shownOut = shownOut;
    }

    /**
     * {@code saved} (a real path under the output directory) as under {@code shownOut}, with its folders
     * ({@code received/photos/2024/cat.jpg}).
     */
    private Path shown(Path saved) {
        if (realOut == null) {
            try {
                realOut = shownOut.toRealPath(); // once, on the callback thread
            } catch (java.io.IOException e) {
                realOut = shownOut.toAbsolutePath().normalize();
            }
        }
        return saved.startsWith(realOut) ? shownOut.resolve(realOut.relativize(saved))
                : shownOut.resolve(saved.getFileName());
    }

    /** Items received so far. */
    public long count() {
        return received.get();
    }

    /** An item arrived and was verified: one line, and the image on the display. */
    public void received(ReceivedItem item) {
        received.incrementAndGet();
        String sender = AddressText.of(item.sender());
        ItemReport report = ItemReport.received(item.kind().label(), item.name(), item.sizeBytes(), sender,
                item.port(), item.elapsed()).withSha256(item.sha256Hex()).withMeta(item.meta());
        if (item.savedPath().isPresent()) {
            report = report.withSavedAs(shown(item.savedPath().get()).toString());
        } else {
            report = report.withSavedAs(shownOut.resolve(MessageLog.FILE_NAME).toString());
        }
        if (item.image().isPresent()) {
            report = report.withDetail(item.image().get().width() + "x" + item.image().get().height() + " "
                    + item.image().get().format());
            if (item.savedPath().isPresent()) {
                display.show(item.port(), item.savedPath().get(), sender, item.name(), item.sizeBytes());
            }
        } else if (item.warning().isPresent()) {
            report = report.withDetail(item.warning().get());
        }
        reporter.finished(report);
    }

    /** Progress bars from STARTED/PROGRESS/COMPLETED, a line for FAILED. */
    public void event(ServerEvent event) {
        ProgressKey key = new ProgressKey(event.sender(), event.port(), event.name());
        switch (event.type()) {
            case STARTED -> {
                ItemProgress bar = reporter.start(event.kind().label(), event.name(), event.sizeBytes());
                if (bar != ItemProgress.NONE && progress.size() < MAX_TRACKED_ITEMS) {
                    ItemProgress older = progress.put(key, bar);
                    if (older != null) {
                        older.close();
                    }
                } else {
                    bar.close();
                }
            }
            case PROGRESS -> {
                ItemProgress bar = progress.get(key);
                if (bar != null) {
                    bar.update(event.doneBytes());
                }
            }
            case COMPLETED -> closeProgress(key);
            case FAILED -> {
                closeProgress(key);
                reporter.finished(ItemReport.receiveFailed(event.kind().label(), event.name(), event.doneBytes(),
                        AddressText.of(event.sender()), event.port(), event.elapsed(),
                        event.message() == null ? "abandoned" : event.message()));
            }
            case REPLIED -> reporter.finished(ItemReport.replied(event.kind().label(), event.name(),
                    event.doneBytes(),
                    AddressText.of(event.sender()), event.port(), event.elapsed(), event.message()));
            default -> {
                // A newer API may add event types; they have nothing to show here.
            }
        }
    }

    /** Ends every progress display (after the server closed). */
    public void closeAll() {
        progress.values().forEach(ItemProgress::close);
        progress.clear();
    }

    private void closeProgress(ProgressKey key) {
        ItemProgress bar = progress.remove(key);
        if (bar != null) {
            bar.close();
        }
    }

    /** Identifies an item in events, which carry no transfer ID; two identical ones at once only share a bar. */
    private record ProgressKey(InetSocketAddress sender, int port, String name) {
    }
}
