package io.udpix.api.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * {@code --source DIR}: the images in a folder in name order (plain string order of the file names, so number them
 * with leading zeros: frame-0001.jpg), looping; the folder is listed again at the start of every pass, so files
 * added or removed take effect on the next loop. JPEGs (recognised by their first bytes, FF D8 FF) are passed on as
 * the bytes they are, never re-encoded unless asked ({@code reencode}); other images (PNG, BMP, GIF, WebP) are
 * decoded into pixels for the caller to encode. A file that vanished, is larger than the frame limit or cannot be
 * decoded is skipped and counted; when a whole pass yields nothing, {@link #next()} fails with the reason.
 */
public final class DirectorySource implements FrameSource {
    /** Extensions taken (any case); other files in the folder are ignored. */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "jfif", "png", "bmp", "gif", "webp");
    /** The most images one folder may hold: the listing is kept in memory. */
    public static final int MAX_FILES = 100_000;

    private final Path dir;
    private final boolean reencode;
    private final int maxFileBytes;
    private List<Path> files = List.of();
    private int index;
    private long frames;
    private long passes;
    private long skippedFiles;
    private String lastProblem = "";
    private JpegCodec decoder;
    private boolean closed;

    /** JPEGs passed through, other images decoded; files up to {@code MjpegSource.DEFAULT_MAX_FRAME_BYTES}. */
    public DirectorySource(Path dir) throws IOException {
        this(dir, false, MjpegSource.DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * Images from {@code dir}; with {@code reencode} JPEGs are decoded too (so the caller re-encodes them at its
     * quality and size); files over {@code maxFileBytes} are skipped.
     *
     * @throws IOException when {@code dir} is not a readable folder with at least one image
     */
    public DirectorySource(Path dir, boolean reencode, int maxFileBytes) throws IOException {
        this.dir = dir;
        this.reencode = reencode;
        this.maxFileBytes = maxFileBytes;
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a folder; --source takes pattern, screen, - (MJPEG on standard "
                    + "input) or a folder of images");
        }
        relist();
    }

    private void relist() throws IOException {
        List<Path> listed = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (name.startsWith(".") || dot < 0
                        || !EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                    continue;
                }
                if (listed.size() == MAX_FILES) {
                    throw new IOException(dir + " holds more than " + MAX_FILES + " images; point --source at a "
                            + "folder with fewer");
                }
                listed.add(p);
            }
        }
        if (listed.isEmpty()) {
            throw new IOException("no images in " + dir + " (looked for ." + String.join(", .",
                    EXTENSIONS.stream().sorted().toList()) + ")");
        }
        listed.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        files = listed;
        index = 0;
        passes++;
    }

    /**
     * The next image in name order (after the last, the folder is listed again and the first comes next).
     *
     * @throws IOException when the folder has no images any more, or none of them could be read in a whole pass
     */
    @Override
    public SourceFrame next() throws IOException {
        if (closed) {
            throw new IOException("the folder source (" + dir + ") is closed");
        }
        // At most one whole pass of failures (plus a relist) before giving up: never an endless loop.
        int attempts = 0;
        while (true) {
            if (index >= files.size()) {
                relist();
            }
            if (attempts >= files.size()) {
                throw new IOException("none of the " + files.size() + " images in " + dir + " could be read; last: "
                        + lastProblem);
            }
            attempts++;
            Path file = files.get(index++);
            SourceFrame frame = read(file);
            if (frame != null) {
                frames++;
                return frame;
            }
            skippedFiles++;
        }
    }

    private SourceFrame read(Path file) throws IOException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > maxFileBytes) {
                lastProblem = file.getFileName() + " is " + size + " bytes, over the " + maxFileBytes
                        + "-byte frame limit";
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            lastProblem = file.getFileName() + " was removed";
            return null;
        }
        long captureNs = System.nanoTime();
        long captureEpochMs = System.currentTimeMillis();
        boolean jpeg = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8
                && (bytes[2] & 0xFF) == 0xFF;
        if (jpeg && !reencode) {
            return SourceFrame.ofJpeg(bytes, captureNs, captureEpochMs);
        }
        BufferedImage image;
        try {
            if (jpeg) {
                if (decoder == null) {
                    decoder = JpegCodec.create();
                }
                image = decoder.decode(bytes);
            } else {
                image = ImageIO.read(new ByteArrayInputStream(bytes));
            }
        } catch (IOException | RuntimeException e) {
            lastProblem = file.getFileName() + " could not be decoded: " + e.getMessage();
            return null;
        }
        if (image == null) {
            lastProblem = file.getFileName() + " is not an image ImageIO reads";
            return null;
        }
        return SourceFrame.ofImage(image, captureNs, captureEpochMs);
    }

    /** Images returned so far. */
    public long frames() {
        return frames;
    }

    /** Times the folder has been listed (1 during the first pass, 2 once it loops...). */
    public long passes() {
        return passes;
    }

    /** Files skipped (vanished, too large, undecodable). */
    public long skippedFiles() {
        return skippedFiles;
    }

    /** Why the last file was skipped, or "". */
    public String lastProblem() {
        return lastProblem;
    }

    @Override
    public String description() {
        return "folder " + dir + " (" + files.size() + " images" + (reencode ? ", re-encoded" : "") + ")";
    }

    @Override
    public void close() {
        closed = true;
        if (decoder != null) {
            decoder.close();
        }
    }
}
