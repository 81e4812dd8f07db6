package dev.tcpstate.live;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.AddressRange;
import dev.tcpstate.analysis.ConnectionQuery;
import dev.tcpstate.analysis.Ladder;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.report.AnalyzeTextRenderer;
import dev.tcpstate.report.ConnectionsTable;
import dev.tcpstate.report.LadderTextRenderer;
import dev.tcpstate.report.TimeFormat;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.TcpState;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * {@code tcpstate shell}: an interactive explorer over one analysed capture, with completion
 * (commands, options, outcomes, uids, hosts) and history. Commands: summary, findings, conns,
 * ladder, timewait, help, quit.
 */
public final class Shell {
    static final List<String> COMMANDS = List.of("summary", "findings", "conns", "ladder", "timewait", "help", "quit");
    private static final List<String> CONNS_OPTIONS = List.of("--outcome", "--state", "--host", "--port", "--sort");

    private final Analysis analysis;
    private final TimeFormat times;
    private final Function<String, Optional<Ladder>> ladders;

    /**
     * @param times the zone the answers' times are written in
     * @param ladders draws the ladder of a uid (it reads the capture again)
     */
    public Shell(Analysis analysis, TimeFormat times, Function<String, Optional<Ladder>> ladders) {
        this.analysis = analysis;
        this.times = times;
        this.ladders = ladders;
    }

    /** Runs on this process's terminal (or, piped, on its standard input and output). */
    public void runOnSystemTerminal(java.nio.file.Path history) throws IOException {
        java.util.logging.Logger.getLogger("org.jline").setLevel(java.util.logging.Level.OFF);
        try (Terminal terminal = org.jline.terminal.TerminalBuilder.builder().system(true).dumb(true).build()) {
            run(terminal, history);
        }
    }

    /** Reads commands from {@code terminal} until quit or end of input. */
    public void run(Terminal terminal, java.nio.file.Path history) {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("tcpstate")
                .completer(completer()).variable(LineReader.HISTORY_FILE, history).build();
        PrintWriter out = terminal.writer();
        out.println("tcpstate shell: " + analysis.records().size() + " connections, " + analysis.findings().size()
                + " findings. 'help' lists the commands; Tab completes.");
        out.flush();
        while (true) {
            String line;
            try {
                line = reader.readLine("tcpstate> ");
            } catch (UserInterruptException e) {
                continue; // Ctrl-C drops the line being typed
            } catch (EndOfFileException e) {
                break;
            }
            if (!execute(line, out, Math.max(40, terminal.getWidth() > 0 ? terminal.getWidth() : 80))) {
                break;
            }
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            // no history file next time; nothing lost of the analysis
        }
    }

    /** Runs one command line; false when it was quit. */
    boolean execute(String line, PrintWriter out, int width) {
        List<String> words = new ArrayList<>(Arrays.asList(line.strip().split("\\s+")));
        String command = words.remove(0);
        try {
            switch (command) {
                case "" -> {
                    // nothing typed
                }
                case "summary" -> AnalyzeTextRenderer.summary(analysis, width, times, out);
                case "findings" -> AnalyzeTextRenderer.findings(analysis.findings(), width, times, out);
                case "conns" -> ConnectionsTable.render(query(words).apply(analysis.records()), width, times, out);
                case "ladder" -> ladder(words, out, width);
                case "timewait" -> timeWait(words, out);
                case "help", "?" -> help(out);
                case "quit", "exit" -> {
                    return false;
                }
                default -> out.println("unknown command '" + command + "': " + String.join(", ", COMMANDS));
            }
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
        }
        out.flush();
        return true;
    }

    private static ConnectionQuery query(List<String> words) {
        Set<String> states = new HashSet<>();
        Set<String> outcomes = new HashSet<>();
        Optional<AddressRange> host = Optional.empty();
        OptionalInt port = OptionalInt.empty();
        ConnectionQuery.Sort sort = ConnectionQuery.Sort.parse("ts");
        for (int i = 0; i < words.size(); i++) {
            String option = words.get(i);
            if (i + 1 >= words.size()) {
                throw new IllegalArgumentException("conns: " + option + " needs a value");
            }
            String value = words.get(++i);
            switch (option) {
                case "--outcome" -> Arrays.stream(value.split(","))
                        .forEach(outcome -> outcomes.add(conns(option, outcome, ConnectionQuery::outcome)));
                case "--state" -> Arrays.stream(value.split(","))
                        .forEach(state -> states.add(conns(option, state, ConnectionQuery::state)));
                case "--host" -> host = Optional.of(conns(option, value, AddressRange::parse));
                case "--port" -> port = OptionalInt.of(conns(option, value, ConnectionQuery::port));
                case "--sort" -> sort = ConnectionQuery.Sort.parse(value);
                default -> throw new IllegalArgumentException("conns: unknown option " + option + " (expected: "
                        + String.join(", ", CONNS_OPTIONS) + ")");
            }
        }
        return new ConnectionQuery(states, outcomes, host, port, sort);
    }

