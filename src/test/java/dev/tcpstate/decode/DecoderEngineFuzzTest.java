package dev.tcpstate.decode;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.analysis.CheckResult;
import dev.tcpstate.analysis.CheckRules;
import dev.tcpstate.analysis.Checker;
import dev.tcpstate.analysis.Ladder;
import dev.tcpstate.cli.Main;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.Uids;
import dev.tcpstate.report.AnalyzeJsonRenderer;
import dev.tcpstate.report.AnalyzeTextRenderer;
import dev.tcpstate.report.CheckTextRenderer;
import dev.tcpstate.report.ConnectionsRenderer;
import dev.tcpstate.report.ConnectionsTable;
import dev.tcpstate.report.HtmlRenderer;
import dev.tcpstate.report.JunitRenderer;
import dev.tcpstate.report.LadderSvgRenderer;
import dev.tcpstate.report.LadderTextRenderer;
import dev.tcpstate.report.SarifRenderer;
import dev.tcpstate.report.StatsJsonRenderer;
import dev.tcpstate.report.StatsTextRenderer;
import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.FuzzOracle;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Arbitrary frames through the whole analysis: decoder, tracker, state machines, detectors and
 * every report. The frames arrive in a valid pcap built here, so the fuzzer's effort goes into
 * the packets, not the container, and nothing may fail: no exception at all on the API path.
 *
 * <p>The selector byte picks the path. One value in sixteen runs a command line through
 * {@code Main.run} in this JVM (exit code and stderr checked as a user sees them); picocli makes
 * that about 10 ms a run, so the other fifteen call the analysis and every renderer directly,
 * with the checksum mode, chart style, sequence numbering and whether to draw a ladder (a
 * second pass over the capture) from the selector's bits.
 *
 * <p>Input: the selector byte, the link type (u16), the first frame's time in seconds (u32),
 * then frames, each a length (u16; with the top bit set the frame is recorded as cut by a snaplen,
 * its wire length 1,460 bytes longer), a time step in microseconds (u32) and the bytes (all
 * big-endian). {@code bench/fuzz-seeds.py} turns a pcap into this form.
 */
class DecoderEngineFuzzTest {
    /** A zone with a half-hour offset, so that times far from the epoch and odd offsets are formatted too. */
    private static final dev.tcpstate.report.TimeFormat ZONE = dev.tcpstate.report.TimeFormat.parse("Asia/Kolkata");

    /**
     * The commands a selector byte picks from, the exit codes each may end with, whether it writes
     * JSON, and whether its report may be empty (NDJSON of no connections is no lines).
     */
    private record Command(List<String> args, Set<Integer> exitCodes, boolean json, boolean mayBeEmpty) {
        Command(List<String> args, Set<Integer> exitCodes, boolean json) {
            this(args, exitCodes, json, false);
        }
    }

    private static final List<Command> COMMANDS = List.of(
            new Command(List.of("analyze", "--charts", "unicode", "--width", "100"), Set.of(0, 3), false),
            new Command(List.of("analyze", "--format", "json", "--checksums", "validate"), Set.of(0, 3), true),
            new Command(List.of("analyze", "--format", "html"), Set.of(0, 3), false),
            new Command(List.of("connections", "--width", "120"), Set.of(0, 3), false),
            new Command(List.of("connections", "--format", "zeek"), Set.of(0, 3), false),
            new Command(List.of("connections", "--format", "ndjson"), Set.of(0, 3), false, true),
            new Command(List.of("check", "--format", "sarif"), Set.of(0, 1, 3), true),
            new Command(List.of("check", "--format", "junit"), Set.of(0, 1, 3), false),
            new Command(List.of("stats", "--format", "json"), Set.of(0, 3), true),
            // exit 2 only for "no such connection": record 1 exists whenever one TCP segment decoded
            new Command(List.of("ladder", "--conn", Uids.uid(1, 0)), Set.of(0, 2, 3), false),
            new Command(List.of("ladder", "--conn", Uids.uid(1, 0), "--format", "svg", "--absolute"), Set.of(0, 2, 3),
                    false));
    private static final int HEADER = 7;
    private static final int FRAME_HEADER = 6;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CAPTURE = FuzzOracle.scratchFile(".pcap");

    @FuzzTest(maxDuration = "5s")
    void analysesAnyFramesAndSaysWhatItFound(byte[] input) throws Exception {
        if (input.length >= HEADER) {
            FuzzOracle.assertBoundedAllocation(input.length, () -> analyse(input));
        }
    }

