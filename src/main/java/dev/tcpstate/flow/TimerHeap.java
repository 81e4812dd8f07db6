package dev.tcpstate.flow;

import java.util.Arrays;

/**
 * Records ordered by when their next timer is due ({@link Connection#scheduledDue}), a binary
 * heap that knows where each record sits: a record is in it at most once, moves when its due time
 * moves earlier, and leaves when it is removed. No entry object per timer and no stale entries.
 * The due times sit in an array of their own beside the records, so sifting through a heap of a
 * million compares numbers in one array instead of reading a million records.
 */
final class TimerHeap {
    private Connection[] heap = new Connection[256];
    private long[] dues = new long[256];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The record due first; the heap must not be empty. */
    Connection peek() {
        return heap[0];
    }

    /** When the first record is due; MAX_VALUE when none is. */
    long firstDue() {
        return size == 0 ? Long.MAX_VALUE : dues[0];
    }

    /** Puts {@code record} in, or moves it up after its due time moved earlier. */
    void scheduled(Connection record) {
        if (record.heapIndex < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
                dues = Arrays.copyOf(dues, size * 2);
            }
            heap[size] = record;
            record.heapIndex = size++;
        }
        up(record.heapIndex, record.scheduledDue);
    }

    /** Takes out the record due first. */
    Connection poll() {
        Connection first = heap[0];
        removeAt(0);
        return first;
    }

    /** Takes {@code record} out if it is in. */
    void remove(Connection record) {
        if (record.heapIndex >= 0) {
            removeAt(record.heapIndex);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private void removeAt(int index) {
        Connection gone = heap[index];
        gone.heapIndex = -1;
        Connection last = heap[--size];
        long lastDue = dues[size];
        heap[size] = null;
        if (index < size) {
            heap[index] = last;
            dues[index] = lastDue;
            last.heapIndex = index;
            up(index, lastDue);
            down(last.heapIndex, lastDue);
        }
    }

    private void up(int index, long due) {
        Connection record = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (dues[parent] <= due) {
                break;
            }
            move(parent, index);
            index = parent;
        }
        heap[index] = record;
        dues[index] = due;
        record.heapIndex = index;
    }

    private void down(int index, long due) {
        Connection record = heap[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && dues[child + 1] < dues[child]) {
                child++;
            }
            if (dues[child] >= due) {
                break;
            }
            move(child, index);
            index = child;
        }
        heap[index] = record;
        dues[index] = due;
        record.heapIndex = index;
    }

    private void move(int from, int to) {
        heap[to] = heap[from];
        dues[to] = dues[from];
        heap[to].heapIndex = to;
    }
}
