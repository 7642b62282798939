package io.udpix.kafka.consume;

import io.udpix.api.store.MessageLog;
import io.udpix.api.store.OutputStore;
import io.udpix.api.store.PendingFile;
import io.udpix.api.store.SafeNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Where {@code udpix consume --out DIR} saves what it reads, by the rules of {@code udpix serve --out}: files,
 * images and frames under {@link SafeNames#baseName} of the sender's name in an {@link OutputStore} (a temporary
 * file named only when complete, an existing file never replaced, nothing outside DIR), JSON items as lines of
 * {@code DIR/messages.jsonl} ({@link MessageLog}). Only records whose check passed may be given to it.
 */
public final class FleetStore implements AutoCloseable {

    private final OutputStore files;
    private final MessageLog messages;

    /**
     * Opens {@code dir} (created if needed).
     *
     * @throws IOException when it cannot be written or another udpix process writes to it
     */
    public FleetStore(Path dir) throws IOException {
        this.files = new OutputStore(Objects.requireNonNull(dir, "dir"));
        try {
            files.cleanStale();
            this.messages = new MessageLog(files.dir());
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** The directory, as a real path. */
    public Path dir() {
        return files.dir();
    }

    /**
     * Saves {@code record}'s value: a JSON item as a line of messages.jsonl, anything else as a file.
     *
     * @return where it went (the file, or messages.jsonl)
     * @throws IllegalArgumentException for a reference (nothing to save) or a JSON item that is not JSON
     * @throws IOException when the disk refused it (nothing is left under a final name then)
     */
    public Path save(FleetRecord record) throws IOException {
        if (record.reference()) {
            throw new IllegalArgumentException(record + " is a reference to a receiver's file; it is not fetched");
        }
        if (record.kind().equals("json")) {
            messages.append(Instant.ofEpochMilli(record.receivedEpochMs()), senderAddress(record.sender()),
                    record.port(), record.value());
            return messages.file();
        }
        PendingFile file = files.create(SafeNames.baseName(record.name(), fallbackName(record)));
        try {
            FileChannel channel = file.channel();
            ByteBuffer bytes = ByteBuffer.wrap(record.value());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            files.abort(file);
            throw e;
        }
        return files.commit(file);
    }

    /** {@code item-<partition>-<offset>.bin}: a plain, safe name for a record whose own name leaves nothing. */
    static String fallbackName(FleetRecord record) {
        return "item-" + record.partition() + "-" + record.offset() + ".bin";
    }

    /**
     * The sender header ({@code ip:port}, or {@code [v6]:port}) as an address for messages.jsonl; never resolves a
     * name (the header is not trusted): anything that is not a literal address becomes 0.0.0.0:0.
     */
    static InetSocketAddress senderAddress(String sender) {
        int colon = sender.lastIndexOf(':');
        try {
            String host = colon < 0 ? sender : sender.substring(0, colon);
            int port = colon < 0 ? 0 : Integer.parseInt(sender.substring(colon + 1));
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (!host.matches("[0-9.]+|[0-9a-fA-F:.%]*:[0-9a-fA-F:.%]*")) {
                throw new NumberFormatException("not a literal address");
            }
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return new InetSocketAddress(anyAddress(), 0);
        }
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Aborts anything unfinished and releases the directory. */
    @Override
    public void close() throws IOException {
        try {
            messages.close();
        } finally {
            files.close();
        }
    }
}
