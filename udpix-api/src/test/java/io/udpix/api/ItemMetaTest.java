package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Item metadata follows the wire's META rules, with errors that name the fix, and keeps its order. */
class ItemMetaTest {
    private static final Item ITEM = Item.bytes("x".getBytes(StandardCharsets.UTF_8), "x.bin");

    @Test
    void keepsEntriesInTheOrderAddedAndReplacesAKeyInPlace() {
        Item item = ITEM.withMeta("camera", "door-2").withMeta("site.zone", "north").withMeta("camera", "door-3");

        assertThat(item.meta()).containsExactly(java.util.Map.entry("camera", "door-3"),
                java.util.Map.entry("site.zone", "north"));
        assertThat(ITEM.meta()).as("the original item is unchanged").isEmpty();
        assertThat(item.withName("y.bin").meta()).isEqualTo(item.meta());
        assertThatThrownBy(() -> item.meta().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesKeysOutsideLowerCaseLettersDigitsDotUnderscoreAndDashNamingTheCharacter() {
        assertThatThrownBy(() -> ITEM.withMeta("Camera", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'C' at index 0").hasMessageContaining("a-z 0-9 . _ -");
        assertThatThrownBy(() -> ITEM.withMeta("", "x")).hasMessageContaining("1..32");
        assertThatThrownBy(() -> ITEM.withMeta("k".repeat(33), "x")).hasMessageContaining("1..32");
        assertThatThrownBy(() -> ITEM.withMeta("a b", "x")).hasMessageContaining("' ' at index 1");
        assertThat(ITEM.withMeta("k".repeat(32), "x").meta()).hasSize(1);
    }

    @Test
    void keepsTheUdpixPrefixForItsOwnReplyStatus() {
        assertThatThrownBy(() -> ITEM.withMeta("udpix.status", "ok")).hasMessageContaining("udpix keeps for itself");
    }

    @Test
    void refusesControlCharactersUnpairedSurrogatesAndValuesOver255Utf8Bytes() {
        assertThatThrownBy(() -> ITEM.withMeta("k", "a\nb")).hasMessageContaining("control character U+000A");
        assertThatThrownBy(() -> ITEM.withMeta("k", "a\u0085")).hasMessageContaining("U+0085");
        assertThatThrownBy(() -> ITEM.withMeta("k", "a\ud800b")).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> ITEM.withMeta("k", null)).hasMessageContaining("null");
        // 128 two-byte characters: 256 bytes.
        assertThatThrownBy(() -> ITEM.withMeta("k", "é".repeat(128))).hasMessageContaining("256 bytes");
        assertThat(ITEM.withMeta("k", "é".repeat(127) + "a").meta().get("k")).hasSize(128);
        assertThat(ITEM.withMeta("k", "\ud83d\ude00 ok").meta()).containsEntry("k", "\ud83d\ude00 ok");
        assertThat(ITEM.withMeta("k", "").meta()).containsEntry("k", "");
    }

    @Test
    void refusesMoreMetadataThanAnOpenCarriesBesideUdpixsOwnEntries() {
        Item item = ITEM;
        for (int i = 0; i < 21; i++) {
            item = item.withMeta("k" + i, "v");
        }
        Item full = item;
        assertThatThrownBy(() -> full.withMeta("k21", "v")).hasMessageContaining("at most 21 entries")
                .hasMessageContaining("send the rest as a JSON item");
        Item big = ITEM.withMeta("a", "x".repeat(255)).withMeta("b", "x".repeat(255));
        // 2 x (4 + 1 + 255) = 520 bytes; a third of 104 would pass 624.
        assertThatThrownBy(() -> big.withMeta("c", "x".repeat(100))).hasMessageContaining("624 bytes");
    }
}
