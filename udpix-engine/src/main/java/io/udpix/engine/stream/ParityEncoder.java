package io.udpix.engine.stream;

import java.nio.ByteBuffer;

/**
 * Column parity for one group of a frame (docs/PROTOCOL.md section 4.15, PARITY): the XOR of fragments
 * {@code {i : i mod G == g}}, each zero-padded to F bytes, so a group missing exactly one fragment gets it back
 * ({@link FrameAssembly}). G consecutive losses hit G different groups, so a burst or a lost GSO batch up to G
 * packets long is recoverable (cf. SRT's packet filter FEC columns). The parity is written straight into the
 * caller's packet buffer: nothing is allocated.
 */
public final class ParityEncoder {
    private ParityEncoder() {
    }

    /**
     * Writes the F parity bytes of group {@code group} (stride {@code stride}) of {@code frame} at absolute index
     * {@code outIndex} of {@code out} (its position and limit are not touched). Throws IllegalArgumentException
     * for a layout that cannot be (see {@link FrameLayout#problem}) or a stride/group out of range, and
     * IndexOutOfBoundsException when F bytes do not fit at {@code outIndex}.
     */
    public static void encode(byte[] frame, int fragmentSizeBytes, int stride, int group, ByteBuffer out,
            int outIndex) {
        encode(frame, 0, frame.length, fragmentSizeBytes, stride, group, out, outIndex);
    }

    /** As {@link #encode(byte[], int, int, int, ByteBuffer, int)} for a frame at {@code frame[offset..+length)}. */
    public static void encode(byte[] frame, int offset, int frameLengthBytes, int fragmentSizeBytes, int stride,
            int group, ByteBuffer out, int outIndex) {
        java.util.Objects.checkFromIndexSize(offset, frameLengthBytes, frame.length);
        int count = FrameLayout.fragmentCount(frameLengthBytes, fragmentSizeBytes);
        FrameLayout.groupFragmentCount(count, stride, group); // validates stride and group
        java.util.Objects.checkFromIndexSize(outIndex, fragmentSizeBytes, out.limit());
        Xor.zero(out, outIndex, fragmentSizeBytes);
        for (int i = group; i < count; i += stride) {
            int length = FrameLayout.lengthUnchecked(frameLengthBytes, fragmentSizeBytes, i);
            Xor.into(frame, offset + i * fragmentSizeBytes, out, outIndex, length);
        }
    }
}