    private static void analyse(byte[] input) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(input);
        int selector = in.get() & 0xFF;
        int linkType = in.getShort() & 0xFFFF;
        long micros = (in.getInt() & 0xFFFF_FFFFL) * 1_000_000L;
        CaptureWriter pcap = CaptureWriter.pcap(ByteOrder.LITTLE_ENDIAN, 0xA1B2C3D4, 262_144, linkType);
        while (in.remaining() >= FRAME_HEADER) {
            int length = in.getShort() & 0xFFFF;
            micros += in.getInt() & 0xFFFF_FFFFL;
            boolean cut = (length & 0x8000) != 0;
            byte[] frame = new byte[Math.min(length & 0x7FFF, in.remaining())];
            in.get(frame);
            pcap.record(micros / 1_000_000L, micros % 1_000_000L, frame, frame.length + (cut ? 1460 : 0));
        }
        Files.write(CAPTURE, pcap.toByteArray());
        if (selector % 16 == 15) {
            commandLine(COMMANDS.get((selector >>> 4) % COMMANDS.size()));
        } else {
            everyReport(selector);
        }
    }

    /** What the commands do, without picocli: one analysis, every renderer over it, and a ladder. */
    private static void everyReport(int selector) throws IOException {
        ChecksumMode checksums = (selector & 1) != 0 ? ChecksumMode.VALIDATE : ChecksumMode.IGNORE;
        boolean unicode = (selector & 2) != 0;
        boolean absolute = (selector & 4) != 0;
        int width = 60 + selector % 80;
        List<String> captures = List.of(CAPTURE.toString());
        Analyzer analyzer = new Analyzer(new AnalysisConfig(checksums, AnalysisConfig.DEFAULT_MSL_NANOS));
        Analysis analysis = analyzer.analyze(captures, DetectorSettings.DEFAULTS,
                AnalyzeTextRenderer.timelineColumns(width), true);
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        AnalyzeTextRenderer.render(analysis, width, unicode, ZONE, discard);
        json("analyze --format json", out -> AnalyzeJsonRenderer.render(analysis, out));
        HtmlRenderer.render(analysis, captures, "fuzz", ZONE, discard);
        List<ConnectionRecord> records = analysis.records();
        ConnectionsTable.render(records, width, ZONE, discard);
        ConnectionsRenderer.csv(records, discard);
        ConnectionsRenderer.zeek(records, discard);
        json("connections --format json", out -> ConnectionsRenderer.json(records, out));
        ConnectionsRenderer.ndjson(records, discard);
        json("stats --format json", out -> StatsJsonRenderer.render(analysis.summary(), out));
        StatsTextRenderer.render(analysis.summary(), ZONE, discard);
        CheckResult check = Checker.check(analysis, CheckRules.DEFAULTS, captures);
        CheckTextRenderer.render(check, discard);
        JunitRenderer.render(check, discard);
        json("check --format sarif", out -> SarifRenderer.render(check, Set.of(), "fuzz", out));
        if ((selector & 8) != 0) {
            ladder(analyzer, captures, records.size(), absolute, width, discard);
        }
        if (discard.checkError()) {
            throw new AssertionError("a renderer's writer failed");
        }
    }

    /** The first connection's ladder, which exists when a segment made a connection: a second pass. */
    private static void ladder(Analyzer analyzer, List<String> captures, int connections, boolean absolute, int width,
            PrintWriter discard) throws IOException {
        Optional<Ladder> ladder = analyzer.ladder(captures, Uids.uid(1, 0));
        if (ladder.isPresent() != (connections > 0)) {
            throw new AssertionError(connections + " connections, but " + (ladder.isPresent() ? "a" : "no")
                    + " ladder for C1");
        }
        ladder.ifPresent(steps -> {
            LadderTextRenderer.render(steps, absolute, width, ZONE, discard);
            LadderSvgRenderer.render(steps, absolute, ZONE, discard);
        });
    }

    private static void json(String what, java.util.function.Consumer<PrintWriter> renderer) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        renderer.accept(out);
        out.flush();
        try {
            JSON.readTree(text.toString());
        } catch (JsonProcessingException e) {
            throw new AssertionError("invalid JSON from " + what + "\n" + text, e);
        }
    }

    /** The command line as a user runs it: exit code, stderr and output checked. */
    private static void commandLine(Command command) {
        String[] args = new String[command.args().size() + 1];
        command.args().toArray(args);
        args[args.length - 1] = CAPTURE.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        check(command, code, out.toString(), err.toString());
    }

    private static void check(Command command, int code, String out, String err) {
        String run = String.join(" ", command.args()) + ": exit " + code + "\nstderr: " + err;
        if (!command.exitCodes().contains(code) || err.contains("\tat ")) {
            throw new AssertionError("unexpected end of " + run);
        }
        if (code == 2 && !err.contains("no such connection")) {
            throw new AssertionError("usage error on a valid command line: " + run);
        }
        for (String line : err.split("\n", -1)) {
            if (!line.isEmpty() && !line.startsWith("tcpstate: ")) {
                throw new AssertionError("stderr line not in the one-line form: \"" + line + "\" in " + run);
            }
        }
        if (code <= 1 && command.json()) {
            try {
                JSON.readTree(out);
            } catch (JsonProcessingException e) {
                throw new AssertionError("invalid JSON from " + run + "\n" + out, e);
            }
        }
        if (code <= 1 && out.isEmpty() && !command.mayBeEmpty()) {
            throw new AssertionError("no report from " + run);
        }
    }
}
