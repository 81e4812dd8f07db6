package dev.tcpstate.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.flow.Uids;
import dev.tcpstate.testing.Environment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpstate shell}: commands typed into a real jline terminal (piped), completion, history. */
class ShellTest {
    @TempDir
    Path dir;

    private static Shell shell(String sample) throws IOException {
        Uids.useKey(1); // not whatever key the tests before left
        Analyzer analyzer = new Analyzer(AnalysisConfig.defaults());
        List<String> captures = List.of(Environment.samples().resolve(sample).toString());
        Analysis analysis = analyzer.analyze(captures, DetectorSettings.DEFAULTS, 40, true);
        return new Shell(analysis, dev.tcpstate.report.TimeFormat.UTC, uid -> {
            try {
                return analyzer.ladder(captures, uid);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Types {@code input} into the shell as a person would, then (after a pause) ends the input. */
    private String session(Shell shell, String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.io.PipedOutputStream keyboard = new java.io.PipedOutputStream();
        java.io.PipedInputStream in = new java.io.PipedInputStream(keyboard, 1 << 16);
        Thread typist = new Thread(() -> {
            try {
                // one line per prompt, as a person types: wait for the shell to ask
                String[] lines = input.split("(?<=\n)");
                for (int i = 0; i < lines.length; i++) {
                    while (count(out.toString(StandardCharsets.UTF_8), "tcpstate> ") < i + 1) {
                        Thread.sleep(20);
                    }
                    keyboard.write(lines[i].getBytes(StandardCharsets.UTF_8));
                    keyboard.flush();
                }
                Thread.sleep(1000);
                keyboard.close();
            } catch (IOException | InterruptedException e) {
                // the shell quit first
            }
        });
        typist.setDaemon(true);
        typist.start();
        try (Terminal terminal = TerminalBuilder.builder().system(false).dumb(true).type("dumb").streams(in, out)
                .encoding(StandardCharsets.UTF_8).build()) {
            shell.run(terminal, dir.resolve("history"));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void commandsAnswerFromTheAnalysis() throws Exception {
        String output = session(shell("time-wait-burst.pcap"),
                "summary\nfindings\nconns --port 8080 --sort bytes\nladder " + Uids.uid(1, 1) + "\nladder 1\ntimewait 10.200.0.1\nconns --port x\nbogus\nquit\n");
        assertThat(output).contains("connections  2,000: 2,000 complete")
                .contains("NOTE     TS401 time-wait-buildup  10.200.0.1")
                .contains("2000 connections: 2000 complete")
                .contains("connection " + Uids.uid(1, 1) + ": A 10.200.0.1:").contains("TIME-WAIT")
                .contains("10.200.0.1: peak 2,000 endpoints in TIME-WAIT, 2,000 at the end of the capture; "
                        + "closed first as the client 2,000 times, as the server 0 times")
                .contains("conns: --port x (expected: a port from 0 to 65535)")
                .contains("unknown command 'bogus'");
        assertThat(Files.readString(dir.resolve("history"))).contains("timewait 10.200.0.1");
    }

    @Test
    void endOfInputLeavesTheShell() throws Exception {
        assertThat(session(shell("refused.pcap"), "conns --outcome refused\n")).contains("1 connection: 1 refused");
    }

    @Test
    void tabCompletesCommandsOptionsValuesUidsAndHosts() throws IOException {
        Shell shell = shell("time-wait-burst.pcap");
        try (Terminal terminal = TerminalBuilder.builder().system(false).dumb(true).type("dumb")
                .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            assertThat(complete(shell, reader, "")).containsAll(Shell.COMMANDS);
            assertThat(complete(shell, reader, "conns ")).contains("--outcome", "--state", "--host", "--port");
            assertThat(complete(shell, reader, "conns --outcome ")).contains("half-open", "refused", "complete");
            assertThat(complete(shell, reader, "ladder ")).as("a uid for every record")
                    .contains(Uids.uid(1, 1), Uids.uid(9, 1)).hasSize(2000);
            assertThat(complete(shell, reader, "timewait ")).containsExactly("10.200.0.1");
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<String> complete(Shell shell, LineReader reader, String line) {
        List<Candidate> candidates = new ArrayList<>();
        shell.completer().complete(reader, new DefaultParser().parse(line, line.length()), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }
}
