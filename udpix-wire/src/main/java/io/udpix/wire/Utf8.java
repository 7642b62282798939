package io.udpix.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text rules shared by the frames that carry strings (OPEN media type and name, RESULT/CANCEL/CLOSE reasons).
 *
 * <p>Validation is allocation-free: bytes are copied into a per-thread 255-byte scratch array (every string field
 * has a u8 length) and decoded there by a reused strict {@link CharsetDecoder}; the JDK's UTF-8 decoder with
 * {@link CodingErrorAction#REPORT} rejects overlong forms, surrogates and code points above U+10FFFF.
 */
final class Utf8 {

    /** Longest string field: every string has a u8 length prefix. */
    static final int MAX_FIELD_BYTES = 255;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers so that validation allocates nothing (CharsetDecoder is not thread-safe). */
    private static final class Scratch {
        final byte[] bytes = new byte[MAX_FIELD_BYTES];
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        final CharBuffer out = CharBuffer.allocate(MAX_FIELD_BYTES);
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private Utf8() {
    }

    /** True for the bytes/chars this protocol forbids in text: C0 controls U+0000-U+001F and DEL U+007F. */
    static boolean isControl(int c) {
        return c < 0x20 || c == 0x7F;
    }

    /**
     * True when {@code buf[from, from + lengthBytes)} is strict UTF-8 without control characters. Callers have
     * already bounds-checked the range and {@code lengthBytes <= 255}.
     */
    static boolean isCleanText(ByteBuffer buf, int from, int lengthBytes) {
        boolean ascii = true;
        for (int i = 0; i < lengthBytes; i++) {
            int b = buf.get(from + i) & 0xFF;
            // Bytes below 0x80 never occur inside a multi-byte UTF-8 sequence, so a byte scan finds every control.
            if (isControl(b)) {
                return false;
            }
            ascii &= b < 0x80;
        }
        if (ascii) {
            return true;
        }
        Scratch s = SCRATCH.get();
        buf.get(from, s.bytes, 0, lengthBytes);
        s.in.clear().limit(lengthBytes);
        s.out.clear();
        s.decoder.reset();
        CoderResult result = s.decoder.decode(s.in, s.out, true);
        if (!result.isUnderflow() || s.in.hasRemaining()) {
            return false;
        }
        return s.decoder.flush(s.out).isUnderflow();
    }

    /** True when {@code buf[from, from + lengthBytes)} is printable US-ASCII (0x20-0x7E). */
    static boolean isPrintableAscii(ByteBuffer buf, int from, int lengthBytes) {
        for (int i = 0; i < lengthBytes; i++) {
            int b = buf.get(from + i) & 0xFF;
            if (b < 0x20 || b > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Decodes {@code buf[from, from + lengthBytes)} as UTF-8 (allocates; malformed input becomes U+FFFD). */
    static String decode(ByteBuffer buf, int from, int lengthBytes) {
        byte[] bytes = new byte[lengthBytes];
        buf.get(from, bytes, 0, lengthBytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Encodes a name strictly: IllegalArgumentException when it has an unpaired surrogate, a control character
     * or more than {@code maxBytes} bytes of UTF-8.
     */
    static byte[] encodeStrict(String field, String text, int maxBytes) {
        if (text == null) {
            throw new IllegalArgumentException(field + " is null; pass \"\" for none");
        }
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                throw new IllegalArgumentException(field + " contains control character U+"
                        + String.format("%04X", (int) text.charAt(i)) + " at index " + i + "; remove it");
            }
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(CharBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(field + " is not valid Unicode (unpaired surrogate); fix the string", e);
        }
        if (encoded.remaining() > maxBytes) {
            throw new IllegalArgumentException(field + " is " + encoded.remaining() + " bytes of UTF-8, more than "
                    + maxBytes + "; shorten it");
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    /**
     * Encodes a human-readable reason leniently, because reasons are often exception messages: null becomes "",
     * control characters (newlines, tabs) become spaces, unpaired surrogates become '?', and the result is cut to
     * at most 255 bytes at a UTF-8 character boundary. Never throws.
     */
    static byte[] encodeReason(String reason) {
        if (reason == null || reason.isEmpty()) {
            return new byte[0];
        }
        // A reason longer than 255 chars cannot fit anyway (every char is at least one byte): cut early so that
        // a megabyte-long message does not cost a megabyte of encoding.
        String text = reason.length() > MAX_FIELD_BYTES ? reason.substring(0, MAX_FIELD_BYTES + 1) : reason;
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (isControl(chars[i])) {
                chars[i] = ' ';
            }
        }
        byte[] bytes = new String(chars).getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_FIELD_BYTES) {
            return bytes;
        }
        int cut = MAX_FIELD_BYTES;
        // Back off over continuation bytes (10xxxxxx) so the cut lands on the first byte of a character.
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
            cut--;
        }
        byte[] truncated = new byte[cut];
        System.arraycopy(bytes, 0, truncated, 0, cut);
        return truncated;
    }
}
