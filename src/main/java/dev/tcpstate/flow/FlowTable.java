package dev.tcpstate.flow;

import dev.tcpstate.decode.TcpSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Four-tuples to values, both directions of a tuple to one entry: a {@link TupleIndex} to places
 * in an array of values, whose free places are reused.
 *
 * @param <V> what is kept per four-tuple
 */
public final class FlowTable<V> {
    private final TupleIndex index;
    private Object[] items;
    private int used;
    private int[] free;
    private int freeCount;

    public FlowTable(int expectedFlows) {
        index = new TupleIndex(expectedFlows);
        items = new Object[Math.max(16, expectedFlows)];
        free = new int[items.length];
    }

    /** The value for the segment's four-tuple, or null when there is none. */
    public V get(TcpSegment segment) {
        return item(index.get(segment));
    }

    /** The value for the four-tuple of endpoints a and b (either order), or null. */
    public V get(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        return item(index.get(aHigh, aLow, aPort, bHigh, bLow, bPort));
    }

    /** Stores {@code value} for the segment's four-tuple, replacing what was there. */
    public void put(TcpSegment segment, V value) {
        put(segment.sourceHigh(), segment.sourceLow(), segment.sourcePort(), segment.destinationHigh(),
                segment.destinationLow(), segment.destinationPort(), value);
    }

    /** Stores {@code value} for the four-tuple of endpoints a and b (either order). */
    public void put(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort, V value) {
        int place = index.get(aHigh, aLow, aPort, bHigh, bLow, bPort);
        if (place >= 0) {
            items[place] = value;
            return;
        }
        place = take();
        items[place] = value;
        index.put(aHigh, aLow, aPort, bHigh, bLow, bPort, place);
    }

    /** Removes the entry of the segment's four-tuple, if any; returns its value. */
    public V remove(TcpSegment segment) {
        return release(index.remove(segment));
    }

    /** Removes the entry of the four-tuple of endpoints a and b (either order), if any; returns its value. */
    public V remove(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        return release(index.remove(aHigh, aLow, aPort, bHigh, bLow, bPort));
    }

    /** Removes the entry whose value is {@code value} (identity), if any: a scan, for tests and rare cases. */
    public boolean removeValue(V value) {
        int[] found = {-1};
        index.forEach(place -> {
            if (items[place] == value) {
                found[0] = place;
            }
        });
        if (found[0] < 0) {
            return false;
        }
        index.removeIf(place -> place == found[0]);
        release(found[0]);
        return true;
    }

    /** Removes every entry whose value the predicate accepts; returns the removed values. */
    @SuppressWarnings("unchecked")
    public List<V> removeIf(java.util.function.Predicate<V> test) {
        List<V> removed = new ArrayList<>();
        index.removeIf(place -> {
            if (!test.test((V) items[place])) {
                return false;
            }
            removed.add(release(place));
            return true;
        });
        return removed;
    }

    /** Every value, in no particular order. */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        List<V> all = new ArrayList<>(index.size());
        index.forEach(place -> all.add((V) items[place]));
        return all;
    }

    public int size() {
        return index.size();
    }

    /** Removes every entry at once. */
    public void clear() {
        index.clear();
        java.util.Arrays.fill(items, null);
        used = 0;
        freeCount = 0;
    }

    @SuppressWarnings("unchecked")
    private V item(int place) {
        return place < 0 ? null : (V) items[place];
    }

    private int take() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (used == items.length) {
            items = java.util.Arrays.copyOf(items, used * 2);
            free = java.util.Arrays.copyOf(free, used * 2);
        }
        return used++;
    }

    private V release(int place) {
        if (place < 0) {
            return null;
        }
        V value = item(place);
        items[place] = null;
        free[freeCount++] = place;
        return value;
    }
}
