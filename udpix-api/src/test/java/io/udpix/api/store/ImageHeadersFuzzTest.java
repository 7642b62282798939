package io.udpix.api.store;

import io.udpix.api.ImageInfo;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Jazzer target for the image header reader {@link ImageHeaders} (docs/FUZZING.md): any bytes, in memory and in a
 * file. It never throws, answers within a time bound, reports only positive sizes, gives the same answer for the
 * bytes and for a file holding them, and a PNG size it reports is one the JDK's PNG reader reads too (the PNG
 * header is fixed, so the two must agree; JPEG and GIF headers are left to ImageIO when not recognised, and the
 * JDK's GIF reader reports the first frame's size where ImageHeaders reports the logical screen's).
 */
class ImageHeadersFuzzTest {
    /** Generous: a read walks at most 4,096 JPEG segments; this only catches a loop that forgot its bound. */
    static final long MAX_READ_NS = 2_000_000_000L;

    private static final Path FILE = createFile();

    @FuzzTest(maxDuration = "10s")
    void anyBytesGiveAPositiveSizeOrNothingAndTheSameAnswerFromAFile(byte[] input) throws IOException {
        long startNs = System.nanoTime();
        Optional<ImageInfo> fromBytes = ImageHeaders.read(input);
        assertThat(System.nanoTime() - startNs).as("read time in ns").isLessThan(MAX_READ_NS);
        fromBytes.ifPresent(info -> {
            assertThat(info.width()).as("width").isPositive();
            assertThat(info.height()).as("height").isPositive();
            assertThat(info.format()).isIn("png", "jpeg", "gif");
        });

        Files.write(FILE, input);
        assertThat(ImageHeaders.read(FILE)).as("the answer for a file of the same bytes").isEqualTo(fromBytes);

        if (fromBytes.isPresent() && fromBytes.get().format().equals("png")) {
            assertThat(jdkPngHeaderSize(input)).as("the JDK PNG reader's size").contains(
                    fromBytes.get().width() + "x" + fromBytes.get().height());
        }
    }

    /** Width x height from the JDK's PNG reader's header parse, or empty when it rejects the header. */
    private static Optional<String> jdkPngHeaderSize(byte[] bytes) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            return Optional.of(reader.getWidth(0) + "x" + reader.getHeight(0));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            reader.dispose();
        }
    }

    private static Path createFile() {
        try {
            // tmpfs where there is one: a write per input to a disk-backed /tmp cut 70,000 exec/s to 270.
            Path shm = Path.of("/dev/shm");
            Path file = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempFile(shm, "udpix-image-fuzz", ".bin")
                    : Files.createTempFile("udpix-image-fuzz", ".bin");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
