package io.udpix.plain;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder for a plain receiver's spill files: {@code OUT/.udpix-spill}, inside the output folder rather than
 * the JVM's temporary directory, so spill files use the disk the operator chose for items, a stored item is a
 * rename away, and files left by a crash are found and deleted at the next start instead of piling up in /tmp.
 */
public final class PlainSpillDirectory {

    /** The folder's name inside the output folder. */
    public static final String NAME = ".udpix-spill";
    /** Entries looked at when cleaning; a bound on the loop, far above what one crash can leave. */
    static final int MAX_CLEANED_ENTRIES = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(PlainSpillDirectory.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PlainSpillDirectory() {
    }

    /**
     * Creates {@code outputDirectory/.udpix-spill} (owner-only where the file system is POSIX: spill files hold
     * other people's data) and deletes every file in it: nothing in it belongs to a running receiver yet, so
     * whatever is there was left by a crash. Call it once, before the receivers that use it start, and only while
     * holding the output folder (the CLI's output store holds {@code .udpix.lock}), so no other server's files
     * are deleted.
     *
     * @return the spill folder
     * @throws IOException when the folder cannot be made, or {@code .udpix-spill} exists and is not a folder
     */
    public static Path prepare(Path outputDirectory) throws IOException {
        Path dir = outputDirectory.resolve(NAME);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " exists and is not a folder (a file or a symbolic link); remove it so"
                    + " plain mode can keep its spill files there");
        }
        boolean posix = Files.getFileAttributeView(outputDirectory, PosixFileAttributeView.class) != null;
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(dir);
            }
        }
        if (posix) {
            // Also when it existed: an earlier version or a user may have made it with wider permissions.
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        clean(dir);
        return dir;
    }

    private static void clean(Path dir) throws IOException {
        int deleted = 0;
        long deletedBytes = 0;
        int seen = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (++seen > MAX_CLEANED_ENTRIES) {
                    break;
                }
                // Files and links only (a link is deleted, never followed); a folder is not ours to empty.
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long size = Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) ? Files.size(entry) : 0;
                if (Files.deleteIfExists(entry)) {
                    deleted++;
                    deletedBytes += size;
                }
            }
        }
        if (deleted > 0) {
            LOG.info("plain: deleted {} spill files ({} bytes) left in {} by an earlier run", deleted, deletedBytes,
                    dir);
        }
    }
}