    /** A conns option's value parsed, or the message: "conns: --port 99999 (expected: ...)". */
    private static <T> T conns(String option, String value, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conns: " + option + " " + value + " " + e.getMessage(), e);
        }
    }

    private void ladder(List<String> words, PrintWriter out, int width) {
        if (words.size() != 1) {
            throw new IllegalArgumentException("ladder UID, e.g. ladder " + (analysis.records().isEmpty()
                    ? ConnectionRecord.uid(1) : analysis.records().get(0).uid()));
        }
        // a bare number is a record number (the packet that made the record)
        String uid = words.get(0).matches("\\d{1,15}") ? ConnectionRecord.uid(Long.parseLong(words.get(0)))
                : words.get(0);
        Ladder ladder = ladders.apply(uid).orElseThrow(() -> new IllegalArgumentException(
                "ladder: no connection " + uid + " ('conns' lists them)"));
        LadderTextRenderer.render(ladder, false, width, times, out);
    }

    private void timeWait(List<String> words, PrintWriter out) {
        if (words.size() != 1) {
            throw new IllegalArgumentException("timewait HOST, e.g. timewait " + hosts().stream().findFirst().orElse("10.0.0.1"));
        }
        String host = words.get(0);
        Map<String, Integer> peaks = analysis.detection().timeWaitPeaks();
        if (!peaks.containsKey(host)) {
            out.println(host + ": no endpoint in TIME-WAIT in this capture");
            return;
        }
        List<ConnectionRecord> atEnd = analysis.records().stream()
                .filter(r -> r.originatorAddress().equals(host) && r.originatorState() == TcpState.TIME_WAIT
                        || r.responderAddress().equals(host) && r.responderState() == TcpState.TIME_WAIT).toList();
        long asClient = analysis.records().stream().filter(r -> r.originatorAddress().equals(host)
                && r.originatorTimeWaitNanos().isPresent()).count();
        long asServer = analysis.records().stream().filter(r -> r.responderAddress().equals(host)
                && r.responderTimeWaitNanos().isPresent()).count();
        out.println(String.format(Locale.ROOT, "%s: peak %,d endpoints in TIME-WAIT, %,d at the end of the capture; "
                + "closed first as the client %,d times, as the server %,d times", host, peaks.get(host), atEnd.size(),
                asClient, asServer));
        analysis.findings().stream().filter(f -> f.subject().equals(host) || f.subject().startsWith(host + " >"))
                .filter(f -> f.type().id().startsWith("TS40"))
                .forEach(f -> out.println("  " + f.type().id() + " " + f.type().title() + ": " + f.message()));
        atEnd.stream().limit(10).forEach(r -> out.println("  " + r.uid() + " "
                + ConnectionRecord.endpoint(r.originatorAddress(), r.originatorPort()) + " > " + r.service()));
        if (atEnd.size() > 10) {
            out.println(String.format(Locale.ROOT, "  ... and %,d more (conns --host %s)", atEnd.size() - 10, host));
        }
    }

    private static void help(PrintWriter out) {
        out.println("summary                       what the capture holds, connections by outcome");
        out.println("findings                      the findings, worst first, with evidence and advice");
        out.println("conns [--outcome O,O] [--state S0,REJ] [--host ADDR] [--port N] [--sort ts|duration|bytes|packets]");
        out.println("                              the connections, filtered");
        out.println("ladder UID                    one connection drawn as RFC 793 does (uids: conns; Tab completes)");
        out.println("timewait HOST                 a host's endpoints in TIME-WAIT");
        out.println("help, quit                    this list; leave (Ctrl-D too)");
    }

    private Set<String> hosts() {
        Set<String> hosts = new java.util.TreeSet<>();
        analysis.records().forEach(r -> {
            r.originatorTimeWaitNanos().ifPresent(t -> hosts.add(r.originatorAddress()));
            r.responderTimeWaitNanos().ifPresent(t -> hosts.add(r.responderAddress()));
        });
        return hosts;
    }

    /** Completes commands, then per command: options and outcomes/states, uids, hosts. */
    Completer completer() {
        return (reader, line, candidates) -> {
            List<String> words = line.words();
            int index = line.wordIndex();
            if (index == 0) {
                COMMANDS.forEach(c -> candidates.add(new Candidate(c)));
                return;
            }
            String command = words.get(0);
            String previous = index >= 1 ? words.get(index - 1) : "";
            switch (command) {
                case "conns" -> {
                    switch (previous) {
                        case "--outcome" -> Arrays.stream(Outcome.values()).forEach(o -> candidates.add(new Candidate(o.label())));
                        case "--state" -> ConnectionQuery.STATES.forEach(s -> candidates.add(new Candidate(s)));
                        case "--sort" -> List.of("ts", "duration", "bytes", "packets").forEach(s -> candidates.add(new Candidate(s)));
                        case "--host" -> analysis.records().stream().flatMap(r -> java.util.stream.Stream.of(
                                r.originatorAddress(), r.responderAddress())).distinct().limit(1000)
                                .forEach(h -> candidates.add(new Candidate(h)));
                        default -> CONNS_OPTIONS.forEach(o -> candidates.add(new Candidate(o)));
                    }
                }
                case "ladder" -> analysis.records().stream().limit(10_000)
                        .forEach(r -> candidates.add(new Candidate(r.uid(), r.uid(), null, r.outcome().label(), null, null, true)));
                case "timewait" -> hosts().forEach(h -> candidates.add(new Candidate(h)));
                default -> {
                    // no arguments
                }
            }
        };
    }
}
