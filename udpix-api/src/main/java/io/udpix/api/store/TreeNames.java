package io.udpix.api.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a name chosen by a remote sender ({@code photos/2024/cat.jpg}, docs/PROTOCOL.md section 4.4) into a safe
 * path relative to the output directory: each component made safe by {@link SafeNames}' rules (NFC, no control,
 * format or Windows-reserved characters, no leading dots, device names prefixed, at most
 * {@link SafeNames#MAX_NAME_BYTES} bytes), with {@code /} and {@code \} both separators. What could leave the
 * directory is neutralised, not refused: empty, {@code .} and {@code ..} components are dropped (they clean to
 * nothing), so an absolute name or {@code a/../../b} stays inside ({@code a/b}); a drive letter loses its colon
 * ({@code C:x} becomes {@code Cx}). Only a tree deeper than {@link #MAX_DIRECTORY_LEVELS} is refused.
 *
 * <p>Pure string work: safe to call on a driver thread. Whether a directory on disk is a real directory (not a
 * symbolic link, not a file) is checked by {@link OutputStore} on a storage thread.
 */
public final class TreeNames {

    /** Directory levels a stored name may have; a deeper name is refused (a sender's tree, not a maze). */
    public static final int MAX_DIRECTORY_LEVELS = 16;
    /** Components looked at in one name: a 255-byte wire name has at most 128 ({@code a/a/...}). */
    private static final int MAX_COMPONENTS = 256;

    private TreeNames() {
    }

    /**
     * A name split into safe components: {@code directories} (possibly none) and the file's {@code base} name.
     *
     * @param directories safe directory names, outermost first
     * @param base        the file's safe base name
     */
    public record SafePath(List<String> directories, String base) {
        /** Copies the list. */
        public SafePath {
            directories = List.copyOf(directories);
        }

        /** The components joined with {@code /}, e.g. {@code photos/2024/cat.jpg}. */
        public String relative() {
            if (directories.isEmpty()) {
                return base;
            }
            return String.join("/", directories) + "/" + base;
        }

        /** The directory part joined with {@code /}; empty for a name without one. */
        public String directory() {
            return String.join("/", directories);
        }
    }

    /** Thrown for a name that cannot be stored as it is; the message names the cause and the fix. */
    public static final class RefusedNameException extends Exception {
        private static final long serialVersionUID = 1L;

        /** With the reason the sender sees. */
        public RefusedNameException(String reason) {
            super(reason);
        }
    }

    /**
     * The safe path for {@code senderName}; empty when nothing usable is left (the caller then picks a fallback
     * name such as {@code file-7.bin}).
     *
     * @throws RefusedNameException when the name has more than {@link #MAX_DIRECTORY_LEVELS} directory levels
     */
    public static Optional<SafePath> parse(String senderName) throws RefusedNameException {
        if (senderName == null || senderName.isEmpty()) {
            return Optional.empty();
        }
        List<String> components = new ArrayList<>();
        int start = 0;
        int looked = 0;
        for (int i = 0; i <= senderName.length(); i++) {
            if (i == senderName.length() || senderName.charAt(i) == '/' || senderName.charAt(i) == '\\') {
                if (++looked > MAX_COMPONENTS) {
                    break; // cannot happen for a wire name (255 bytes); a bound for any other caller
                }
                String cleaned = SafeNames.cleanComponent(senderName.substring(start, i));
                if (!cleaned.isEmpty()) {
                    components.add(cleaned);
                }
                start = i + 1;
            }
        }
        if (components.isEmpty()) {
            return Optional.empty();
        }
        int levels = components.size() - 1;
        if (levels > MAX_DIRECTORY_LEVELS) {
            throw new RefusedNameException("the name '" + shortened(senderName) + "' has " + levels
                    + " directory levels; this receiver keeps at most " + MAX_DIRECTORY_LEVELS
                    + "; send a flatter tree");
        }
        return Optional.of(new SafePath(components.subList(0, levels), components.get(levels)));
    }

    /**
     * True when {@code relative} is already what {@link #parse} returns for it ({@link SafePath#relative()}):
     * safe components joined with {@code /}, within the depth limit.
     */
    public static boolean isSafe(String relative) {
        if (relative == null || relative.isEmpty()) {
            return false;
        }
        try {
            Optional<SafePath> parsed = parse(relative);
            return parsed.isPresent() && parsed.get().relative().equals(relative);
        } catch (RefusedNameException e) {
            return false;
        }
    }

    /** The base name of a safe relative name (what follows the last {@code /}). */
    static String baseOf(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    /** The directory part of a safe relative name with its trailing {@code /} ({@code ""} for none). */
    static String directoryOf(String relative) {
        return relative.substring(0, relative.lastIndexOf('/') + 1);
    }

    /** The name for a message: at most about 80 characters, control characters shown as '?'. */
    private static String shortened(String name) {
        String text = name.length() <= 80 ? name : name.substring(0, 40) + "..." + name.substring(name.length() - 30);
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
