package dev.tcpstate.flow;

import java.util.Arrays;

/**
 * Connections, by their place in the tracker's slab, ordered by when their next timer is due: a
 * binary heap that knows where each one sits, so that one is in it at most once, moves when its
 * due time moves earlier, and leaves when it is removed. No entry object per timer, no stale
 * entries, and only numbers in its arrays (no reference for the garbage collector to track).
 */
final class TimerHeap {
    private int[] heap;
    private long[] dues;
    /** Per slab place: where it sits in the heap, or -1. */
    private int[] position;
    private int size;

    TimerHeap() {
        this(256);
    }

    /** Sized first for {@code places} connections; grows past them. */
    TimerHeap(int places) {
        heap = new int[Math.max(1, places)];
        dues = new long[heap.length];
        position = new int[heap.length];
        Arrays.fill(position, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** When the first one is due; MAX_VALUE when none is. */
    long firstDue() {
        return size == 0 ? Long.MAX_VALUE : dues[0];
    }

    /** When {@code place} is due; MAX_VALUE when it is not in the heap. */
    long due(int place) {
        return place < position.length && position[place] >= 0 ? dues[position[place]] : Long.MAX_VALUE;
    }

    /** Puts {@code place} in at {@code due}, or moves it there; {@code due} must not be later than before. */
    void schedule(int place, long due) {
        if (place >= position.length) {
            int old = position.length;
            position = Arrays.copyOf(position, Math.max(place + 1, old * 2));
            Arrays.fill(position, old, position.length, -1);
        }
        int index = position[place];
        if (index < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
                dues = Arrays.copyOf(dues, size * 2);
            }
            index = size++;
        }
        up(index, place, due);
    }

    /** Takes out the one due first and returns its place; the heap must not be empty. */
    int poll() {
        int first = heap[0];
        removeAt(0);
        return first;
    }

    /** Takes {@code place} out if it is in. */
    void remove(int place) {
        if (place < position.length && position[place] >= 0) {
            removeAt(position[place]);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            position[heap[i]] = -1;
        }
        size = 0;
    }

    private void removeAt(int index) {
        position[heap[index]] = -1;
        int last = heap[--size];
        long lastDue = dues[size];
        if (index < size) {
            up(index, last, lastDue);
            index = position[last];
            down(index, last, lastDue);
        }
    }

    private void up(int index, int place, long due) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (dues[parent] <= due) {
                break;
            }
            move(parent, index);
            index = parent;
        }
        put(index, place, due);
    }

    private void down(int index, int place, long due) {
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
        put(index, place, due);
    }

    private void move(int from, int to) {
        put(to, heap[from], dues[from]);
    }

    private void put(int index, int place, long due) {
        heap[index] = place;
        dues[index] = due;
        position[place] = index;
    }
}
