package dev.tcpstate.flow;

import java.security.SecureRandom;

/**
 * Connection uids as Zeek writes them: {@code C} and base-62 digits, Zeek's alphabet and digit
 * order (its {@code UID::Base62} writes two words, least significant digit first), 18 characters.
 *
 * <p>A uid is the record number under a keyed permutation, so nothing is stored and any thread
 * makes the same uid for a record. The second word is the number through a 64-bit Feistel network
 * keyed by the run's 32-bit key; the first word is the key masked by a hash of the second, so uids
 * of one run do not share a prefix. Both words are padded to fixed widths (6 and 11 digits) so a
 * uid reads back: {@link #decode} recovers the key and the number, and {@code ladder --conn} finds a
 * uid any run printed without being told that run's seed. Runs with different keys never print the
 * same uid for a record, so their logs can be merged.
 */
public final class Uids {
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int HIGH_DIGITS = 6; // 62^6 > 2^32
    private static final int LOW_DIGITS = 11; // 62^11 > 2^64
    private static final int ROUNDS = 4;
    /** Record numbers count packets; anything larger read from a uid means it was not one of ours. */
    private static final long MAX_ID = 1L << 48;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The CLI sets a random key (or --uid-seed) per run; library use and tests get key 0. */
    private static volatile int key;

    private Uids() {
    }

    /** The key of the uids this process prints from now on. */
    public static void useKey(int newKey) {
        key = newKey;
    }

    /** A fresh random key: each run's uids differ from every other run's. */
    public static void useRandomKey() {
        key = RANDOM.nextInt();
    }

    public static int key() {
        return key;
    }

    /** The uid of record {@code id} under the current key. */
    public static String uid(long id) {
        return uid(id, key);
    }

    public static String uid(long id, int key) {
        long low = permute(id, key);
        long high = Integer.toUnsignedLong(key ^ hash(low));
        char[] text = new char[1 + HIGH_DIGITS + LOW_DIGITS];
        text[0] = 'C';
        digits(high, text, 1, HIGH_DIGITS);
        digits(low, text, 1 + HIGH_DIGITS, LOW_DIGITS);
        return new String(text);
    }

    /** What a uid holds: the key of the run that printed it and the record number. */
    public record Decoded(int key, long id) {
    }

    /**
     * The key and record number {@code uid} was made from.
     *
     * @throws IllegalArgumentException if tcpstate did not make it
     */
    public static Decoded decode(String uid) {
        if (uid.length() != 1 + HIGH_DIGITS + LOW_DIGITS || uid.charAt(0) != 'C') {
            throw notOurs(uid);
        }
        long high = number(uid, 1, HIGH_DIGITS);
        long low = number(uid, 1 + HIGH_DIGITS, LOW_DIGITS);
        if (Long.compareUnsigned(high, 0xFFFF_FFFFL) > 0) {
            throw notOurs(uid);
        }
        int runKey = (int) high ^ hash(low);
        long id = unpermute(low, runKey);
        if (id <= 0 || id >= MAX_ID) {
            throw notOurs(uid);
        }
        return new Decoded(runKey, id);
    }

    private static IllegalArgumentException notOurs(String uid) {
        return new IllegalArgumentException("not a connection uid: " + uid
                + " (tcpstate's uids are C and 17 base-62 digits, as 'tcpstate connections' prints them)");
    }

    /** Zeek's digit order: least significant first, padded with zeros to {@code width}. */
    private static void digits(long value, char[] text, int at, int width) {
        long rest = value;
        for (int i = 0; i < width; i++) {
            text[at + i] = DIGITS.charAt((int) Long.remainderUnsigned(rest, 62));
            rest = Long.divideUnsigned(rest, 62);
        }
    }

    /** The number {@link #digits} wrote (unsigned). */
    private static long number(String text, int at, int width) {
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            int digit = DIGITS.indexOf(text.charAt(at + i));
            if (digit < 0 || Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 62)) > 0) {
                throw notOurs(text); // not base 62, or more than 64 bits
            }
            value = value * 62 + digit;
        }
        return value;
    }

    /** A balanced Feistel network on the two 32-bit halves: a permutation of 64-bit numbers for each key. */
    private static long permute(long value, int key) {
        int left = (int) (value >>> 32);
        int right = (int) value;
        for (int round = 0; round < ROUNDS; round++) {
            int next = left ^ round(right, key, round);
            left = right;
            right = next;
        }
        return (long) left << 32 | Integer.toUnsignedLong(right);
    }

    private static long unpermute(long value, int key) {
        int left = (int) (value >>> 32);
        int right = (int) value;
        for (int round = ROUNDS - 1; round >= 0; round--) {
            int previous = right ^ round(left, key, round);
            right = left;
            left = previous;
        }
        return (long) left << 32 | Integer.toUnsignedLong(right);
    }

    private static int round(int half, int key, int round) {
        return (int) mix(((long) half << 32 | Integer.toUnsignedLong(key)) + round * 0x632B_E59B_D9B4_E019L);
    }

    private static int hash(long value) {
        return (int) (mix(value ^ 0x5DEE_CE66_D1CE_4E5BL) >>> 32);
    }

    /** SplitMix64's finaliser: every input bit changes about half the output bits. */
    private static long mix(long value) {
        long z = value + 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
