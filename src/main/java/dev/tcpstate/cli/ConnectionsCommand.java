package dev.tcpstate.cli;

import dev.tcpstate.analysis.AddressRange;
import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.analysis.ConnectionQuery;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.live.StopSignals;
import dev.tcpstate.report.CommunityId;
import dev.tcpstate.report.ConnectionFields;
import dev.tcpstate.report.ConnectionsRenderer;
import dev.tcpstate.report.ConnectionsTable;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tcpstate connections}: one record per connection, every field in docs/connections.md. */
@Command(name = "connections", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"One record per connection: Zeek's conn.log fields (conn_state, history, ...), "
                + "tcpstate's outcome, and the RFC 793 state of both endpoints at the end of the capture.",
            "Records are split as Zeek splits them; fields are explained in docs/connections.md.",
            "Each record is written as soon as it is final (closed, TIME-WAIT over, or the capture ended), in "
                    + "the order records end, as Zeek writes conn.log; nothing is kept, so memory does not grow "
                    + "with the capture. --sort keeps every record to sort them."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "2:usage", "3:unreadable or corrupt capture", "5:internal error",
            "6:output not written"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tcpstate connections samples/client-close.pcap",
            "  tcpstate connections --outcome half-open,refused,unanswered capture.pcap",
            "  tcpstate connections --format ndjson capture.pcap | jq -r .outcome | sort | uniq -c",
            "  tcpstate connections --state S0,REJ --port 8080 capture.pcap",
            "  tcpstate connections --sort ts capture.pcap            (by start time; keeps every record)",
            "  tcpstate connections --format zeek capture.pcap | zeek-cut id.orig_h conn_state history"})
final class ConnectionsCommand implements Callable<Integer> {
    enum Format { text, json, ndjson, csv, zeek }

    @Spec
    CommandSpec spec;

    @Mixin
    CaptureOptions capture;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json, ndjson, csv, or zeek (Zeek's conn.log: its header, its fields in "
                    + "its order, then tcpstate's; for zeek-cut and Zeek log readers).")
    Format format;

    @Option(names = "--community-id-seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the community_id field (Community ID v1), 0 to 65535 (default ${DEFAULT-VALUE}, "
                    + "what other tools use unless told otherwise).")
    int communityIdSeed;

    @Option(names = "--state", paramLabel = "S,S", split = ",", converter = StateConverter.class,
            description = "Only these Zeek conn_state values (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, "
                    + "SHR, OTH; any case).")
    Set<String> states = Set.of();

    @Option(names = "--outcome", paramLabel = "O,O", split = ",", converter = OutcomeConverter.class,
            description = "Only these outcomes (complete, refused, unanswered, no-final-ack, reset-in-handshake, "
                    + "reset, half-open, half-closed, open, midstream).")
    Set<String> outcomes = Set.of();

    @Option(names = "--host", paramLabel = "ADDRESS", converter = HostConverter.class,
            description = "Only connections with this address on either side, or one in this CIDR block "
                    + "(10.0.0.0/8, fd00::/64).")
    AddressRange host;

    @Option(names = "--port", paramLabel = "PORT", converter = PortConverter.class,
            description = "Only connections with this port (0 to 65535) on either side.")
    Integer port;

    @Option(names = "--sort", paramLabel = "KEY",
            description = "Sort by ts (start time), duration, bytes or packets (largest first). Keeps every "
                    + "record until the end to sort them; without it records come in the order they end.")
    String sort;

    @Mixin
    TrackingOptions tracking;

    @Mixin
    UidSeedOption uidSeed;

    @Option(names = "--width", paramLabel = "COLUMNS",
            description = "Width of the text table (default: $COLUMNS, else 80).")
    Integer width;

    @Mixin
    TimeZoneOption timeZone;

    /** Picocli calls these per value; their messages end the usage error's one line. */
    static final class StateConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return checked(() -> ConnectionQuery.state(value));
        }
    }

    static final class OutcomeConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return checked(() -> ConnectionQuery.outcome(value));
        }
    }

    static final class PortConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return checked(() -> ConnectionQuery.port(value));
        }
    }

    static final class HostConverter implements ITypeConverter<AddressRange> {
        @Override
        public AddressRange convert(String value) {
            return checked(() -> AddressRange.parse(value));
        }
    }

    private static <T> T checked(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        java.util.Optional<ConnectionQuery.Sort> order = java.util.Optional.empty();
        if (sort != null) {
            try {
                order = java.util.Optional.of(ConnectionQuery.Sort.parse(sort));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--sort " + sort + " (expected: ts, duration, bytes or packets)");
            }
        }
        AnalysisConfig config = threads.apply(tracking.config(capture.checksums()));
        ConnectionQuery query = new ConnectionQuery(states, outcomes, Optional.ofNullable(host),
                port == null ? OptionalInt.empty() : OptionalInt.of(port), order.orElse(ConnectionQuery.Sort.TS));
        PrintWriter out = spec.commandLine().getOut();
        ConnectionFields fields = new ConnectionFields(new CommunityId(communityIdSeed));
        ConnectionsRenderer.Writer writer = switch (format) {
            case text -> ConnectionsTable.writer(Terminal.width(width), timeZone.times(), out);
            case json -> ConnectionsRenderer.json(fields, out);
            case ndjson -> ConnectionsRenderer.ndjson(fields, out);
            case csv -> ConnectionsRenderer.csv(fields, out);
            case zeek -> ConnectionsRenderer.zeek(fields, () -> ZonedDateTime.now(ZoneId.systemDefault()), out);
        };
        Analyzer analyzer = new Analyzer(config).selecting(capture.selection());
        Analyzer.Pass pass;
        try (StopSignals signals = capture.endStreamsOnSignal()) {
            pass = records(analyzer, query, order.isPresent(), writer);
        }
        capture.noteSignal(spec.commandLine().getErr());
        CaptureNotes.report(pass.reading().summary(), spec.commandLine().getErr());
        CaptureNotes.flowCap(pass.evictions(), pass.forgotten(), config.maxFlows(), spec.commandLine().getErr());
        return InputFailures.report(pass.reading().failures(), spec.commandLine().getErr(), ExitCodes.OK);
    }

    /** Reads the captures, writing the records that match as they end, or all at the end when sorted. */
    private Analyzer.Pass records(Analyzer analyzer, ConnectionQuery query, boolean sorted,
            ConnectionsRenderer.Writer writer) throws java.io.IOException {
        Analyzer.Pass pass;
        if (sorted) {
            List<ConnectionRecord> records = new java.util.ArrayList<>();
            pass = analyzer.stream(capture.captures(), record -> {
                if (query.matches(record)) {
                    records.add(record);
                }
            });
            ConnectionsRenderer.write(query.apply(records), writer);
        } else {
            pass = analyzer.stream(capture.captures(), record -> {
                if (query.matches(record)) {
                    writer.write(record);
                }
            });
            writer.finish();
        }
        return pass;
    }
}
