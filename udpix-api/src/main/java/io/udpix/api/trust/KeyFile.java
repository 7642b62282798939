package io.udpix.api.trust;

import io.udpix.engine.crypto.StaticKeyPair;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A private key file: the first line {@value #HEADER}, then the 32-byte X25519 private key in Base64; lines
 * starting with {@code #} are comments (the writer adds the public key and fingerprint there for people).
 *
 * <p>Written atomically (a temporary file in the same directory, flushed, then renamed or linked into place) with
 * owner-only permissions (0600) from the moment it exists. Like ssh, {@link #read} refuses a key that group or
 * others may read or write: anyone who can read it can impersonate its owner.
 */
public final class KeyFile {
    /** First line of every key file; a later format gets a new version. */
    public static final String HEADER = "udpix-private-key-v1";
    /** Longest key file read: a key file is under 200 bytes, so anything larger is not one. */
    static final int MAX_FILE_BYTES = 4096;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_DIR = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private KeyFile() {
    }

    /** A key read from a file or just created there. */
    public record Loaded(StaticKeyPair key, boolean created) {
    }

    /**
     * Reads the key in {@code file}.
     *
     * @throws NoSuchFileException when there is no such file
     * @throws IOException         naming the file and the fix: readable by others, not a udpix key file, bad key
     */
    public static StaticKeyPair read(Path file) throws IOException {
        checkPermissions(file);
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + " is not a udpix key file (larger than " + MAX_FILE_BYTES + " bytes); "
                    + "create one with `udpix keygen --out " + file + "`");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String header = null;
        String key = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (header == null) {
                header = line;
                if (!header.equals(HEADER)) {
                    throw new IOException(file + " is not a udpix key file (its first line is not '" + HEADER
                            + "'); create one with `udpix keygen --out FILE`");
                }
            } else if (key == null) {
                key = line;
            } else {
                throw new IOException(file + " has more than one key line; a key file holds one key");
            }
        }
        if (key == null) {
            throw new IOException(file + " holds no key (expected '" + HEADER + "' and then the Base64 private "
                    + "key); create one with `udpix keygen --out FILE`");
        }
        byte[] privateKey;
        try {
            privateKey = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the key line is not Base64 (" + e.getMessage() + ")");
        }
        if (privateKey.length != StaticKeyPair.KEY_BYTES) {
            throw new IOException(file + ": the key is " + privateKey.length + " bytes; a udpix private key is "
                    + StaticKeyPair.KEY_BYTES);
        }
        return StaticKeyPair.fromPrivateKey(privateKey);
    }

    /**
     * Writes {@code key} to {@code file} (its directory is created, owner-only, if missing).
     *
     * @param replace whether an existing file is replaced; if not, an existing file makes this throw
     *                FileAlreadyExistsException (checked atomically: two writers cannot both succeed)
     */
    public static void write(Path file, StaticKeyPair key, boolean replace) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        createPrivateDirectories(dir);
        Path temp = Files.createTempFile(dir, ".udpix-key-", ".tmp", ownerOnlyAttributes(dir, false));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                out.write(text(key).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                channel.force(true);
            }
            if (replace) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // A rename would silently replace a key created meanwhile; a link fails if the name exists.
                try {
                    Files.createLink(target, temp);
                } catch (UnsupportedOperationException e) {
                    if (Files.exists(target)) {
                        throw new FileAlreadyExistsException(target.toString());
                    }
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Reads {@code file}, or creates it with a new key from {@code random} when it does not exist (two processes
     * doing this at once end up with the same key).
     */
    public static Loaded readOrCreate(Path file, SecureRandom random) throws IOException {
        if (!Files.exists(file)) {
            StaticKeyPair key = StaticKeyPair.generate(random);
            try {
                write(file, key, false);
                return new Loaded(key, true);
            } catch (FileAlreadyExistsException e) {
                // Another process created it first: use that one.
            }
        }
        return new Loaded(read(file), false);
    }

    /** The file's text for {@code key}. */
    static String text(StaticKeyPair key) {
        byte[] privateKey = key.privateKey();
        String line = Base64.getEncoder().encodeToString(privateKey);
        java.util.Arrays.fill(privateKey, (byte) 0);
        return HEADER + "\n" + line + "\n# public key: " + key.publicKeyText() + "\n# fingerprint: "
                + key.fingerprint() + "\n";
    }

    /** Creates {@code dir} and missing parents owner-only (0700), as ssh keeps ~/.ssh. */
    static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, ownerOnlyAttributes(parent != null ? parent : dir, true));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + " exists and is not a directory");
            }
        }
    }

    private static FileAttribute<?>[] ownerOnlyAttributes(Path near, boolean directory) {
        if (!isPosix(near)) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(directory ? OWNER_DIR : OWNER_ONLY)};
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void checkPermissions(Path file) throws IOException {
        if (!isPosix(file)) {
            return; // Windows ACLs: nothing portable to check.
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> others = EnumSet.copyOf(permissions);
        others.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!others.isEmpty()) {
            throw new IOException("refusing to use the private key " + file + ": its permissions ("
                    + PosixFilePermissions.toString(permissions) + ") let other users read or change it; run "
                    + "`chmod 600 " + file + "` (and make a new key with `udpix keygen` if others may have "
                    + "copied it)");
        }
    }
}
