package io.udpix.engine.stream;

/**
 * How a frame of L bytes is cut into fragments of F bytes (docs/PROTOCOL.md section 4.14, FRAGMENT): fragment i
 * covers frame bytes {@code [i*F, min((i+1)*F, L))}, there are {@code ceil(L/F)} of them, at most 65,536 (the
 * fragment index is a u16). Parity groups use a stride G: group g holds the fragments {@code i} with
 * {@code i mod G == g} (section 4.15, PARITY). Stateless and allocation-free.
 */
public final class FrameLayout {
    /** Most fragments a frame may have: the fragment index is a u16. */
    public static final int MAX_FRAGMENTS = 65_536;
    /** Largest fragment size: FRAGMENT's fragment size field is a u16. */
    public static final int MAX_FRAGMENT_SIZE = 0xFFFF;
    /** Largest frame: FRAGMENT's frame length is a u32 limited to 2^31-1 (a Java array). */
    public static final long MAX_FRAME_LENGTH_BYTES = Integer.MAX_VALUE;

    private FrameLayout() {
    }

    /**
     * Why a frame length and fragment size cannot go together, or null when they can: L in 1..2^31-1, F in
     * 1..65535, and at most 65,536 fragments.
     */
    public static String problem(long frameLengthBytes, int fragmentSizeBytes) {
        if (frameLengthBytes < 1 || frameLengthBytes > MAX_FRAME_LENGTH_BYTES) {
            return "frame length must be 1 to 2^31-1 bytes, got " + frameLengthBytes;
        }
        if (fragmentSizeBytes < 1 || fragmentSizeBytes > MAX_FRAGMENT_SIZE) {
            return "fragment size must be 1 to 65535 bytes, got " + fragmentSizeBytes;
        }
        if (countUnchecked(frameLengthBytes, fragmentSizeBytes) > MAX_FRAGMENTS) {
            return "a frame of " + frameLengthBytes + " bytes needs more than 65,536 fragments of "
                    + fragmentSizeBytes + " bytes; use larger fragments (a larger datagram) or smaller frames";
        }
        return null;
    }

    /** Whether {@link #problem} finds nothing; never throws, for checking values from the wire. */
    public static boolean isValid(long frameLengthBytes, int fragmentSizeBytes) {
        return frameLengthBytes >= 1 && frameLengthBytes <= MAX_FRAME_LENGTH_BYTES && fragmentSizeBytes >= 1
                && fragmentSizeBytes <= MAX_FRAGMENT_SIZE
                && countUnchecked(frameLengthBytes, fragmentSizeBytes) <= MAX_FRAGMENTS;
    }

    /** The number of fragments, {@code ceil(L/F)}; throws IllegalArgumentException naming the problem if invalid. */
    public static int fragmentCount(long frameLengthBytes, int fragmentSizeBytes) {
        requireValid(frameLengthBytes, fragmentSizeBytes);
        return (int) countUnchecked(frameLengthBytes, fragmentSizeBytes);
    }

    /** The frame offset of fragment {@code index}; throws IllegalArgumentException if out of range. */
    public static int fragmentOffset(long frameLengthBytes, int fragmentSizeBytes, int index) {
        requireIndex(frameLengthBytes, fragmentSizeBytes, index);
        return index * fragmentSizeBytes; // < L <= 2^31-1 for a valid index: no overflow
    }

    /** The length of fragment {@code index}: F, or what is left of the frame for the last one. */
    public static int fragmentLength(long frameLengthBytes, int fragmentSizeBytes, int index) {
        requireIndex(frameLengthBytes, fragmentSizeBytes, index);
        return lengthUnchecked(frameLengthBytes, fragmentSizeBytes, index);
    }

    /** How many fragments group {@code group} of stride {@code stride} holds in a frame of {@code count}. */
    public static int groupFragmentCount(int count, int stride, int group) {
        if (count < 1 || stride < 1 || stride > count || group < 0 || group >= stride) {
            throw new IllegalArgumentException("parity stride must be 1 to the fragment count (" + count
                    + ") and the group below it, got stride " + stride + " group " + group);
        }
        return (count - group + stride - 1) / stride;
    }

    static long countUnchecked(long frameLengthBytes, int fragmentSizeBytes) {
        return (frameLengthBytes + fragmentSizeBytes - 1) / fragmentSizeBytes;
    }

    static int lengthUnchecked(long frameLengthBytes, int fragmentSizeBytes, int index) {
        long offset = (long) index * fragmentSizeBytes;
        return (int) Math.min(fragmentSizeBytes, frameLengthBytes - offset);
    }

    private static void requireValid(long frameLengthBytes, int fragmentSizeBytes) {
        String problem = problem(frameLengthBytes, fragmentSizeBytes);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static void requireIndex(long frameLengthBytes, int fragmentSizeBytes, int index) {
        requireValid(frameLengthBytes, fragmentSizeBytes);
        long count = countUnchecked(frameLengthBytes, fragmentSizeBytes);
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("fragment index must be 0 to " + (count - 1) + " for a frame of "
                    + frameLengthBytes + " bytes in fragments of " + fragmentSizeBytes + ", got " + index);
        }
    }
}
