package dev.tcpstate.detect;

/**
 * How many distinct addresses were seen, in bounded memory: exact up to {@link #EXACT_LIMIT}
 * addresses (an {@link AddressSet}), then a HyperLogLog estimate (Flajolet et al. 2007, 2^14
 * one-byte registers: 16 KiB, about 0.8 % standard error). A flood that spoofs millions of
 * sources costs 16 KiB here, not a set of millions. An address may carry a port folded in (for
 * distinct services); within the exact range that is exact for IPv4.
 */
final class DistinctAddresses {
    /** Addresses counted exactly before the estimate takes over. */
    static final int EXACT_LIMIT = 4096;
    private static final int PRECISION = 14;
    private static final int REGISTERS = 1 << PRECISION;

    /** The one address seen, until a second comes (most counts are of one or two). */
    private long onlyHigh;
    private long onlyLow;
    private boolean one;
    private AddressSet exact;
    private byte[] registers;

    /** An address with a port folded into its unused high bits (IPv4-mapped addresses leave them zero). */
    static long withPort(long low, int port) {
        return low ^ ((long) port << 48);
    }

    void add(long high, long low) {
        if (exact == null && registers == null) {
            if (!one) {
                one = true;
                onlyHigh = high;
                onlyLow = low;
                return;
            }
            if (onlyHigh == high && onlyLow == low) {
                return;
            }
            exact = new AddressSet();
            exact.add(onlyHigh, onlyLow);
        }
        if (exact != null) {
            if (exact.add(high, low) && exact.size() > EXACT_LIMIT) {
                estimateFromNowOn();
            }
            return;
        }
        addToRegisters(high, low);
    }

    /** Adds every address {@code other} counted. */
    void addAll(DistinctAddresses other) {
        if (other.exact == null && other.registers == null) {
            if (other.one) {
                add(other.onlyHigh, other.onlyLow);
            }
            return;
        }
        if (other.exact != null) {
            other.exact.forEach((high, low) -> {
                add(high, low);
                return 0;
            });
            return;
        }
        if (registers == null) {
            estimateFromNowOn();
        }
        for (int i = 0; i < REGISTERS; i++) {
            registers[i] = (byte) Math.max(registers[i], other.registers[i]);
        }
    }

    /** Whether the count is exact (else an estimate). */
    boolean exact() {
        return registers == null;
    }

    /** Whether the address was seen; only while {@link #exact()}. */
    boolean contains(long high, long low) {
        if (exact == null) {
            return one && onlyHigh == high && onlyLow == low;
        }
        return exact.contains(high, low);
    }

    /** How many distinct addresses: exact, or an estimate past {@link #EXACT_LIMIT}. */
    long size() {
        if (registers == null) {
            return exact != null ? exact.size() : one ? 1 : 0;
        }
        double sum = 0;
        int zeros = 0;
        for (byte register : registers) {
            sum += 1.0 / (1L << register);
            zeros += register == 0 ? 1 : 0;
        }
        double alpha = 0.7213 / (1 + 1.079 / REGISTERS);
        double estimate = alpha * REGISTERS * (double) REGISTERS / sum;
        if (estimate <= 2.5 * REGISTERS && zeros > 0) {
            estimate = REGISTERS * Math.log((double) REGISTERS / zeros); // linear counting for the low range
        }
        return Math.round(estimate);
    }

    /**
     * How many of these addresses {@code others} does not hold: exact when both are exact, else
     * estimated as |this ∪ others| − |others|.
     */
    long notIn(DistinctAddresses others) {
        if (exact() && others.exact()) {
            if (exact == null) {
                return one && !others.contains(onlyHigh, onlyLow) ? 1 : 0;
            }
            long[] count = {0};
            exact.forEach((high, low) -> others.contains(high, low) ? 0 : count[0]++);
            return count[0];
        }
        DistinctAddresses union = new DistinctAddresses();
        union.addAll(this);
        union.addAll(others);
        return Math.max(0, union.size() - others.size());
    }

    private void estimateFromNowOn() {
        registers = new byte[REGISTERS];
        AddressSet seen = exact;
        exact = null;
        if (seen != null) {
            seen.forEach((high, low) -> {
                addToRegisters(high, low);
                return 0;
            });
        } else if (one) {
            addToRegisters(onlyHigh, onlyLow);
        }
    }

    private void addToRegisters(long high, long low) {
        long h = mix(high * 0x9E37_79B9_7F4A_7C15L ^ mix(low));
        int index = (int) (h >>> (64 - PRECISION));
        int rank = Long.numberOfLeadingZeros((h << PRECISION) | (1L << (PRECISION - 1))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    /** SplitMix64's finaliser: every input bit moves every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
