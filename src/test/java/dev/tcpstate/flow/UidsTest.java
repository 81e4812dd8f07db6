package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Uids look like Zeek's, differ per key, and read back to the key and record number that made them. */
class UidsTest {
    @Test
    void aUidIsCAndSeventeenBase62Digits() {
        for (int key : new int[] {0, 1, -1, 0x7FFF_FFFF}) {
            for (long id : new long[] {1, 2, 62, 1L << 32, (1L << 48) - 1}) {
                assertThat(Uids.uid(id, key)).matches("C[0-9a-zA-Z]{17}");
            }
        }
    }

    @Test
    void itReadsBackToItsKeyAndNumber() {
        for (int key : new int[] {0, 1, -1, 123_456_789}) {
            for (long id = 1; id < 5000; id += 7) {
                assertThat(Uids.decode(Uids.uid(id, key))).isEqualTo(new Uids.Decoded(key, id));
            }
            assertThat(Uids.decode(Uids.uid((1L << 48) - 1, key)).id()).isEqualTo((1L << 48) - 1);
        }
    }

    /** Fixed values: a change of the scheme changes every golden file, and must be deliberate. */
    @Test
    void theSchemeIsStable() {
        assertThat(Uids.uid(1, 1)).isEqualTo("C9DTeO1QG544Z76nb5");
        assertThat(Uids.uid(2, 1)).isEqualTo("CHGFc92gymzYx0WkWc");
    }

    @Test
    void noTwoRecordsNorTwoKeysShareAUid() {
        Set<String> seen = new HashSet<>();
        for (int key = 0; key < 20; key++) {
            for (long id = 1; id <= 5000; id++) {
                assertThat(seen.add(Uids.uid(id, key))).as("key %d record %d", key, id).isTrue();
            }
        }
        // and a run's uids do not share a prefix, as Zeek's random ones do not
        assertThat(Uids.uid(1, 5).substring(0, 4)).isNotEqualTo(Uids.uid(2, 5).substring(0, 4));
    }

    @Test
    void whatTcpstateDidNotMakeIsNotAUid() {
        for (String text : new String[] {"C1", "Ca", "", "C", "X9DTeO1QG544Z76nb5", "C9DTeO1QG544Z76nb", "C9DTeO1QG5-4Z76nb5",
            "CzzzzzzZZZZZZZZZZZ", "C9DTeO1QG544Z76nb5x"}) {
            assertThatThrownBy(() -> Uids.decode(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a connection uid");
        }
        // a mistyped digit decodes to a record number no capture reaches
        assertThatThrownBy(() -> Uids.decode("C9DTeO1QG544Z76nb6")).isInstanceOf(IllegalArgumentException.class);
    }
}
