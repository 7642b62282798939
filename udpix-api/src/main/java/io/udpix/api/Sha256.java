package io.udpix.api;

import io.udpix.engine.util.Sha256Digests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/** SHA-256 of memory and of files (streamed through one 64 KiB buffer, never the whole file in memory). */
final class Sha256 {
    /** Read size for hashing files: large enough for sequential disk reads, small enough for any heap. */
    static final int FILE_BUFFER_BYTES = 64 * 1024;

    private Sha256() {
    }

    static MessageDigest digest() {
        return Sha256Digests.newDigest();
    }

    /** SHA-256 of {@code bytes}. */
    static byte[] of(byte[] bytes) {
        return digest().digest(bytes);
    }

    /** Size and SHA-256 of {@code file}, read once from start to end. */
    static Hashed ofFile(Path file) throws IOException {
        MessageDigest md = digest();
        ByteBuffer buffer = ByteBuffer.allocate(FILE_BUFFER_BYTES);
        long sizeBytes = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            // Bounded by the file's size: every pass reads at least one byte or ends the loop.
            while (in.read(buffer.clear()) > 0) {
                buffer.flip();
                sizeBytes += buffer.remaining();
                md.update(buffer);
            }
        }
        return new Hashed(sizeBytes, md.digest());
    }

    /** Lower-case hex. */
    static String hex(byte[] sha256) {
        return HexFormat.of().formatHex(sha256);
    }

    /** A file's size and hash, taken in the same pass. */
    record Hashed(long sizeBytes, byte[] sha256) {
    }
}
