package dev.tcpstate.flow;

import java.util.Arrays;

/**
 * Connections, by their place in the tracker's slab, in the order they were made: a list linked
 * through two arrays of numbers, so that adding, removing any one and taking the oldest are O(1),
 * allocate nothing and write no references (a flood's millions of short-lived attempts cost no
 * queue scans and no garbage-collector work).
 */
final class AgeQueue {
    private static final int NONE = -1;
    private int[] older = new int[256];
    private int[] newer = new int[256];
    private boolean[] in = new boolean[256];
    private int oldest = NONE;
    private int newest = NONE;
    private int size;

    void add(int place) {
        if (place >= in.length) {
            int length = Math.max(place + 1, in.length * 2);
            older = Arrays.copyOf(older, length);
            newer = Arrays.copyOf(newer, length);
            in = Arrays.copyOf(in, length);
        }
        if (in[place]) {
            return;
        }
        older[place] = newest;
        newer[place] = NONE;
        if (newest == NONE) {
            oldest = place;
        } else {
            newer[newest] = place;
        }
        newest = place;
        in[place] = true;
        size++;
    }

    /** Takes {@code place} out if it is in. */
    void remove(int place) {
        if (place >= in.length || !in[place]) {
            return;
        }
        int before = older[place];
        int after = newer[place];
        if (before == NONE) {
            oldest = after;
        } else {
            newer[before] = after;
        }
        if (after == NONE) {
            newest = before;
        } else {
            older[after] = before;
        }
        in[place] = false;
        size--;
    }

    /** The oldest one's place, or -1 when empty. */
    int oldest() {
        return oldest;
    }

    /** The place of the next newer one after {@code place}, or -1. */
    int newer(int place) {
        return newer[place];
    }

    int size() {
        return size;
    }

    void clear() {
        while (oldest != NONE) {
            remove(oldest);
        }
    }
}
