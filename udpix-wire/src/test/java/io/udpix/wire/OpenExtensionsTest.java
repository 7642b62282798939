package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenExtensionsTest {

    private static final byte[] SHA = new byte[32];

    /** Every entry a block reports, as text, in order. */
    private static List<String> entries(ByteBuffer buf, int offset) {
        List<String> out = new ArrayList<>();
        OpenExtensions.read(buf, offset, new OpenExtensions.Visitor() {
            @Override
            public void meta(String key, String value) {
                out.add(key + "=" + value);
            }

            @Override
            public void replyWanted() {
                out.add("reply-wanted");
            }

            @Override
            public void replyTo(long transferId) {
                out.add("reply-to " + transferId);
            }

            @Override
            public void resumable() {
                out.add("resumable");
            }
        });
        return out;
    }

    @Test
    void metadataAndFlagsRoundTripThroughAnOpenInOrder() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("camera", "door-2");
        meta.put("site.name", "Zürich Süd");
        meta.put("empty", "");
        byte[] block = OpenExtensions.encode(meta, true, 0xFFFF_FFFFL, true);
        ByteBuffer buf = ByteBuffer.allocate(1200);
        int end = OpenFrame.encode(buf, 3, 7, TransferKind.IMAGE, OpenFrame.FLAG_DIGEST_FOLLOWS, 10, SHA,
                "image/jpeg", "cam/a.jpg", block);

        assertThat(OpenFrame.check(buf, 3, end)).isEqualTo(end - 3);
        OpenFrame f = new OpenFrame().wrap(buf, 3);
        assertThat(f.flags()).isEqualTo(OpenFrame.FLAG_DIGEST_FOLLOWS | OpenFrame.FLAG_EXTENSIONS);
        assertThat(f.hasExtensions()).isTrue();
        assertThat(f.length()).isEqualTo(end - 3);
        assertThat(f.name()).isEqualTo("cam/a.jpg");
        assertThat(entries(buf, f.extensionsOffset())).containsExactly("camera=door-2", "site.name=Zürich Süd",
                "empty=", "reply-wanted", "reply-to 4294967295", "resumable");
        assertThat(OpenExtensions.firstUnknownMustUnderstand(buf, f.extensionsOffset())).isEqualTo(-1);
    }

    @Test
    void nothingToSayMeansNoBlockAndNoFlag() {
        assertThat(OpenExtensions.encode(Map.of(), false, -1, false)).isNull();
        ByteBuffer buf = ByteBuffer.allocate(128);
        int end = OpenFrame.encode(buf, 0, 1, TransferKind.BYTES, OpenFrame.FLAG_EXTENSIONS, 0, SHA, "", "x", null);
        assertThat(new OpenFrame().wrap(buf, 0).flags()).isZero();
        assertThat(end).isEqualTo(OpenFrame.MIN_LENGTH + 1);
    }

    @Test
    void theLargestOpenStillFitsTheMinimumDatagram() {
        Map<String, String> meta = new LinkedHashMap<>();
        // Fill the block as far as the rules allow: entries of a 32-byte key and a value up to the 640-byte cap.
        int used = 0;
        for (int i = 0; used + 3 + 1 + 32 + 100 <= OpenExtensions.MAX_BLOCK_BYTES; i++) {
            meta.put(String.format("k%031d", i), "v".repeat(100));
            used += 3 + 1 + 32 + 100;
        }
        byte[] block = OpenExtensions.encode(meta, false, -1, false);
        int length = OpenFrame.encodedLength("a".repeat(100), "n".repeat(255), block);
        // 16-byte header + 16-byte AEAD tag (docs/PROTOCOL.md section 2) around the frame.
        assertThat(16 + length + 16).isLessThanOrEqualTo(1200);
    }

    @Test
    void refusesKeysAndValuesThatBreakTheRulesNamingTheFix() {
        assertThatThrownBy(() -> OpenExtensions.encode(Map.of("Camera", "x"), false, -1, false))
                .hasMessageContaining("keys use only a-z");
        assertThatThrownBy(() -> OpenExtensions.encode(Map.of("", "x"), false, -1, false))
                .hasMessageContaining("1..32");
        assertThatThrownBy(() -> OpenExtensions.encode(Map.of("k", "a\nb"), false, -1, false))
                .hasMessageContaining("control");
        assertThatThrownBy(() -> OpenExtensions.encode(Map.of("k", "x".repeat(256)), false, -1, false))
                .hasMessageContaining("255");
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            many.put("key" + i, "v".repeat(100));
        }
        assertThatThrownBy(() -> OpenExtensions.encode(many, false, -1, false))
                .hasMessageContaining("longer than 640");
    }

    @Test
    void checkRefusesDuplicateKeysBadLengthsAndEntriesPastTheBlock() {
        byte[] good = OpenExtensions.encode(Map.of("a", "1"), false, 5, false);
        ByteBuffer buf = ByteBuffer.wrap(good.clone());
        assertThat(OpenExtensions.check(buf, 0, good.length)).isEqualTo(good.length);
        assertThat(OpenExtensions.check(buf, 0, good.length - 1)).isEqualTo(-1);

        // The same META entry twice.
        byte[] meta = OpenExtensions.encode(Map.of("a", "1"), false, -1, false);
        int entry = meta.length - 2;
        ByteBuffer twice = ByteBuffer.allocate(2 + 2 * entry);
        twice.putShort(0, (short) (2 * entry));
        twice.put(2, meta, 2, entry).put(2 + entry, meta, 2, entry);
        assertThat(OpenExtensions.check(twice, 0, twice.capacity())).isEqualTo(-1);

        // REPLY_TO with 3 bytes instead of 4; RESUMABLE with a value.
        assertThat(OpenExtensions.check(ByteBuffer.wrap(new byte[] {0, 6, 3, 0, 3, 1, 2, 3}), 0, 8)).isEqualTo(-1);
        assertThat(OpenExtensions.check(ByteBuffer.wrap(new byte[] {0, 4, 4, 0, 1, 9}), 0, 6)).isEqualTo(-1);
        // A block length above 640.
        ByteBuffer big = ByteBuffer.allocate(2 + 641);
        big.putShort(0, (short) 641);
        assertThat(OpenExtensions.check(big, 0, big.capacity())).isEqualTo(-1);
        // An OPEN whose flag promises a block that is not there.
        ByteBuffer open = ByteBuffer.allocate(64);
        int end = OpenFrame.encode(open, 0, 1, TransferKind.BYTES, 0, 0, SHA, "", "x");
        new OpenFrame().wrap(open, 0).flags(OpenFrame.FLAG_EXTENSIONS);
        assertThat(OpenFrame.check(open, 0, end)).isEqualTo(-1);
    }

    @Test
    void encodingAnOpenRefusesABlockWhoseLengthPrefixDoesNotMatchIt() {
        byte[] block = OpenExtensions.encode(Map.of("a", "1"), false, -1, false);
        byte[] cut = java.util.Arrays.copyOf(block, block.length - 1);
        assertThatThrownBy(() -> OpenFrame.encode(ByteBuffer.allocate(256), 0, 1, TransferKind.BYTES, 0, 0, SHA,
                "", "x", cut)).hasMessageContaining("length prefix");
        assertThatThrownBy(() -> OpenFrame.encode(ByteBuffer.allocate(256), 0, 1, TransferKind.BYTES, 0, 0, SHA,
                "", "x", new byte[1])).hasMessageContaining("length prefix");
    }

    @Test
    void unknownTypesAreSkippedAndMustUnderstandOnesAreFound() {
        // type 0x40 (unknown, skippable) with 2 bytes, then type 0x81 (must understand), empty.
        ByteBuffer buf = ByteBuffer.wrap(new byte[] {0, 8, 0x40, 0, 2, 9, 9, (byte) 0x81, 0, 0});
        assertThat(OpenExtensions.check(buf, 0, 10)).isEqualTo(10);
        assertThat(entries(buf, 0)).isEmpty();
        assertThat(OpenExtensions.firstUnknownMustUnderstand(buf, 0)).isEqualTo(0x81);
    }
}
