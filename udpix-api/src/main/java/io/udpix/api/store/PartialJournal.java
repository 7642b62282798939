package io.udpix.api.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The journal of one partial file: the content it belongs to (name, size, SHA-256 of the whole), the sender
 * address that started it (for the per-address share) and how many of the content's first bytes are durably in
 * the file. A few hundred bytes of {@code key=value} text, replaced atomically (write a temporary file, force it,
 * rename), so a crash leaves the old journal or the new one, never a mix.
 */
public record PartialJournal(String name, long sizeBytes, byte[] sha256, long heldBytes, String address) {
    static final String SUFFIX = ".journal";
    static final String TEMP_SUFFIX = ".journal.tmp";
    /** A journal larger than this is not ours. */
    static final int MAX_JOURNAL_BYTES = 4096;
    private static final String FORMAT = "udpix-partial-1";

    /** Copies the hash. */
    public PartialJournal {
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Writes {@code journal} to {@code path} atomically and durably; storage thread. */
    static void write(Path path, PartialJournal journal) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("name", journal.name);
        p.setProperty("size", Long.toString(journal.sizeBytes));
        p.setProperty("sha256", HexFormat.of().formatHex(journal.sha256));
        p.setProperty("held", Long.toString(journal.heldBytes));
        p.setProperty("address", journal.address);
        Path temp = path.resolveSibling(path.getFileName().toString().replace(SUFFIX, TEMP_SUFFIX));
        java.io.StringWriter text = new java.io.StringWriter();
        p.store(text, null);
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The journal at {@code path}, or null when it is not a valid one (the caller discards the partial). */
    static PartialJournal read(Path path) {
        try {
            if (Files.size(path) > MAX_JOURNAL_BYTES) {
                return null;
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(path)) {
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
            if (!FORMAT.equals(p.getProperty("format"))) {
                return null;
            }
            String name = p.getProperty("name");
            long size = Long.parseLong(p.getProperty("size", "-1"));
            byte[] sha256 = HexFormat.of().parseHex(p.getProperty("sha256", ""));
            long held = Long.parseLong(p.getProperty("held", "-1"));
            String address = p.getProperty("address", "");
            if (name == null || name.isEmpty() || size < 0 || sha256.length != 32 || held < 0 || held > size) {
                return null;
            }
            return new PartialJournal(name, size, sha256, held, address);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or garbled: not a journal we can trust
        }
    }
}
