package io.udpix.api.trust;

import io.udpix.engine.crypto.KeyText;
import io.udpix.engine.crypto.PeerKeyPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trust on first use, as ssh's known_hosts: a file with a line per server, {@code HOST:PORT KEY} (an IP literal,
 * IPv6 in brackets; the Base64 public key, or a {@code SHA256:} fingerprint written by hand), {@code #} comments.
 * A server not in the file is accepted and its key remembered; a server whose key differs from the file's is
 * refused with a message that says how to accept the change.
 *
 * <p>The {@link #policy()} runs on the engine's thread and answers from memory only. Keys it accepted for the
 * first time are written to the file by {@link #recordNew()}, which the caller runs on its own thread (the client
 * does after the handshake), so no file I/O ever happens on the I/O thread. Thread-safe.
 */
public final class KnownServers {
    /** Bound on the lines read from a file. */
    public static final int MAX_ENTRIES = 100_000;
    /** Bound on servers accepted for the first time and not yet written (one client meets one server). */
    public static final int MAX_NEW = 1024;
    /** Longest file read (about 100 bytes a line). */
    static final long MAX_FILE_BYTES = 16L << 20;

    private final Path file;
    /** The file's entries as loaded; never changed. */
    private final Map<InetSocketAddress, List<Entry>> known;
    /** Keys accepted on first use since loading, written or not yet. */
    private final Map<InetSocketAddress, Learned> learned = new ConcurrentHashMap<>();
    /**
     * One writer per JVM: a FileLock keeps other processes out, but within one JVM a second lock on the same file
     * throws OverlappingFileLockException instead of waiting (several clients in one program).
     */
    private static final Object WRITE_LOCK = new Object();

    private KnownServers(Path file, Map<InetSocketAddress, List<Entry>> known) {
        this.file = file;
        this.known = known;
    }

    /** A server's key recorded in the file, on line {@code line}; {@code keyText} is a key or a fingerprint. */
    private record Entry(int line, String keyText) {
        String fingerprint() {
            return keyText.startsWith(KeyText.FINGERPRINT_PREFIX) ? keyText
                    : KeyText.fingerprint(KeyText.parsePublicKey(keyText));
        }
    }

    /** A key accepted on first use; {@code line} is 0 until it is written. */
    private static final class Learned {
        final byte[] key;
        volatile int line;

        Learned(byte[] key) {
            this.key = key;
        }
    }

    /** A server written to the file by {@link #recordNew()}. */
    public record Recorded(InetSocketAddress server, String fingerprint, Path file, int line) {
        /** The notice for the user, as ssh prints one: "trusting new server HOST:PORT key SHA256:... (...)". */
        public String notice() {
            return "trusting new server " + hostPort(server) + " key " + fingerprint + " (recorded in " + file
                    + " line " + line + ")";
        }
    }

    /**
     * Reads {@code file}; a missing file is an empty list (it is created when the first server is recorded).
     *
     * @throws IOException naming the file, the line and what is wrong with it
     */
    public static KnownServers load(Path file) throws IOException {
        Map<InetSocketAddress, List<Entry>> known = new HashMap<>();
        List<String> lines;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IOException(file + " is larger than " + (MAX_FILE_BYTES >> 20) + " MiB; it is not a "
                        + "known-servers file, or it needs pruning");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = List.of();
        }
        int count = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (++count > MAX_ENTRIES) {
                throw new IOException(file + " has more than " + MAX_ENTRIES + " servers; prune it");
            }
            String[] fields = line.split("\\s+");
            if (fields.length < 2) {
                throw new IOException(file + " line " + (i + 1) + ": expected 'HOST:PORT KEY', e.g. "
                        + "'127.0.0.1:9000 " + "A".repeat(43) + "='; fix or remove the line");
            }
            InetSocketAddress server;
            try {
                server = parseHostPort(fields[0]);
                AllowedKeys.fingerprintOf(fields[1]);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage() + "; fix or remove the "
                        + "line");
            }
            known.computeIfAbsent(server, k -> new ArrayList<>(1)).add(new Entry(i + 1, fields[1]));
        }
        return new KnownServers(file, known);
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The policy for a client's {@code serverKeyPolicy}: quick, in memory, never blocks. */
    public PeerKeyPolicy policy() {
        return this::check;
    }

    private String check(InetSocketAddress peer, byte[] publicKey) {
        InetSocketAddress server = new InetSocketAddress(peer.getAddress(), peer.getPort());
        List<Entry> entries = known.get(server);
        if (entries != null) {
            for (Entry entry : entries) {
                if (KeyText.matches(entry.keyText(), publicKey)) {
                    return null;
                }
            }
            Entry first = entries.get(0);
            return changedKey(server, publicKey, first.fingerprint(), first.line());
        }
        Learned seen = learned.get(server);
        if (seen == null) {
            if (learned.size() >= MAX_NEW) {
                return "refusing the new server " + hostPort(server) + ": " + MAX_NEW + " new servers were "
                        + "accepted and not yet recorded in " + file;
            }
            Learned mine = new Learned(publicKey.clone());
            seen = learned.putIfAbsent(server, mine);
            if (seen == null) {
                return null; // Trusted on first use; recordNew() writes it.
            }
        }
        if (Arrays.equals(seen.key, publicKey)) {
            return null;
        }
        return changedKey(server, publicKey, KeyText.fingerprint(seen.key), seen.line);
    }

    private String changedKey(InetSocketAddress server, byte[] offered, String recorded, int line) {
        String now = KeyText.fingerprint(offered);
        String where = line > 0 ? "line " + line + " of " + file : file + " (being recorded)";
        return "the server " + hostPort(server) + " offered the key " + now + ", but " + where + " records "
                + recorded + " for it: someone may be intercepting the connection, or the server's key really "
                + "changed. If it did (ask its operator for the fingerprint), remove " + where + " or pass "
                + "--server-key " + now;
    }

    /**
     * Appends every server accepted for the first time and not yet written; call it off the I/O thread. Safe
     * against other processes appending at the same time (a file lock).
     *
     * @return what was written (empty when nothing new was met)
     */
    public List<Recorded> recordNew() throws IOException {
        synchronized (WRITE_LOCK) {
            List<Map.Entry<InetSocketAddress, Learned>> fresh = new ArrayList<>();
            for (Map.Entry<InetSocketAddress, Learned> e : learned.entrySet()) {
                if (e.getValue().line == 0) {
                    fresh.add(e);
                }
            }
            if (fresh.isEmpty()) {
                return List.of();
            }
            Path dir = file.toAbsolutePath().getParent();
            KeyFile.createPrivateDirectories(dir);
            List<Recorded> recorded = new ArrayList<>(fresh.size());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                long size = channel.size();
                if (size > MAX_FILE_BYTES) {
                    throw new IOException(file + " is larger than " + (MAX_FILE_BYTES >> 20) + " MiB; prune it");
                }
                int lines = countLines(channel, size);
                StringBuilder text = new StringBuilder();
                if (size > 0 && !endsWithNewline(channel, size)) {
                    text.append('\n'); // A hand-edited last line without its newline stays a line of its own.
                    lines++;
                }
                for (Map.Entry<InetSocketAddress, Learned> e : fresh) {
                    String key = KeyText.publicKeyText(e.getValue().key);
                    text.append(hostPort(e.getKey())).append(' ').append(key).append('\n');
                    lines++;
                    recorded.add(new Recorded(e.getKey(), KeyText.fingerprint(e.getValue().key), file, lines));
                }
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
                long position = size;
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
                channel.force(false);
            }
            for (int i = 0; i < fresh.size(); i++) {
                fresh.get(i).getValue().line = recorded.get(i).line();
            }
            return recorded;
        }
    }

    private static int countLines(FileChannel channel, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int lines = 0;
        long position = 0;
        while (position < size) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) == '\n') {
                    lines++;
                }
            }
            position += n;
        }
        return lines;
    }

    private static boolean endsWithNewline(FileChannel channel, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) == '\n';
    }

    /** {@code IP:PORT}, IPv6 in brackets: the form the file uses. */
    static String hostPort(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip != null ? ip.getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Parses {@code IP:PORT} or {@code [IPv6]:PORT} without a name lookup. */
    static InetSocketAddress parseHostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets, e.g. [::1]:9000");
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException("'" + text + "' has no valid port");
        }
        InetAddress ip = IpLiteral.parse(host);
        if (ip == null) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address (the file records addresses, "
                    + "not names)");
        }
        return new InetSocketAddress(ip, Integer.parseInt(port));
    }
}
