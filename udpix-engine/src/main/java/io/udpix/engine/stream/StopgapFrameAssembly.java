package io.udpix.engine.stream;

import java.nio.ByteBuffer;

/**
 * STOPGAP until helper "fec"'s {@code FrameAssembly} is in main (same method names, so the switch is a rename): one
 * frame's buffer on the receiver, fragments copied into place, column parity kept and a column with one fragment
 * missing rebuilt (docs/PROTOCOL.md sections 4.13, 4.14).
 */
final class StopgapFrameAssembly {
    private final int frameLengthBytes;
    private final int fragmentSizeBytes;
    private final int count;
    private final byte[] data;
    private final boolean[] present;
    private int presentCount;
    private int stride;
    private byte[] parity;
    private boolean[] parityPresent;
    private int recovered;
    private long receivedDataBytes;
    private long receivedParityBytes;

    StopgapFrameAssembly(long frameLengthBytes, int fragmentSizeBytes) {
        this.frameLengthBytes = (int) frameLengthBytes;
        this.fragmentSizeBytes = fragmentSizeBytes;
        this.count = (int) ((frameLengthBytes + fragmentSizeBytes - 1) / fragmentSizeBytes);
        this.data = new byte[this.frameLengthBytes];
        this.present = new boolean[count];
    }

    static long maxFootprintBytes(long frameLengthBytes, int fragmentSizeBytes) {
        return 2 * frameLengthBytes + 256;
    }

    boolean hasLayout(long frameLengthBytes, int fragmentSizeBytes) {
        return frameLengthBytes == this.frameLengthBytes && fragmentSizeBytes == this.fragmentSizeBytes;
    }

    private int length(int index) {
        return Math.min(fragmentSizeBytes, frameLengthBytes - index * fragmentSizeBytes);
    }

    boolean addFragment(long frameLengthBytes, int fragmentSizeBytes, int index, ByteBuffer src, int offset,
            int length) {
        if (!hasLayout(frameLengthBytes, fragmentSizeBytes) || index < 0 || index >= count || length != length(index)
                || present[index]) {
            return false;
        }
        src.get(offset, data, index * fragmentSizeBytes, length);
        present[index] = true;
        presentCount++;
        receivedDataBytes += length;
        tryRecover(stride == 0 ? -1 : index % stride);
        return true;
    }

    boolean addParity(long frameLengthBytes, int fragmentSizeBytes, int stride, int group, ByteBuffer src,
            int offset, int length) {
        if (!hasLayout(frameLengthBytes, fragmentSizeBytes) || stride < 1 || stride > count || group < 0
                || group >= stride || (this.stride != 0 && stride != this.stride) || length != fragmentSizeBytes) {
            return false;
        }
        if (this.stride == 0) {
            this.stride = stride;
            parity = new byte[stride * fragmentSizeBytes];
            parityPresent = new boolean[stride];
        }
        if (parityPresent[group]) {
            return false;
        }
        src.get(offset, parity, group * fragmentSizeBytes, length);
        parityPresent[group] = true;
        receivedParityBytes += length;
        tryRecover(group);
        return true;
    }

    private void tryRecover(int group) {
        if (group < 0 || !parityPresent[group]) {
            return;
        }
        int missing = -1;
        for (int i = group; i < count; i += stride) {
            if (!present[i]) {
                if (missing >= 0) {
                    return;
                }
                missing = i;
            }
        }
        if (missing < 0) {
            return;
        }
        int len = length(missing);
        int target = missing * fragmentSizeBytes;
        System.arraycopy(parity, group * fragmentSizeBytes, data, target, len);
        for (int i = group; i < count; i += stride) {
            if (i != missing) {
                int other = Math.min(length(i), len);
                for (int k = 0; k < other; k++) {
                    data[target + k] ^= data[i * fragmentSizeBytes + k];
                }
            }
        }
        present[missing] = true;
        presentCount++;
        recovered++;
    }

    boolean isComplete() {
        return presentCount == count;
    }

    byte[] bytes() {
        if (!isComplete()) {
            throw new IllegalStateException("frame not complete");
        }
        return data;
    }

    boolean fecUsed() {
        return recovered > 0;
    }

    long receivedDataBytes() {
        return receivedDataBytes;
    }

    long receivedParityBytes() {
        return receivedParityBytes;
    }

    long receivedBytes() {
        return receivedDataBytes + receivedParityBytes;
    }

    int stride() {
        return stride;
    }

    long footprintBytes() {
        return frameLengthBytes + (parity == null ? 0 : parity.length) + 256 + count;
    }
}
