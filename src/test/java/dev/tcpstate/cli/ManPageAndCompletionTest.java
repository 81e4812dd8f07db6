package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The man pages in docs/man are what picocli generates from the commands today (regenerate with
 * docs/man/generate.sh), and the completion script completes commands and their options.
 */
class ManPageAndCompletionTest {
    @TempDir
    Path dir;

    @Test
    void theCheckedInManPagesMatchTheCommands() throws Exception {
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "gen-manpage", "--outdir",
                dir.toString())).as(err.toString()).isZero();
        List<Path> generated;
        try (Stream<Path> files = Files.list(dir)) {
            generated = files.filter(f -> f.toString().endsWith(".adoc")).sorted().toList();
        }
        assertThat(generated).extracting(p -> p.getFileName().toString()).contains("tcpstate.adoc",
                "tcpstate-analyze.adoc", "tcpstate-check.adoc", "tcpstate-ladder.adoc", "tcpstate-connections.adoc");
        for (Path page : generated) {
            Path checkedIn = Path.of("docs/man").resolve(page.getFileName());
            assertThat(checkedIn).as("docs/man/generate.sh writes it").exists();
            assertThat(Files.readString(checkedIn)).as(checkedIn + " is out of date: run docs/man/generate.sh")
                    .isEqualTo(Files.readString(page));
            Path roff = Path.of("docs/man").resolve(page.getFileName().toString().replace(".adoc", ".1"));
            assertThat(roff).as("the roff page next to it").exists();
        }
        assertThat(Files.readString(dir.resolve("tcpstate-check.adoc"))).contains("--max-half-open")
                .contains("--format").contains("--rules");
    }

    @Test
    void theCompletionScriptCompletesCommandsAndOptions() throws Exception {
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "generate-completion")).isZero();
        String script = out.toString();
        assertThat(script).contains("analyze").contains("ladder").contains("--max-half-open").contains("--flood-rate");
        Assumptions.assumeTrue(!Environment.run("bash", "--version").isEmpty(), "bash is not installed");
        Path file = Files.writeString(dir.resolve("tcpstate-completion.bash"), script);
        // what bash offers after "tcpstate che" and after "tcpstate check --max-h"
        String offered = Environment.run("bash", "-c", "source " + file + "; "
                + "COMP_WORDS=(tcpstate che); COMP_CWORD=1; COMP_LINE='tcpstate che'; COMP_POINT=12; "
                + "_complete_tcpstate; echo \"${COMPREPLY[@]}\"; "
                + "COMP_WORDS=(tcpstate check --max-h); COMP_CWORD=2; COMP_LINE='tcpstate check --max-h'; "
                + "COMP_POINT=22; _complete_tcpstate; echo \"${COMPREPLY[@]}\"");
        List<String> lines = offered.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("check");
        assertThat(lines.get(1)).contains("--max-half-open").contains("--max-handshake-failures");
    }
}
