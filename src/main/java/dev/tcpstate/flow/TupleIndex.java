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
    /**
     * Per slot: lower endpoint's address high and low, higher endpoint's high and low, and a word
     * with the value plus one in its high half and the port pair in its low half (0: an empty
     * slot). The value sits with its key, so that a probe reads one place, not two arrays.
     */
    private static final int STRIDE = 5;
    private long[] keys;
    private int capacity;
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
        this.capacity = capacity;
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
        return slot < 0 ? -1 : value(slot);
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
            keys[slot * STRIDE + 4] = word(value + 1, keyPorts);
            return;
        }
        if ((size + 1) * 2 > capacity) {
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
        int value = value(slot);
        delete(slot);
        return value;
    }

    /** Removes every entry whose value the predicate accepts. */
    public void removeIf(java.util.function.IntPredicate test) {
        for (int slot = 0; slot < capacity; ) {
            if (occupied(slot) && test.test(value(slot))) {
                delete(slot);
                // backward shifting may have moved another entry into this slot: look again
            } else {
                slot++;
            }
        }
    }

    /** Every value, in no particular order. */
    public void forEach(java.util.function.IntConsumer action) {
        for (int slot = 0; slot < capacity; slot++) {
            if (occupied(slot)) {
                action.accept(value(slot));
            }
        }
    }

    public int size() {
        return size;
    }

    /** Removes every entry at once. */
    public void clear() {
        java.util.Arrays.fill(keys, 0);
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
            int at = slot * STRIDE;
            long word = keys[at + 4];
            if (word == 0) {
                return -1;
            }
            if ((int) word == keyPorts && keys[at + 1] == keyALow && keys[at + 3] == keyBLow
                    && keys[at] == keyAHigh && keys[at + 2] == keyBHigh) {
                return slot;
            }
        }
    }

    private void insert(long aHigh, long aLow, long bHigh, long bLow, int portPair, int storedValue) {
        int slot = hash(aHigh, aLow, bHigh, bLow, portPair) & mask;
        while (occupied(slot)) {
            slot = (slot + 1) & mask;
        }
        int at = slot * STRIDE;
        keys[at] = aHigh;
        keys[at + 1] = aLow;
        keys[at + 2] = bHigh;
        keys[at + 3] = bLow;
        keys[at + 4] = word(storedValue, portPair);
        size++;
    }

    /** Linear-probing deletion by backward shift: no tombstones, probes stay short. */
    private void delete(int slot) {
        keys[slot * STRIDE + 4] = 0;
        size--;
        int hole = slot;
        for (int next = (slot + 1) & mask; occupied(next); next = (next + 1) & mask) {
            int at = next * STRIDE;
            int home = hash(keys[at], keys[at + 1], keys[at + 2], keys[at + 3], (int) keys[at + 4]) & mask;
            // move the entry back if the hole lies between its home slot and where it sits
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                System.arraycopy(keys, at, keys, hole * STRIDE, STRIDE);
                keys[at + 4] = 0;
                hole = next;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int oldCapacity = capacity;
        allocate(capacity * 2);
        size = 0;
        for (int slot = 0; slot < oldCapacity; slot++) {
            int at = slot * STRIDE;
            long word = oldKeys[at + 4];
            if (word != 0) {
                insert(oldKeys[at], oldKeys[at + 1], oldKeys[at + 2], oldKeys[at + 3], (int) word,
                        (int) (word >>> 32));
            }
        }
    }

    private boolean occupied(int slot) {
        return keys[slot * STRIDE + 4] != 0;
    }

    /** The value kept in an occupied slot. */
    private int value(int slot) {
        return (int) (keys[slot * STRIDE + 4] >>> 32) - 1;
    }

    private static long word(int storedValue, int portPair) {
        return (long) storedValue << 32 | (portPair & 0xFFFF_FFFFL);
    }

    private static int hash(long aHigh, long aLow, long bHigh, long bLow, int portPair) {
        long h = aLow * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ bLow) * 0xC2B2_AE3D_27D4_EB4FL;
        h = (h ^ aHigh ^ (bHigh << 1)) * 0x1656_67B1_9E37_79F9L;
        h ^= portPair * 0x9E37_79B9L;
        return (int) (h ^ (h >>> 32));
    }
}
