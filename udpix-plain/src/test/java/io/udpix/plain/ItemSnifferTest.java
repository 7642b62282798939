package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ItemSnifferTest {
    private final long seed = TestSeeds.seed();
    private final Random random = new Random(seed);

    @Test
    void recognisesImagesWrittenByImageIoBySignature() {
        for (String format : new String[] {"png", "jpg", "gif", "bmp"}) {
            byte[] image = TestImages.noise(format, 8, 8, random);
            assertThat(ItemSniffer.imageExtension(image)).as(format + " seed=" + seed).isEqualTo(format);
        }
        assertThat(ItemSniffer.imageExtension(TestImages.webpLike(64, random))).isEqualTo("webp");
    }

    @Test
    void neverTakesALengthHeaderForAnImage() {
        // These 8-byte little-endian headers start with the BMP and JPEG signatures.
        assertThat(ItemSniffer.imageExtension(PlainHeaderFormat.DEFAULT.encode(19_778))).isNull();
        assertThat(ItemSniffer.imageExtension(PlainHeaderFormat.DEFAULT.encode(0xFFD8FF))).isNull();
    }

    @Test
    void refusesTextThatMerelyStartsWithBm() {
        byte[] text = "BMW and other cars, a long enough line of text".getBytes(StandardCharsets.US_ASCII);
        assertThat(ItemSniffer.imageExtension(text)).isNull();
    }

    @Test
    void acceptsJsonObjectsAndArraysOnly() {
        assertThat(json("{\"a\": [1, 2, {\"b\": null}]}")).isTrue();
        assertThat(json("  [1, \"two\", 3.0]\n")).isTrue();
        assertThat(json("{\"name\": \"\u65e5\u672c \u00e9\"}")).isTrue();
        assertThat(json("1234")).isFalse();
        assertThat(json("\"text\"")).isFalse();
        assertThat(json("true")).isFalse();
        assertThat(json("null")).isFalse();
    }

    @Test
    void refusesMalformedOrTrailingJson() {
        assertThat(json("{\"a\": 1")).isFalse();
        assertThat(json("{} {}")).isFalse();
        assertThat(json("[1] x")).isFalse();
        assertThat(json("{'a': 1}")).isFalse();
        assertThat(json("[NaN]")).isFalse();
        assertThat(json("[1, /* c */ 2]")).isFalse();
    }

    @Test
    void refusesJsonWithInvalidUtf8() {
        byte[] overlong = {'[', '"', (byte) 0xC0, (byte) 0xAF, '"', ']'};
        byte[] surrogate = {'[', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']'};
        byte[] truncated = {'[', '"', (byte) 0xE6, (byte) 0x97, '"', ']'};
        byte[] latin1 = {'[', '"', (byte) 0xE9, '"', ']'};
        assertThat(ItemSniffer.isJsonDocument(overlong)).isFalse();
        assertThat(ItemSniffer.isJsonDocument(surrogate)).isFalse();
        assertThat(ItemSniffer.isJsonDocument(truncated)).isFalse();
        assertThat(ItemSniffer.isJsonDocument(latin1)).isFalse();
    }

    @Test
    void neverTakesAnEightByteHeaderForJsonWhateverTheLength() {
        for (int i = 0; i < 10_000; i++) {
            long n = 1 + (random.nextLong() & ((1L << 30) - 1));
            assertThat(ItemSniffer.isJsonDocument(PlainHeaderFormat.DEFAULT.encode(n))).as("n=%d seed=%d", n, seed)
                    .isFalse();
        }
    }

    @Test
    void namesAnUnknownItemBin() {
        assertThat(ItemSniffer.extensionOf(new byte[] {1, 2, 3}, 0, 3)).isEqualTo("bin");
        byte[] json = "[1,2]".getBytes(StandardCharsets.US_ASCII);
        assertThat(ItemSniffer.extensionOf(json, 0, json.length)).isEqualTo("json");
    }

    private static boolean json(String text) {
        return ItemSniffer.isJsonDocument(text.getBytes(StandardCharsets.UTF_8));
    }
}
