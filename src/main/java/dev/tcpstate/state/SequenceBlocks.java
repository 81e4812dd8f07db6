package dev.tcpstate.state;

import java.util.Arrays;

/**
 * Data that reached a reassembler beyond the byte it expects next: sorted, disjoint ranges of
 * (widened) sequence numbers, ranges that touch or overlap merged. Merging changes nothing for
 * Zeek's accounting, which only asks what the blocks cover, and it keeps a sender that repeats or
 * overlaps its segments from growing the list. A hostile capture can still leave a hole between
 * every two segments, so at most {@link #MAX_BLOCKS} ranges are kept: past that the highest is
 * forgotten, and if acknowledged later its bytes count as missed.
 */
final class SequenceBlocks {
    static final int MAX_BLOCKS = 4096;

    private long[] starts = new long[4];
    private long[] ends = new long[4];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Adds the range [start, end). */
    void add(long start, long end) {
        if (end <= start) {
            return;
        }
        // first range that ends at or after start: it and the ones after it may merge with the new one
        int first = firstEndingAtOrAfter(start);
        int last = first;
        while (last < size && starts[last] <= end) {
            last++;
        }
        if (last > first) {
            // [first, last) touch the new range: one range replaces them
            long mergedStart = Math.min(start, starts[first]);
            long mergedEnd = Math.max(end, ends[last - 1]);
            starts[first] = mergedStart;
            ends[first] = mergedEnd;
            remove(first + 1, last);
            return;
        }
        if (size == MAX_BLOCKS) {
            if (first == size) {
                return; // the new range is the highest: it is the one forgotten
            }
            size--; // forget the highest to make room
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, Math.min(MAX_BLOCKS, size * 2));
            ends = Arrays.copyOf(ends, starts.length);
        }
        System.arraycopy(starts, first, starts, first + 1, size - first);
        System.arraycopy(ends, first, ends, first + 1, size - first);
        starts[first] = start;
        ends[first] = end;
        size++;
    }

    /**
     * The reassembler's next byte once the ranges reachable from {@code next} are taken in; those
     * ranges and the ones wholly below {@code next} are dropped.
     */
    long drain(long next) {
        int taken = 0;
        while (taken < size && starts[taken] <= next) {
            next = Math.max(next, ends[taken]);
            taken++;
        }
        remove(0, taken);
        return next;
    }

    /** Bytes in [from, to) that no range covers. */
    long missing(long from, long to) {
        long missing = 0;
        long at = from;
        for (int i = firstEndingAtOrAfter(from); i < size && starts[i] < to; i++) {
            if (starts[i] > at) {
                missing += starts[i] - at;
            }
            at = Math.max(at, Math.min(ends[i], to));
        }
        return missing + Math.max(0, to - at);
    }

    private int firstEndingAtOrAfter(long position) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ends[middle] < position) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private void remove(int from, int to) {
        System.arraycopy(starts, to, starts, from, size - to);
        System.arraycopy(ends, to, ends, from, size - to);
        size -= to - from;
    }
}
