package dev.tcpstate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: output must equal the file checked in beside the tests, so a change of output is a
 * change of the file, reviewed in the diff. {@code ./mvnw test -Dgolden.update=true} rewrites them.
 */
public final class Golden {
    private Golden() {
    }

    public static void assertMatches(Path golden, String actual) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file (create with -Dgolden.update=true)").exists();
        assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
