package io.udpix.api;

import io.udpix.api.store.TreeNames;
import io.udpix.wire.OpenFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The files of a folder as items named by their paths, which a receiver with an output directory recreates
 * under it (docs/PROTOCOL.md section 4.4): {@code Items.tree(Path.of("photos"))} gives {@code photos/a.jpg},
 * {@code photos/2024/b.jpg}... ({@code /} separators on every system), as {@code cp -r} and {@code scp -r} name
 * them.
 *
 * <p>Rules: regular files only, in a fixed order (each directory's entries sorted by name, depth first);
 * symbolic links inside the folder are skipped, never followed (a link could lead out of the tree or loop), and
 * so are devices, pipes and sockets ({@link Listing#skipped()} says which); the folder itself may be a link.
 * Empty directories are not sent: an item is a file, and a directory appears at the receiver with its first file.
 * A relative name over 255 bytes of UTF-8 (the wire's limit) or more than
 * {@link TreeNames#MAX_DIRECTORY_LEVELS} directories deep is an error naming the file, before anything is sent.
 */
public final class Items {

    /** Files one folder may hold; a larger tree is an error (send its sub-folders one by one). */
    public static final int MAX_FILES = 100_000;
    /** Entries of every kind looked at in one walk (a bound on the loop, directories included). */
    static final int MAX_ENTRIES = 1_000_000;

    private Items() {
    }

    /**
     * A folder's walk: its regular files with their names, and what was left out.
     *
     * @param files   the files, in sending order
     * @param skipped one line per entry left out ("photos/link: a symbolic link, not followed")
     */
    public record Listing(List<Named> files, List<String> skipped) {
        /** Copies the lists. */
        public Listing {
            files = List.copyOf(files);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * One file of a folder and the name it is sent under.
     *
     * @param file the file
     * @param name its path relative to the folder's parent, {@code /}-separated ({@code photos/2024/b.jpg})
     */
    public record Named(Path file, String name) {
        /** Both given. */
        public Named {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The files of {@code dir} as items named {@code DIRNAME/relative/path}, in sending order; what
     * {@link #list} skips is left out silently (use it to report them).
     *
     * @throws UdpixException (INVALID_ITEM) when {@code dir} is not a readable directory, a file's name is too
     *                        long or too deep, or the folder is larger than {@link #MAX_FILES}
     */
    public static List<Item> tree(Path dir) throws UdpixException {
        Listing listing = list(dir);
        List<Item> items = new ArrayList<>(listing.files().size());
        for (Named named : listing.files()) {
            items.add(Item.file(named.file()).withName(named.name()));
        }
        return items;
    }

    /**
     * Walks {@code dir}: its regular files named {@code DIRNAME/relative/path} (just {@code relative/path} for a
     * file-system root, which has no name), in sending order, and the entries skipped.
     *
     * @throws UdpixException (INVALID_ITEM) as {@link #tree}
     */
    public static Listing list(Path dir) throws UdpixException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw invalid(dir + " is not a directory; give a folder to send");
        }
        Path absolute = dir.toAbsolutePath().normalize();
        Path folderName = absolute.getFileName();
        Walk walk = new Walk();
        try {
            walk.directory(dir, folderName == null ? "" : folderName.toString(), 0);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UdpixException(UdpixException.Kind.INVALID_ITEM, -1, "cannot read " + e.getFile()
                    + " in the folder " + dir + ": permission denied; fix its permissions or send the folders "
                    + "you can read", e);
        } catch (IOException e) {
            throw new UdpixException(UdpixException.Kind.INVALID_ITEM, -1, "cannot read the folder " + dir + ": "
                    + e + "; check that it exists and is readable", e);
        }
        return new Listing(walk.files, walk.skipped);
    }

    /**
     * {@code relative} checked as a wire name for {@code file}: at most 255 bytes of UTF-8 and
     * {@link TreeNames#MAX_DIRECTORY_LEVELS} directories.
     *
     * @throws UdpixException (INVALID_ITEM) naming the file, the limit and the fix
     */
    static String checkedName(Path file, String relative) throws UdpixException {
        int bytes = relative.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > OpenFrame.MAX_NAME_BYTES) {
            throw invalid("the path of " + file + " is " + bytes + " bytes of UTF-8 as a name ('" + relative
                    + "'), over the wire's limit of " + OpenFrame.MAX_NAME_BYTES + "; rename or move it higher in "
                    + "the tree, or send a folder nearer to it");
        }
        long levels = relative.chars().filter(c -> c == '/').count();
        if (levels > TreeNames.MAX_DIRECTORY_LEVELS) {
            throw invalid(file + " is " + levels + " directories deep as '" + relative + "'; receivers keep at most "
                    + TreeNames.MAX_DIRECTORY_LEVELS + "; send a folder nearer to it");
        }
        return relative;
    }

    private static UdpixException invalid(String message) {
        return new UdpixException(UdpixException.Kind.INVALID_ITEM, message);
    }

    /** One walk's state: what it found, within its bounds. */
    private static final class Walk {
        final List<Named> files = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        int entries;

        /** Adds {@code directory}'s entries (sorted by name), whose names start with {@code prefix}. */
        void directory(Path directory, String prefix, int level) throws IOException, UdpixException {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
                for (Path child : stream) {
                    if (++entries > MAX_ENTRIES) {
                        throw invalid("the folder has more than " + MAX_ENTRIES + " entries; send its sub-folders "
                                + "one by one");
                    }
                    children.add(child);
                }
            }
            children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            for (Path child : children) {
                String name = (prefix.isEmpty() ? "" : prefix + "/") + child.getFileName();
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    skipped.add(name + ": cannot read it (" + e.getMessage() + ")");
                    continue;
                }
                if (attributes.isSymbolicLink()) {
                    skipped.add(name + ": a symbolic link, not followed");
                } else if (attributes.isDirectory()) {
                    if (level + 1 > TreeNames.MAX_DIRECTORY_LEVELS) {
                        throw invalid(child + " is more than " + TreeNames.MAX_DIRECTORY_LEVELS + " directories "
                                + "deep; receivers keep at most " + TreeNames.MAX_DIRECTORY_LEVELS
                                + "; send a folder nearer to it");
                    }
                    directory(child, name, level + 1);
                } else if (attributes.isRegularFile()) {
                    if (files.size() >= MAX_FILES) {
                        throw invalid("the folder has more than " + MAX_FILES + " files; send its sub-folders one "
                                + "by one");
                    }
                    files.add(new Named(child, checkedName(child, name)));
                } else {
                    skipped.add(name + ": not a regular file (a device, pipe or socket)");
                }
            }
        }
    }
}
