package dev.tcpstate.flow;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The slab places whose connection changed, began or ended since they were last taken, each once:
 * a view kept per connection (the live picture's frozen records) is brought up to date from these
 * alone, without reading the connections that sat still. Marking is one bit test per change.
 */
public final class ChangedPlaces {
    private long[] marked = new long[16];
    private int[] places = new int[1024];
    private int size;

    public void mark(int place) {
        int word = place >>> 6;
        if (word >= marked.length) {
            marked = Arrays.copyOf(marked, Math.max(word + 1, marked.length * 2));
        }
        long bit = 1L << place;
        if ((marked[word] & bit) == 0) {
            marked[word] |= bit;
            if (size == places.length) {
                places = Arrays.copyOf(places, size * 2);
            }
            places[size++] = place;
        }
    }

    /** How many places are marked now. */
    public int size() {
        return size;
    }

    /** Hands each marked place to {@code action}, in the order first marked, and unmarks them all. */
    public void take(IntConsumer action) {
        for (int i = 0; i < size; i++) {
            int place = places[i];
            marked[place >>> 6] &= ~(1L << place);
            action.accept(place);
        }
        size = 0;
    }
}
