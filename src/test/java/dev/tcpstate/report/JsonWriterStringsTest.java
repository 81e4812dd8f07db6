package dev.tcpstate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every string comes back from a JSON parser as it went in: plain ones and the ones that need escapes. */
class JsonWriterStringsTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.1", "ShADadFf", "syn-received", "quote \" inside", "back\\slash",
            "line\nbreak\r\ttab", "bell \u0007 and nul \u0000", "unicode é ✓ 🙂", "\u001f\u0020"})
    void stringsRoundTrip(String text) throws Exception {
        StringBuilder out = new StringBuilder();
        new JsonWriter(out).beginObject().field(text, text).endObject();
        var parsed = new ObjectMapper().readTree(out.toString());
        assertThat(parsed.path(text).asText()).isEqualTo(text);
        assertThat(parsed.size()).isEqualTo(1);
    }
}
