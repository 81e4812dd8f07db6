package dev.tcpstate.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The address set agrees with a set of pairs on membership and size, through many resizes. */
class AddressSetTest {
    private record Pair(long high, long low) {
    }

    @Test
    void agreesWithAHashSetOfPairs() {
        Random random = new Random(3);
        AddressSet set = new AddressSet();
        Set<Pair> expected = new HashSet<>();
        int disagreements = 0;
        for (int i = 0; i < 200_000; i++) {
            // IPv4-mapped addresses from a small range, so many repeat, and some IPv6
            long high = random.nextInt(10) == 0 ? random.nextLong() : 0;
            long low = random.nextInt(10) == 0 ? random.nextLong() : 0xFFFF_0A00_0000L | random.nextInt(50_000);
            disagreements += set.add(high, low) == expected.add(new Pair(high, low)) ? 0 : 1;
        }
        assertThat(disagreements).as("adds that disagreed on whether the address was new").isZero();
        assertThat(set.size()).isEqualTo(expected.size());
        assertThat(expected.stream().filter(pair -> !set.contains(pair.high(), pair.low())).count()).isZero();
        assertThat(set.contains(1, 2)).isEqualTo(expected.contains(new Pair(1, 2)));
        Set<Pair> visited = new HashSet<>();
        set.forEach((high, low) -> visited.add(new Pair(high, low)) ? 1 : 0);
        assertThat(visited).isEqualTo(expected);
    }
}
