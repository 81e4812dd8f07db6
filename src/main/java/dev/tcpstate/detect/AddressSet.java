package dev.tcpstate.detect;

/**
 * A set of 128-bit addresses as pairs of longs, open addressing: counting the distinct sources
 * of a flood that spoofs millions of them takes 32 bytes each at most, not a string and a map
 * entry each.
 */
final class AddressSet {
    // small to start: most sets (a service's sources, a host's peers) hold one or two addresses
    private long[] pairs = new long[2 * 4];
    private boolean[] used = new boolean[4];
    private int size;

    /** Adds the address; whether it was new. */
    boolean add(long high, long low) {
        if ((size + 1) * 2 > used.length) {
            grow();
        }
        int mask = used.length - 1;
        for (int slot = slot(high, low) & mask; ; slot = (slot + 1) & mask) {
            if (!used[slot]) {
                used[slot] = true;
                pairs[2 * slot] = high;
                pairs[2 * slot + 1] = low;
                size++;
                return true;
            }
            if (pairs[2 * slot] == high && pairs[2 * slot + 1] == low) {
                return false;
            }
        }
    }

    boolean contains(long high, long low) {
        int mask = used.length - 1;
        for (int slot = slot(high, low) & mask; used[slot]; slot = (slot + 1) & mask) {
            if (pairs[2 * slot] == high && pairs[2 * slot + 1] == low) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    /** Calls {@code action} with each address. */
    void forEach(java.util.function.LongBinaryOperator action) {
        for (int slot = 0; slot < used.length; slot++) {
            if (used[slot]) {
                action.applyAsLong(pairs[2 * slot], pairs[2 * slot + 1]);
            }
        }
    }

    private void grow() {
        long[] oldPairs = pairs;
        boolean[] oldUsed = used;
        pairs = new long[oldPairs.length * 2];
        used = new boolean[oldUsed.length * 2];
        size = 0;
        for (int slot = 0; slot < oldUsed.length; slot++) {
            if (oldUsed[slot]) {
                add(oldPairs[2 * slot], oldPairs[2 * slot + 1]);
            }
        }
    }

    private static int slot(long high, long low) {
        long h = (low * 0x9E37_79B9_7F4A_7C15L) ^ (high * 0xC2B2_AE3D_27D4_EB4FL);
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        return (int) (h ^ (h >>> 32));
    }
}
