package dev.tcpstate.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The findings' counts read as {@code %,d} writes them, without its cost. */
class RecordsNumberTest {
    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 99, 100, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 123_456_789,
            -1, -1000, -123_456_789, Long.MAX_VALUE, Long.MIN_VALUE + 1})
    void thousandsSeparatorsAsFormatWritesThem(long n) {
        assertThat(Records.number(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
        assertThat(Records.count(n, "attempt")).isEqualTo(String.format(Locale.ROOT, "%,d ", n)
                + (n == 1 ? "attempt" : "attempts"));
    }
}
