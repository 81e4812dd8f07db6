package dev.tcpstate.flow;

import java.util.Arrays;

/**
 * Connections, by their place in the tracker's slab, in the order they were made: a list linked
 * through one array of numbers (a place's two links side by side, so that taking one out reads
 * one place of its own), so that adding, removing any one and taking the oldest are O(1),
 * allocate nothing and write no references (a flood's millions of short-lived attempts cost no
 * queue scans and no garbage-collector work).
 */
final class AgeQueue {
    private static final int NONE = -1;
    /** An older link that says the place is not in the queue. */
    private static final int OUT = -2;
    /** Per place: the older neighbour's place, then the newer one's. */
    private int[] links;
    private int oldest = NONE;
    private int newest = NONE;
    private int size;

    AgeQueue() {
        this(256);
    }

    /** Sized first for {@code places} connections; grows past them. */
    AgeQueue(int places) {
        links = new int[2 * Math.max(1, places)];
        Arrays.fill(links, OUT);
    }

    void add(int place) {
        if (2 * place + 1 >= links.length) {
            int old = links.length;
            links = Arrays.copyOf(links, Math.max(2 * place + 2, old * 2));
            Arrays.fill(links, old, links.length, OUT);
        }
        if (links[2 * place] != OUT) {
            return;
        }
        links[2 * place] = newest;
        links[2 * place + 1] = NONE;
        if (newest == NONE) {
            oldest = place;
        } else {
            links[2 * newest + 1] = place;
        }
        newest = place;
        size++;
    }

    /** Takes {@code place} out if it is in. */
    void remove(int place) {
        if (2 * place >= links.length || links[2 * place] == OUT) {
            return;
        }
        int before = links[2 * place];
        int after = links[2 * place + 1];
        if (before == NONE) {
            oldest = after;
        } else {
            links[2 * before + 1] = after;
        }
        if (after == NONE) {
            newest = before;
        } else {
            links[2 * after] = before;
        }
        links[2 * place] = OUT;
        size--;
    }

    /** The oldest one's place, or -1 when empty. */
    int oldest() {
        return oldest;
    }

    /** The place of the next newer one after {@code place}, or -1. */
    int newer(int place) {
        return links[2 * place + 1];
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
