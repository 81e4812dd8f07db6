package dev.tcpstate.detect;

import java.util.Arrays;

/** A min-heap of longs, without a box per value: times waiting to be taken in order. */
final class LongHeap {
    private long[] values = new long[16];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The smallest value; the heap must not be empty. */
    long peek() {
        return values[0];
    }

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (values[parent] <= value) {
                break;
            }
            values[i] = values[parent];
            i = parent;
        }
        values[i] = value;
    }

    /** Removes and returns the smallest value; the heap must not be empty. */
    long poll() {
        long first = values[0];
        long last = values[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && values[child + 1] < values[child]) {
                child++;
            }
            if (values[child] >= last) {
                break;
            }
            values[i] = values[child];
            i = child;
        }
        values[i] = last;
        if (size < values.length / 4 && values.length > 16) {
            values = Arrays.copyOf(values, values.length / 2); // a burst's room goes back
        }
        return first;
    }
}
