package dev.tcpstate.flow;

import dev.tcpstate.decode.TcpSegment;

/**
 * Four-tuples to non-negative numbers (a connection's place in the tracker's slab), both
 * directions of a tuple to one entry. Keys live in one primitive array, five longs per slot side
 * by side (two 128-bit addresses and the two ports, the lower endpoint first) so that a probe
 * touches one or two cache lines, not five arrays; slots are probed linearly, lookups allocate
 * nothing, and the arrays double when half full. Values are numbers, not references: writing a
 * reference into a long-lived array costs the garbage collector a card to refine, and a flood
 * writes millions.
 */
public final class TupleIndex {
    /** Per slot: lower endpoint's address high and low, higher endpoint's high and low, the port pair. */
    private static final int STRIDE = 5;
    private long[] keys;
    /** Per slot: the value plus one; 0 for an empty slot. */
    private int[] values;
    private int size;
    private int mask;
    // the tuple of the last lookup, lower endpoint first: kept in fields so lookups allocate nothing
    private long keyAHigh;
    private long keyALow;
    private long keyBHigh;
    private long keyBLow;
    private int keyPorts;

    public TupleIndex(int expectedFlows) {
        allocate(Integer.highestOneBit(Math.max(16, expectedFlows * 2 - 1)) << 1);
    }

    private void allocate(int capacity) {
        keys = new long[capacity * STRIDE];
        values = new int[capacity];
        mask = capacity - 1;
    }

    /**
     * Which of {@code shards} owners the segment's four-tuple belongs to: the same for both
     * directions, spread evenly, and not related to the slot a table would use (each owner's table
     * would otherwise fill only some of its slots).
     */
    public static int shard(TcpSegment segment, int shards) {
        long aHigh = segment.sourceHigh();
        long aLow = segment.sourceLow();
        long bHigh = segment.destinationHigh();
        long bLow = segment.destinationLow();
        int aPort = segment.sourcePort();
        int bPort = segment.destinationPort();
        long h = lower(aHigh, aLow, aPort, bHigh, bLow, bPort)
                ? hash(aHigh, aLow, bHigh, bLow, aPort << 16 | bPort)
                : hash(bHigh, bLow, aHigh, aLow, bPort << 16 | aPort);
        h *= 0xFF51_AFD7_ED55_8CCDL; // murmur3's finalizer: the high bits depend on every bit of h
        h ^= h >>> 33;
        return (int) (((h >>> 32) * shards) >>> 32);
    }

    /** Whether the segment's source is the lower endpoint of its tuple, the order keys are kept in. */
    public static boolean sourceIsLower(TcpSegment segment) {
        return lower(segment.sourceHigh(), segment.sourceLow(), segment.sourcePort(), segment.destinationHigh(),
                segment.destinationLow(), segment.destinationPort());
    }

    private static boolean lower(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        int byHigh = Long.compareUnsigned(aHigh, bHigh);
        if (byHigh != 0) {
            return byHigh < 0;
        }
        int byLow = Long.compareUnsigned(aLow, bLow);
        if (byLow != 0) {
            return byLow < 0;
        }
        return aPort <= bPort;
    }

    /** The value for the segment's four-tuple, or -1 when there is none. */
    public int get(TcpSegment segment) {
        return get(segment.sourceHigh(), segment.sourceLow(), segment.sourcePort(), segment.destinationHigh(),
                segment.destinationLow(), segment.destinationPort());
    }

    /** The value for the four-tuple of endpoints a and b (either order), or -1. */
    public int get(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        int slot = find(aHigh, aLow, aPort, bHigh, bLow, bPort);
        return slot < 0 ? -1 : values[slot] - 1;
    }

    /** Stores {@code value} for the segment's four-tuple, replacing what was there. */
    public void put(TcpSegment segment, int value) {
        put(segment.sourceHigh(), segment.sourceLow(), segment.sourcePort(), segment.destinationHigh(),
                segment.destinationLow(), segment.destinationPort(), value);
    }

    /** Stores {@code value} for the four-tuple of endpoints a and b (either order). */
    public void put(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        int slot = find(aHigh, aLow, aPort, bHigh, bLow, bPort);
        if (slot >= 0) {
            values[slot] = value + 1;
            return;
        }
        if ((size + 1) * 2 > values.length) {
            grow();
        }
        insert(keyAHigh, keyALow, keyBHigh, keyBLow, keyPorts, value + 1);
    }

