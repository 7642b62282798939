package io.udpix.api.trust;

import io.udpix.engine.crypto.KeyText;
import io.udpix.engine.crypto.PeerKeyPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A server's list of the client keys it admits ({@code serve --allow-keys FILE}): each entry a Base64 public key
 * or a {@code SHA256:} fingerprint. As a {@link PeerKeyPolicy} it refuses every other key with a sentence the
 * client's user sees. Immutable; the check hashes the key once (it runs once per handshake on the engine thread).
 *
 * <p>File format: one entry per line, optionally followed by a space and a name for people
 * ({@code 3q2+7w... alice's laptop}); blank lines and lines starting with {@code #} are ignored.
 */
public final class AllowedKeys implements PeerKeyPolicy {
    /** Bound on the entries of one list (a set of fingerprints in memory). */
    public static final int MAX_ENTRIES = 100_000;
    private static final int FINGERPRINT_CHARS = KeyText.FINGERPRINT_PREFIX.length() + 43;

    private final Set<String> fingerprints;

    private AllowedKeys(Set<String> fingerprints) {
        this.fingerprints = fingerprints;
    }

    /**
     * The list of {@code entries} (Base64 keys or fingerprints).
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static AllowedKeys of(Collection<String> entries) {
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(entries.size() + " allowed keys; at most " + MAX_ENTRIES);
        }
        Set<String> set = new HashSet<>();
        for (String entry : entries) {
            set.add(fingerprintOf(entry));
        }
        return new AllowedKeys(Set.copyOf(set));
    }

    /**
     * The entries of an allow-list file, checked (see the class comment for the format).
     *
     * @throws IOException naming the file, the line and what is wrong with it
     */
    public static List<String> readEntries(Path file) throws IOException {
        List<String> entries = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            int lineNumber = 0;
            while ((raw = reader.readLine()) != null) {
                lineNumber++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String entry = line.split("\\s+", 2)[0];
                try {
                    fingerprintOf(entry);
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + lineNumber + ": " + e.getMessage());
                }
                if (entries.size() == MAX_ENTRIES) {
                    throw new IOException(file + " has more than " + MAX_ENTRIES + " keys");
                }
                entries.add(entry);
            }
        }
        return entries;
    }

    /** How many distinct keys are admitted. */
    public int size() {
        return fingerprints.size();
    }

    /** Whether the key with {@code fingerprint} is admitted. */
    public boolean admits(String fingerprint) {
        return fingerprints.contains(fingerprint);
    }

    @Override
    public String check(InetSocketAddress peer, byte[] publicKey) {
        String fingerprint = KeyText.fingerprint(publicKey);
        if (fingerprints.contains(fingerprint)) {
            return null;
        }
        return "the server admits only the client keys on its allow list, and this client's key " + fingerprint
                + " is not on it; ask the server's operator to add it (`udpix keygen` printed it), or send with "
                + "--key FILE naming an admitted key";
    }

    /**
     * The fingerprint an entry names.
     *
     * @throws IllegalArgumentException naming the entry and what a good one looks like
     */
    static String fingerprintOf(String entry) {
        String t = entry == null ? "" : entry.strip();
        if (t.startsWith(KeyText.FINGERPRINT_PREFIX)) {
            if (t.length() != FINGERPRINT_CHARS || !t.substring(KeyText.FINGERPRINT_PREFIX.length())
                    .matches("[A-Za-z0-9+/]{43}")) {
                throw new IllegalArgumentException("'" + t + "' is not a fingerprint (SHA256: and 43 Base64 "
                        + "characters, as `udpix keygen` prints it)");
            }
            return t;
        }
        try {
            return KeyText.fingerprint(KeyText.parsePublicKey(t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; give a public key (44 Base64 characters) or a "
                    + "fingerprint (SHA256:...), as `udpix keygen` prints them");
        }
    }
}
