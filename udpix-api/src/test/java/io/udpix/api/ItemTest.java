package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Items know their kind, media type, size and SHA-256 before anything is sent. */
class ItemTest {
    @TempDir
    Path dir;

    @Test
    void recognisesAnImageFileByItsExtensionOrItsSignature() throws Exception {
        byte[] png = TestData.png(TestData.image(4, 4, 1));
        Path named = Files.write(dir.resolve("a.PNG"), "not really".getBytes(StandardCharsets.UTF_8));
        Path disguised = Files.write(dir.resolve("picture.dat"), png);
        Path plain = Files.write(dir.resolve("notes.txt"), "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(Item.file(named).kind()).isEqualTo(ItemKind.IMAGE);
        assertThat(Item.file(named).mediaType()).isEqualTo("image/png");
        assertThat(Item.file(disguised).kind()).isEqualTo(ItemKind.IMAGE);
        assertThat(Item.file(disguised).mediaType()).isEqualTo("image/png");
        Item text = Item.file(plain);
        assertThat(text.kind()).isEqualTo(ItemKind.FILE);
        assertThat(text.mediaType()).isEqualTo("text/plain");
        assertThat(text.name()).isEqualTo("notes.txt");
        assertThat(text.sizeBytes()).isEqualTo(5);
        assertThat(text.sha256Hex()).isEqualTo(TestData.sha256("hello".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void failsClearlyForAMissingFileOrADirectory() {
        assertThatThrownBy(() -> Item.file(dir.resolve("missing.bin")))
                .isInstanceOfSatisfying(UdpixException.class,
                        e -> assertThat(e.kind()).isEqualTo(UdpixException.Kind.INVALID_ITEM))
                .hasMessageContaining("missing.bin").hasMessageContaining("no such file");
        assertThatThrownBy(() -> Item.file(dir)).hasMessageContaining("is a directory");
    }

    @Test
    void serialisesObjectsAsJsonWithJackson() throws Exception {
        Item item = Item.json(Map.of("n", 3));
        assertThat(item.kind()).isEqualTo(ItemKind.JSON);
        assertThat(item.mediaType()).isEqualTo(MediaTypes.JSON);
        assertThat(item.sha256Hex()).isEqualTo(TestData.sha256("{\"n\":3}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void makesNamesFitTheWireWithoutControlCharactersOrExcessBytes() {
        Item item = Item.bytes(new byte[1], "a\u0000b\nc").withName("x\u007fy" + "\u00e9".repeat(200));
        assertThat(item.name()).startsWith("x_y").doesNotContain("\u007f");
        assertThat(item.name().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(Item.bytes(new byte[1], "a\u0000b").name()).isEqualTo("a_b");
    }

    @Test
    void refusesAMediaTypeTheWireCannotCarry() {
        assertThatThrownBy(() -> Item.bytes(new byte[1], "x").withMediaType("image/\u00e9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("US-ASCII");
    }

    @Test
    void encodesAnImageWithAnAlphaChannelAsJpegByFlatteningIt() {
        java.awt.image.BufferedImage argb = new java.awt.image.BufferedImage(8, 8,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        Item item = Item.image(argb, "jpg");
        assertThat(item.kind()).isEqualTo(ItemKind.IMAGE);
        assertThat(item.mediaType()).isEqualTo("image/jpeg");
        assertThat(item.sizeBytes()).isPositive();
        assertThatThrownBy(() -> Item.image(argb, "nosuchformat")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nosuchformat");
    }

    @Test
    void aSmallFileCarriesItsSha256InTheOpenAndALargeOneHashesWhileSent() throws Exception {
        long seed = TestSeeds.seed(41);
        byte[] small = TestData.randomBytes((int) Item.HASH_FIRST_MAX_BYTES, seed);
        Path smallFile = Files.write(dir.resolve("small.bin"), small);
        Path largeFile = Files.write(dir.resolve("large.bin"), TestData.randomBytes(
                (int) Item.HASH_FIRST_MAX_BYTES + 1, seed));

        var smallRequest = Item.file(smallFile).openRequest();
        var largeRequest = Item.file(largeFile).openRequest();
        try {
            assertThat(Sha256.hex(smallRequest.info().sha256())).as("seed=%d", seed).isEqualTo(TestData.sha256(small));
            assertThat(largeRequest.info().sha256()).as("follows the data in a DIGEST frame").isNull();
        } finally {
            smallRequest.source().close();
            largeRequest.source().close();
        }
    }
}
