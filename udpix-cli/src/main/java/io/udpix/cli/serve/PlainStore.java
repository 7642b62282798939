package io.udpix.cli.serve;

import io.udpix.api.store.MessageLog;
import io.udpix.api.store.OutputStore;
import io.udpix.api.store.PendingFile;
import io.udpix.cli.AddressText;
import io.udpix.cli.report.ItemReport;
import io.udpix.cli.report.ItemReporter;
import io.udpix.plain.PlainItem;
import io.udpix.plain.PlainItemKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where {@code serve --plain} puts items: images and other items as files in the output directory, written
 * through the same {@link OutputStore} as native mode (temporary name first, never overwriting, never outside the
 * directory), and JSON messages as {@code messages.jsonl} lines in native mode's format. Thread-safe: every
 * port's server thread calls it.
 */
final class PlainStore implements AutoCloseable {

    /** Bound on transferTo calls for one spilled item; each moves up to what the OS allows (GiBs). */
    private static final int MAX_TRANSFER_CALLS = 1 << 20;

    private final Path shownDir;
    private final OutputStore store;
    private final MessageLog messages;
    private final ItemReporter reporter;
    private final LiveDisplay display;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();

    private PlainStore(Path shownDir, OutputStore store, MessageLog messages, ItemReporter reporter,
                       LiveDisplay display) {
        this.shownDir = shownDir;
        this.store = store;
        this.messages = messages;
        this.reporter = reporter;
        this.display = display;
    }

    /** Opens (creating) {@code dir}, fsyncing each file when {@code durable}; IOException names the fix. */
    static PlainStore open(Path dir, boolean durable, ItemReporter reporter, LiveDisplay display)
            throws IOException {
        OutputStore store = new OutputStore(dir, durable);
        try {
            store.cleanStale();
            return new PlainStore(dir, store, new MessageLog(store.dir()), reporter, display);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The output directory (real path); the plain spill folder goes inside it. */
    Path dir() {
        return store.dir();
    }

    /** Items stored so far. */
    long count() {
        return stored.get();
    }

    /**
     * Stores {@code item}, which arrived on local {@code port}, and reports it. Failures are thrown: the plain
     * server then discards the item and sends the sender an error reply.
     */
    void store(int port, PlainItem item) {
        try {
            String sender = AddressText.of(item.from());
            if (item.kind() == PlainItemKind.JSON) {
                messages.append(Instant.now(), item.from(), port, item.readAllBytes());
                item.discard();
                report(ItemReport.received("json", "", item.lengthBytes(), sender, port, Duration.ZERO)
                        .withSavedAs(shownDir.resolve(MessageLog.FILE_NAME).toString()));
                return;
            }
            Path saved = storeFile(item);
            String kind = item.kind() == PlainItemKind.IMAGE ? "image" : "file";
            report(ItemReport.received(kind, saved.getFileName().toString(), item.lengthBytes(), sender, port,
                    Duration.ZERO).withSavedAs(shownDir.resolve(saved.getFileName()).toString())
                    .withDetail("plain mode: not checked end to end"));
            if (item.kind() == PlainItemKind.IMAGE) {
                display.show(port, saved, sender, saved.getFileName().toString(), item.lengthBytes());
            }
        } catch (IOException e) {
            item.discard();
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            item.discard();
            throw e;
        }
    }

    private Path storeFile(PlainItem item) throws IOException {
        PendingFile file = store.create(fileName(sequence.incrementAndGet(), item.from(), item.extension()));
        try {
            FileChannel target = file.channel();
            if (item.spillFile().isPresent()) {
                try (FileChannel spill = FileChannel.open(item.spillFile().get(), StandardOpenOption.READ)) {
                    long position = 0;
                    for (int i = 0; position < item.lengthBytes() && i < MAX_TRANSFER_CALLS; i++) {
                        position += spill.transferTo(position, item.lengthBytes() - position, target);
                    }
                    if (position != item.lengthBytes()) {
                        throw new IOException("copied " + position + " of " + item.lengthBytes() + " bytes of a "
                                + "plain item; is the disk full?");
                    }
                }
            } else {
                try (InputStream in = item.openStream()) {
                    // Not closed here: the channel belongs to the pending file, which commit closes.
                    in.transferTo(Channels.newOutputStream(target));
                }
            }
            Path saved = store.commit(file);
            item.discard();
            return saved;
        } catch (IOException | RuntimeException e) {
            store.abort(file);
            throw e;
        }
    }

    private void report(ItemReport report) {
        stored.incrementAndGet();
        reporter.finished(report);
    }

    /** {@code item-000001-127.0.0.1-50123.jpg}: numbered, named after the sender (its name is not sent). */
    static String fileName(long number, InetSocketAddress from, String extension) {
        String host = from.getAddress() != null ? from.getAddress().getHostAddress() : from.getHostString();
        // IPv6 addresses hold ':' and '%', which some file systems refuse.
        host = host.replace(':', '_').replace('%', '_');
        String safeExtension = extension.matches("[a-z0-9]{1,8}") ? extension : "bin";
        return String.format(Locale.ROOT, "item-%06d-%s-%d.%s", number, host, from.getPort(), safeExtension);
    }

    /** Deletes temporary files of items not committed, closes messages.jsonl and releases the directory. */
    @Override
    public void close() throws IOException {
        try {
            messages.close();
        } finally {
            store.close();
        }
    }
}
