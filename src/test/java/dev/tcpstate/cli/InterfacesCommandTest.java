package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InterfacesCommandTest {
    @BeforeEach
    void needsLibpcap() {
        Assumptions.assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed: nothing to list");
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args)).isZero();
        return out.toString();
    }

    @Test
    void listsLoopbackWithItsFlagsAndAddresses() {
        assertThat(run("interfaces").lines())
                .first().asString().startsWith("INTERFACE");
        assertThat(run("interfaces").lines().filter(line -> line.startsWith("lo ")))
                .singleElement().asString().contains("loopback").contains("127.0.0.1");
    }

    @Test
    void jsonNamesEachInterfaceOnce() {
        String json = run("interfaces", "--format", "json");
        assertThat(json).startsWith("[{\"name\":").contains("{\"name\":\"lo\"")
                .contains("\"addresses\":[\"127.0.0.1\"");
    }
}
