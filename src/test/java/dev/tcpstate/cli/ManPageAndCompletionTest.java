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
 * The man pages in docs/man and the completion script in docs/completion are what picocli
 * generates from the commands today (regenerate both with docs/man/generate.sh), and the
 * completion script completes commands, options, file names and option values.
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
        for (String page : List.of("tcpstate", "tcpstate-analyze", "tcpstate-check", "tcpstate-connections",
                "tcpstate-interfaces", "tcpstate-ladder", "tcpstate-shell", "tcpstate-stats", "tcpstate-watch")) {
            // the help's "Exit codes:" and "Examples:" as the man page sections of those names
            assertThat(Files.readString(dir.resolve(page + ".adoc"))).as(page)
                    .contains("\n== Exit status\n").contains("\n== Examples\n").doesNotContain("Exit codes:");
            assertThat(Files.readString(Path.of("docs/man", page + ".1"))).as(page)
                    .contains(".SH \"EXIT STATUS\"").contains(".SH \"EXAMPLES\"");
        }
        for (Path page : generated) {
            // a description starting with ". ", ".. ", "* " or "- " turns into an AsciiDoc list item ("1.")
            assertThat(Files.readAllLines(page)).as(page.getFileName().toString())
                    .noneMatch(line -> line.matches("  (\\.{1,5}|\\*{1,5}|-) .*"));
        }
    }

    /** The roff pages are what Asciidoctor makes of the AsciiDoc, and it makes them without a warning. */
    @Test
    void theRoffPagesAreAsciidoctorsRenderingWithoutWarnings() throws Exception {
        Assumptions.assumeTrue(!Environment.run("asciidoctor", "--version").isEmpty(), "asciidoctor is not installed");
        List<Path> sources;
        try (Stream<Path> files = Files.list(Path.of("docs/man"))) {
            sources = files.filter(f -> f.toString().endsWith(".adoc")).sorted().toList();
        }
        for (Path source : sources) {
            String roff = source.getFileName().toString().replace(".adoc", ".1");
            // as docs/man/generate.sh runs it
            Process asciidoctor = new ProcessBuilder("asciidoctor", "-b", "manpage", "-a", "reproducible",
                    "--failure-level", "WARN", "-D", dir.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String messages = new String(asciidoctor.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(asciidoctor.waitFor()).as(source + ": " + messages).isZero();
            assertThat(messages).as(source.toString()).isEmpty();
            assertThat(Files.readString(Path.of("docs/man", roff))).as("docs/man/" + roff + " is out of date: run "
                    + "docs/man/generate.sh").isEqualTo(Files.readString(dir.resolve(roff)));
        }
    }

    @Test
    void theCompletionScriptCompletesCommandsAndOptions() throws Exception {
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "generate-completion")).isZero();
        String script = out.toString();
        assertThat(Files.readString(Path.of("docs/completion/tcpstate.bash")))
                .as("docs/completion/tcpstate.bash (in the distribution) is out of date: run docs/man/generate.sh")
                .isEqualTo(script);
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

    /**
     * File arguments complete to file names, and option values to exactly the words the parser
     * takes (lower case, as typed): what bash offers for each partial command line.
     */
    @Test
    void theCompletionScriptCompletesFileNamesAndValuesAsTyped() throws Exception {
        Assumptions.assumeTrue(!Environment.run("bash", "--version").isEmpty(), "bash is not installed");
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "generate-completion")).isZero();
        Path script = Files.writeString(dir.resolve("tcpstate-completion.bash"), out.toString());
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("trace-one.pcap"), "");
        Files.writeString(work.resolve("trace-two.pcapng"), "");
        Files.writeString(work.resolve("rules.conf"), "");
        assertThat(offered(script, work, "tcpstate", "connections", "tra")).containsExactly("trace-one.pcap",
                "trace-two.pcapng");
        assertThat(offered(script, work, "tcpstate", "stats", "--format", "json", "trace-t"))
                .containsExactly("trace-two.pcapng");
        assertThat(offered(script, work, "tcpstate", "analyze", "-r", "trace-o")).containsExactly("trace-one.pcap");
        assertThat(offered(script, work, "tcpstate", "ladder", "--read", "tr")).containsExactly("trace-one.pcap",
                "trace-two.pcapng");
        assertThat(offered(script, work, "tcpstate", "check", "--rules", "ru")).containsExactly("rules.conf");
        assertThat(offered(script, work, "tcpstate", "analyze", "-o", "ru")).containsExactly("rules.conf");
        assertThat(offered(script, work, "tcpstate", "watch", "-w", "ru")).containsExactly("rules.conf");
        assertThat(offered(script, work, "tcpstate", "stats", "--checksums", "")).containsExactly("ignore", "validate");
        assertThat(offered(script, work, "tcpstate", "check", "--fail-on", "")).containsExactly("error", "none", "note",
                "warning");
        assertThat(offered(script, work, "tcpstate", "connections", "--format", "")).containsExactly("csv", "json",
                "ndjson", "text", "zeek");
        // and what is offered is accepted
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "stats",
                "--checksums", "validate", "samples/client-close.pcap")).isZero();
    }

    /** COMPREPLY, sorted, after bash completes the last of {@code words} in {@code cwd}. */
    private static List<String> offered(Path script, Path cwd, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(" '").append(word).append("'");
        }
        String line = String.join(" ", words);
        Process bash = new ProcessBuilder("bash", "-c", "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + array
                + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length()
                + "; _complete_tcpstate 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"").directory(cwd.toFile()).start();
        bash.getOutputStream().close();
        String output = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).isZero();
        return output.lines().filter(reply -> !reply.isBlank()).sorted().toList();
    }
}
