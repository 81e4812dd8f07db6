package dev.tcpstate.detect;

import java.util.Arrays;

/**
 * A min-heap of longs, without a box per value: times waiting to be taken in order, each with a
 * second long that travels with it (0 when not given).
 */
public final class LongHeap {
    private long[] values = new long[16];
    private long[] payloads = new long[16];
    private int size;

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** The smallest value; the heap must not be empty. */
    public long peek() {
        return values[0];
    }

    /** How many values are greater than {@code bound} (a scan). */
    public long countAbove(long bound) {
        long count = 0;
        for (int i = 0; i < size; i++) {
            count += values[i] > bound ? 1 : 0;
        }
        return count;
    }

    /** The smallest value's payload; the heap must not be empty. */
    public long peekPayload() {
        return payloads[0];
    }

    public void add(long value) {
        add(value, 0);
    }

    public void add(long value, long payload) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            payloads = Arrays.copyOf(payloads, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (values[parent] <= value) {
                break;
            }
            values[i] = values[parent];
            payloads[i] = payloads[parent];
            i = parent;
        }
        values[i] = value;
        payloads[i] = payload;
    }

    /** Removes and returns the smallest value; the heap must not be empty. */
    public long poll() {
        long first = values[0];
        long last = values[--size];
        long lastPayload = payloads[size];
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
            payloads[i] = payloads[child];
            i = child;
        }
        values[i] = last;
        payloads[i] = lastPayload;
        if (size < values.length / 4 && values.length > 16) {
            values = Arrays.copyOf(values, values.length / 2); // a burst's room goes back
            payloads = Arrays.copyOf(payloads, payloads.length / 2);
        }
        return first;
    }
}
