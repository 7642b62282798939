package io.udpix.api.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySourceTest {
    @TempDir
    Path dir;

    @Test
    void givesTheImagesInNameOrderAndLoops() throws IOException {
        byte[] a = TestJpegs.jpeg(64, 48, 1);
        byte[] b = TestJpegs.jpeg(80, 60, 2);
        Files.write(dir.resolve("frame-002.jpg"), b);
        Files.write(dir.resolve("frame-001.JPG"), a);
        ImageIO.write(TestJpegs.picture(30, 20, 3), "png", dir.resolve("frame-003.png").toFile());
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Files.write(dir.resolve(".hidden.jpg"), a);

        try (DirectorySource source = new DirectorySource(dir)) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                SourceFrame f = source.next();
                seen.add(f.isEncoded() ? "jpeg:" + f.width() : "image:" + f.width());
                if (f.isEncoded()) {
                    assertThat(f.jpeg()).as("a JPEG is passed through byte for byte")
                            .isEqualTo(f.width() == 64 ? a : b);
                }
            }
            assertThat(seen).containsExactly("jpeg:64", "jpeg:80", "image:30", "jpeg:64", "jpeg:80", "image:30",
                    "jpeg:64");
            assertThat(source.passes()).isEqualTo(3);
            assertThat(source.skippedFiles()).isZero();
            assertThat(source.description()).contains("3 images");
        }
    }

    @Test
    void decodesJpegsOnlyWhenAskedToReencode() throws IOException {
        Files.write(dir.resolve("a.jpg"), TestJpegs.jpeg(64, 48, 4));
        try (DirectorySource source = new DirectorySource(dir, true, 1 << 20)) {
            SourceFrame f = source.next();
            assertThat(f.isEncoded()).isFalse();
            BufferedImage image = f.image();
            assertThat(image.getWidth()).isEqualTo(64);
            assertThat(image.getHeight()).isEqualTo(48);
        }
    }

    @Test
    void skipsAndCountsFilesItCannotUseAndPicksUpChangesOnTheNextPass() throws IOException {
        byte[] good = TestJpegs.jpeg(64, 48, 5);
        Files.write(dir.resolve("1.jpg"), good);
        Files.write(dir.resolve("2.png"), new byte[] {1, 2, 3});              // not a PNG at all
        Files.write(dir.resolve("3.jpg"), TestJpegs.jpeg(400, 300, 6));       // over the limit below
        try (DirectorySource source = new DirectorySource(dir, false, good.length)) {
            assertThat(source.next().jpeg()).isEqualTo(good);
            assertThat(source.next().jpeg()).as("2 and 3 skipped, back to 1").isEqualTo(good);
            assertThat(source.skippedFiles()).isEqualTo(2);
            assertThat(source.lastProblem()).contains("3.jpg").contains("frame limit");
            byte[] added = TestJpegs.jpeg(32, 24, 7);
            Files.write(dir.resolve("0.jpg"), added);
            Files.delete(dir.resolve("2.png"));
            // Rest of this pass: 3.jpg (skipped); the next pass lists again: 0, 1, ...
            assertThat(source.next().jpeg()).isEqualTo(added);
            assertThat(source.next().jpeg()).isEqualTo(good);
        }
    }

    @Test
    void failsClearlyWhenNoImageCanBeRead() throws IOException {
        assertThatThrownBy(() -> new DirectorySource(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("no images in").hasMessageContaining(".jpg");
        assertThatThrownBy(() -> new DirectorySource(dir.resolve("missing"))).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a folder");
        Files.write(dir.resolve("a.png"), new byte[] {9, 9, 9});
        Files.write(dir.resolve("b.gif"), new byte[] {8, 8, 8});
        try (DirectorySource source = new DirectorySource(dir)) {
            assertThatThrownBy(source::next).isInstanceOf(IOException.class)
                    .hasMessageContaining("none of the 2 images").hasMessageContaining("b.gif");
        }
    }
}
