package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageReencoderTest {

    @TempDir
    Path temp;

    @Test
    void shrinksTheLongerSideAndKeepsTheAspectRatio() {
        BufferedImage wide = new BufferedImage(1000, 250, BufferedImage.TYPE_INT_RGB);
        BufferedImage tall = new BufferedImage(300, 1200, BufferedImage.TYPE_INT_ARGB);

        BufferedImage shrunkWide = ImageReencoder.shrink(wide, 100);
        BufferedImage shrunkTall = ImageReencoder.shrink(tall, 400);

        assertThat(shrunkWide.getWidth()).isEqualTo(100);
        assertThat(shrunkWide.getHeight()).isEqualTo(25);
        assertThat(shrunkTall.getWidth()).isEqualTo(100);
        assertThat(shrunkTall.getHeight()).isEqualTo(400);
        assertThat(shrunkTall.getColorModel().hasAlpha()).isTrue();
    }

    @Test
    void neverEnlarges() {
        BufferedImage small = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);

        assertThat(ImageReencoder.shrink(small, 640)).isSameAs(small);
    }

    @Test
    void qualityMakesAJpegNamedJpgAndLowerQualityMakesFewerBytes() throws Exception {
        Path png = TestFiles.imageFile(temp, "scene.png", 300, 200, new SplittableRandom(TestSeeds.seed(8)));

        ImageReencoder.Encoded best = ImageReencoder.reencode(png, null, 95).orElseThrow();
        ImageReencoder.Encoded worst = ImageReencoder.reencode(png, null, 10).orElseThrow();

        assertThat(best.name()).isEqualTo("scene.jpg");
        assertThat(best.format()).isEqualTo("jpeg");
        assertThat(worst.bytes().length).isLessThan(best.bytes().length);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(worst.bytes()));
        assertThat(decoded.getWidth()).isEqualTo(300);
        assertThat(decoded.getHeight()).isEqualTo(200);
    }

    @Test
    void resizeAloneKeepsALosslessFormat() throws Exception {
        Path png = TestFiles.imageFile(temp, "scene.png", 300, 200, new SplittableRandom(TestSeeds.seed(9)));

        ImageReencoder.Encoded encoded = ImageReencoder.reencode(png, 150, null).orElseThrow();

        assertThat(encoded.name()).isEqualTo("scene.png");
        assertThat(encoded.format()).isEqualTo("png");
        assertThat(encoded.width()).isEqualTo(150);
        assertThat(encoded.height()).isEqualTo(100);
    }

    @Test
    void leavesFilesThatAreNotImagesAlone() throws Exception {
        Path text = Files.writeString(temp.resolve("notes.txt"), "not an image at all");

        assertThat(ImageReencoder.reencode(text, 100, 50)).isEmpty();
    }

    @Test
    void renamesOnlyWhenTheFormatChanges() {
        assertThat(ImageReencoder.renamed(Path.of("a.jpeg"), "jpeg")).isEqualTo("a.jpeg");
        assertThat(ImageReencoder.renamed(Path.of("a.JPG"), "jpeg")).isEqualTo("a.JPG");
        assertThat(ImageReencoder.renamed(Path.of("a.png"), "jpeg")).isEqualTo("a.jpg");
        assertThat(ImageReencoder.renamed(Path.of("archive.tar.webp"), "png")).isEqualTo("archive.tar.png");
        assertThat(ImageReencoder.renamed(Path.of("noext"), "png")).isEqualTo("noext.png");
    }
}
