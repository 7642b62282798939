package io.udpix.engine.util;

/**
 * A bounded, sorted set of disjoint half-open ranges {@code [start, end)} of non-negative longs.
 *
 * <p>Used for received packet numbers (to build ACK frames), received byte ranges of a transfer, and byte ranges
 * waiting for retransmission. Adjacent and overlapping ranges merge. The number of ranges is capped: {@link #add}
 * reports when a new range would not fit, so callers decide what to drop rather than the set growing without
 * limit. Storage is two primitive arrays; no allocation after construction except when growing up to the cap.
 */
public final class RangeSet {
    /** Slots a new set starts with; it doubles up to its cap when needed. */
    static final int INITIAL_RANGES = 16;

    private long[] starts;
    private long[] ends;
    private int count;
    private final int maxRanges;

    /** A set that holds at most {@code maxRanges} disjoint ranges. */
    public RangeSet(int maxRanges) {
        if (maxRanges < 1) {
            throw new IllegalArgumentException("maxRanges must be >= 1, was " + maxRanges);
        }
        this.maxRanges = maxRanges;
        int initial = Math.min(maxRanges, INITIAL_RANGES);
        starts = new long[initial];
        ends = new long[initial];
    }

    /** Number of disjoint ranges. */
    public int rangeCount() {
        return count;
    }

    /** True when no value is in the set. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** The first (lowest) range's start; only valid when not empty. */
    public long firstStart() {
        return starts[0];
    }

    /** The first (lowest) range's end (exclusive). */
    public long firstEnd() {
        return ends[0];
    }

    /** The last (highest) range's end (exclusive); only valid when not empty. */
    public long lastEnd() {
        return ends[count - 1];
    }

    /** Range {@code i} (ascending) start. */
    public long start(int i) {
        return starts[i];
    }

    /** Range {@code i} (ascending) end, exclusive. */
    public long end(int i) {
        return ends[i];
    }

    /** Total number of values covered. */
    public long coveredLength() {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += ends[i] - starts[i];
        }
        return total;
    }

    /** True when every value of {@code [start, end)} is in the set. */
    public boolean containsAll(long start, long end) {
        int i = indexOfRangeContaining(start);
        return i >= 0 && ends[i] >= end;
    }

    /** True when {@code value} is in the set. */
    public boolean contains(long value) {
        return indexOfRangeContaining(value) >= 0;
    }

    private int indexOfRangeContaining(long value) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] <= value) {
                lo = mid + 1;
            } else if (starts[mid] > value) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /**
     * Whether adding {@code [start, end)} would fit under the range cap (it always fits when it touches or
     * overlaps an existing range).
     */
    public boolean canAdd(long start, long end) {
        if (count < maxRanges || start >= end) {
            return true;
        }
        int i = firstIndexEndingAtOrAfter(start);
        return i < count && starts[i] <= end;
    }

    /**
     * Adds {@code [start, end)}; returns false (and changes nothing) when it would need a new range beyond the cap.
     */
    public boolean add(long start, long end) {
        if (start >= end) {
            return true;
        }
        // Fast path: appending at or after the last range, the common case for in-order data and packet numbers.
        if (count > 0 && start >= starts[count - 1]) {
            int last = count - 1;
            if (start <= ends[last]) {
                if (end > ends[last]) {
                    ends[last] = end;
                }
                return true;
            }
        }
        int i = firstIndexEndingAtOrAfter(start);
        if (i == count || starts[i] > end) {
            if (count == maxRanges) {
                return false;
            }
            ensureCapacity(count + 1);
            System.arraycopy(starts, i, starts, i + 1, count - i);
            System.arraycopy(ends, i, ends, i + 1, count - i);
            starts[i] = start;
            ends[i] = end;
            count++;
            return true;
        }
        // Merge with range i and any following ranges that [start, end) reaches.
        long mergedStart = Math.min(start, starts[i]);
        long mergedEnd = Math.max(end, ends[i]);
        int j = i + 1;
        while (j < count && starts[j] <= mergedEnd) {
            mergedEnd = Math.max(mergedEnd, ends[j]);
            j++;
        }
        starts[i] = mergedStart;
        ends[i] = mergedEnd;
        int removed = j - i - 1;
        if (removed > 0) {
            System.arraycopy(starts, j, starts, i + 1, count - j);
            System.arraycopy(ends, j, ends, i + 1, count - j);
            count -= removed;
        }
        return true;
    }

    /** Removes {@code [start, end)} from the set; a split that would pass the cap drops the lower piece's tail. */
    public void remove(long start, long end) {
        if (start >= end) {
            return;
        }
        int i = firstIndexEndingAtOrAfter(start + 1);
        while (i < count && starts[i] < end) {
            long s = starts[i];
            long e = ends[i];
            if (s < start && e > end) {
                // Split into [s, start) and [end, e).
                if (count == maxRanges) {
                    starts[i] = end; // cannot split: keep the upper piece, which callers still need
                    return;
                }
                ensureCapacity(count + 1);
                System.arraycopy(starts, i + 1, starts, i + 2, count - i - 1);
                System.arraycopy(ends, i + 1, ends, i + 2, count - i - 1);
                ends[i] = start;
                starts[i + 1] = end;
                ends[i + 1] = e;
                count++;
                return;
            } else if (s < start) {
                ends[i] = start;
                i++;
            } else if (e > end) {
                starts[i] = end;
                return;
            } else {
                System.arraycopy(starts, i + 1, starts, i, count - i - 1);
                System.arraycopy(ends, i + 1, ends, i, count - i - 1);
                count--;
            }
        }
    }

    /** Removes every value below {@code value}. */
    public void removeBelow(long value) {
        int drop = 0;
        while (drop < count && ends[drop] <= value) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(starts, drop, starts, 0, count - drop);
            System.arraycopy(ends, drop, ends, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && starts[0] < value) {
            starts[0] = value;
        }
    }

    /** Drops the lowest range (used when a set of received packet numbers is full). */
    public void removeFirstRange() {
        if (count > 0) {
            System.arraycopy(starts, 1, starts, 0, count - 1);
            System.arraycopy(ends, 1, ends, 0, count - 1);
            count--;
        }
    }

    /**
     * Gives back array space grown for a past burst of holes: when the ranges now fit the initial 16 slots, the
     * arrays go back to that size. For idle-time calls only (it allocates).
     */
    public void trim() {
        if (starts.length > INITIAL_RANGES && count <= INITIAL_RANGES) {
            starts = java.util.Arrays.copyOf(starts, INITIAL_RANGES);
            ends = java.util.Arrays.copyOf(ends, INITIAL_RANGES);
        }
    }

    /** Array slots allocated now (for tests and memory accounting). */
    public int capacity() {
        return starts.length;
    }

    /** Empties the set. */
    public void clear() {
        count = 0;
    }

    private int firstIndexEndingAtOrAfter(long value) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void ensureCapacity(int needed) {
        if (needed > starts.length) {
            int capacity = Math.min(maxRanges, Math.max(needed, starts.length * 2));
            starts = java.util.Arrays.copyOf(starts, capacity);
            ends = java.util.Arrays.copyOf(ends, capacity);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(starts[i]).append("..").append(ends[i]);
        }
        return sb.append(']').toString();
    }
}
