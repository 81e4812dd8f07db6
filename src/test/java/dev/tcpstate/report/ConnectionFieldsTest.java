package dev.tcpstate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.flow.ConnectionRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NDJSON writer's direct path writes each record exactly as the field table does. */
class ConnectionFieldsTest {
    @Test
    void theDirectJsonEqualsTheFieldTablesOnEverySampleRecord() throws IOException {
        List<String> samples = dev.tcpstate.testing.Environment.sampleCaptures().stream().map(Path::toString).toList();
        int checked = 0;
        boolean sawUnset = false;
        boolean sawContinues = false;
        for (String sample : samples) {
            for (ConnectionRecord record : new Analyzer(AnalysisConfig.defaults()).connections(List.of(sample)).records()) {
                StringBuilder table = new StringBuilder();
                ConnectionFields.json(record, new JsonWriter(table));
                StringBuilder direct = new StringBuilder();
                ConnectionFields.json(record, direct);
                assertThat(direct.toString()).as("%s %s", sample, record).isEqualTo(table.toString());
                sawUnset |= record.durationNanos().isEmpty() || record.handshakeRttNanos().isEmpty();
                sawContinues |= record.continuesUid().isPresent();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(4000);
        assertThat(sawUnset).as("records with unset fields were among them").isTrue();
        assertThat(sawContinues).as("and a record that continues another").isTrue();
    }

    @Test
    void decimalsAreExactWithTheirDigits() {
        assertThat(Times.seconds(1_500_000_000L)).isEqualTo("1.500000000");
        assertThat(Times.seconds(7)).isEqualTo("0.000000007");
        assertThat(Times.seconds(-1_000_000_001L)).isEqualTo("-1.000000001");
        assertThat(Times.milliseconds(37_000)).isEqualTo("0.037000");
        assertThat(Times.epochSeconds(1_795_433_850_002_682_000L)).isEqualTo("1795433850.002682000");
    }

    @Test
    void stringsAreEscapedAsJsonWants() {
        StringBuilder out = new StringBuilder();
        JsonWriter.quote("a\"b\\c\nd\u0001", out);
        assertThat(out.toString()).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