    /** Removes the entry of the segment's four-tuple, if any; returns its value, or -1. */
    public int remove(TcpSegment segment) {
        return remove(segment.sourceHigh(), segment.sourceLow(), segment.sourcePort(), segment.destinationHigh(),
                segment.destinationLow(), segment.destinationPort());
    }

    /** Removes the entry of the four-tuple of endpoints a and b (either order), if any; returns its value, or -1. */
    public int remove(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        int slot = find(aHigh, aLow, aPort, bHigh, bLow, bPort);
        if (slot < 0) {
            return -1;
        }
        int value = values[slot] - 1;
        delete(slot);
        return value;
    }

    /** Removes every entry whose value the predicate accepts. */
    public void removeIf(java.util.function.IntPredicate test) {
        for (int slot = 0; slot < values.length; ) {
            if (values[slot] != 0 && test.test(values[slot] - 1)) {
                delete(slot);
                // backward shifting may have moved another entry into this slot: look again
            } else {
                slot++;
            }
        }
    }

    /** Every value, in no particular order. */
    public void forEach(java.util.function.IntConsumer action) {
        for (int value : values) {
            if (value != 0) {
                action.accept(value - 1);
            }
        }
    }

    public int size() {
        return size;
    }

    /** Removes every entry at once. */
    public void clear() {
        java.util.Arrays.fill(values, 0);
        size = 0;
    }

    /** Puts the tuple, lower endpoint first, into the key fields (no allocation). */
    private void key(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        boolean lower = lower(aHigh, aLow, aPort, bHigh, bLow, bPort);
        keyAHigh = lower ? aHigh : bHigh;
        keyALow = lower ? aLow : bLow;
        keyBHigh = lower ? bHigh : aHigh;
        keyBLow = lower ? bLow : aLow;
        keyPorts = lower ? (aPort << 16) | bPort : (bPort << 16) | aPort;
    }

    /** The slot holding the tuple, or -1; leaves the tuple in the key fields. */
    private int find(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
        key(aHigh, aLow, aPort, bHigh, bLow, bPort);
        for (int slot = hash(keyAHigh, keyALow, keyBHigh, keyBLow, keyPorts) & mask; ; slot = (slot + 1) & mask) {
            if (values[slot] == 0) {
                return -1;
            }
            int at = slot * STRIDE;
            if (keys[at + 4] == keyPorts && keys[at + 1] == keyALow && keys[at + 3] == keyBLow
                    && keys[at] == keyAHigh && keys[at + 2] == keyBHigh) {
                return slot;
            }
        }
    }

    private void insert(long aHigh, long aLow, long bHigh, long bLow, int portPair, int storedValue) {
        int slot = hash(aHigh, aLow, bHigh, bLow, portPair) & mask;
        while (values[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        int at = slot * STRIDE;
        keys[at] = aHigh;
        keys[at + 1] = aLow;
        keys[at + 2] = bHigh;
        keys[at + 3] = bLow;
        keys[at + 4] = portPair;
        values[slot] = storedValue;
        size++;
    }

    /** Linear-probing deletion by backward shift: no tombstones, probes stay short. */
    private void delete(int slot) {
        values[slot] = 0;
        size--;
        int hole = slot;
        for (int next = (slot + 1) & mask; values[next] != 0; next = (next + 1) & mask) {
            int at = next * STRIDE;
            int home = hash(keys[at], keys[at + 1], keys[at + 2], keys[at + 3], (int) keys[at + 4]) & mask;
            // move the entry back if the hole lies between its home slot and where it sits
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                System.arraycopy(keys, at, keys, hole * STRIDE, STRIDE);
                values[hole] = values[next];
                values[next] = 0;
                hole = next;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(values.length * 2);
        size = 0;
        for (int slot = 0; slot < oldValues.length; slot++) {
            if (oldValues[slot] != 0) {
                int at = slot * STRIDE;
                insert(oldKeys[at], oldKeys[at + 1], oldKeys[at + 2], oldKeys[at + 3], (int) oldKeys[at + 4],
                        oldValues[slot]);
            }
        }
    }

    private static int hash(long aHigh, long aLow, long bHigh, long bLow, int portPair) {
        long h = aLow * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ bLow) * 0xC2B2_AE3D_27D4_EB4FL;
        h = (h ^ aHigh ^ (bHigh << 1)) * 0x1656_67B1_9E37_79F9L;
        h ^= portPair * 0x9E37_79B9L;
        return (int) (h ^ (h >>> 32));
    }
}
