package dev.tcpstate.cli;

import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.analysis.Ladder;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.Uids;
import dev.tcpstate.report.LadderSvgRenderer;
import dev.tcpstate.report.LadderTextRenderer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tcpstate ladder}: one connection drawn as RFC 793 draws its figures. */
@Command(name = "ladder", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Draw one connection as RFC 793 draws its examples: time down the page, the two endpoints "
                + "as columns, each segment as an arrow with its flags, sequence and acknowledgement numbers and "
                + "length, and the state of both sides after it (as the capture shows them). Retransmissions and "
                + "other oddities are marked under the segment.",
            "Pick the connection by the uid 'tcpstate connections' prints, or by its endpoints."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:drawn", "2:usage (no such connection)", "3:unreadable or corrupt capture",
            "6:output not written"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tcpstate ladder samples/half-open.pcap --tuple 10.200.0.1:40000-10.200.0.2:8080",
            "  tcpstate connections --uid-seed 1 --format csv samples/client-close.pcap   (uid C9DTeO1QG544Z76nb5)",
            "  tcpstate ladder samples/client-close.pcap --conn C9DTeO1QG544Z76nb5",
            "  tcpstate ladder capture.pcap --conn UID --format svg > ladder.svg",})
final class LadderCommand implements Callable<Integer> {
    enum Format { text, svg }

    @Spec
    CommandSpec spec;

    @Mixin
    CaptureOptions capture;

    static final class Which {
        @Option(names = "--conn", paramLabel = "UID", required = true,
                description = "The connection's uid, as 'tcpstate connections' printed it (any run's: a uid carries its "
                        + "run's key).")
        String uid;

        @Option(names = "--tuple", paramLabel = "A:P-B:Q", required = true,
                description = "The connection's endpoints, either order; IPv6 in brackets: [fd00::1]:40000-[fd00::2]:80.")
        String tuple;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or svg (a picture of the same).")
    Format format;

    @Option(names = "--absolute", description = "Sequence numbers as sent, not relative to each side's ISN.")
    boolean absolute;

    @Option(names = "--width", paramLabel = "COLUMNS", description = "Width of the text (default: $COLUMNS, else 80).")
    Integer width;

    @Mixin
    TimeZoneOption timeZone;

    @Mixin
    TrackingOptions tracking;

    @Mixin
    UidSeedOption uidSeed;

    @Override
    public Integer call() throws Exception {
        Analyzer analyzer = new Analyzer(tracking.config(capture.checksums())).selecting(capture.selection());
        PrintWriter err = spec.commandLine().getErr();
        String uid = which.uid;
        if (uid != null) {
            // the uid names the run that printed it: draw it under that run's key, so it prints the same
            try {
                Uids.useKey(Uids.decode(uid).key());
            } catch (IllegalArgumentException notUid) {
                throw new IllegalArgumentException("--conn " + uid + ": " + notUid.getMessage());
            }
        } else {
            List<ConnectionRecord> matches = analyzer.connections(capture.captures()).records().stream()
                    .filter(record -> matches(record, which.tuple)).toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("--tuple " + which.tuple + ": no connection between these endpoints");
            }
            uid = matches.get(0).uid();
            if (matches.size() > 1) {
                err.println("tcpstate: " + matches.size() + " connections between these endpoints ("
                        + String.join(", ", matches.stream().map(ConnectionRecord::uid).toList()) + "); drawing "
                        + uid + ", --conn picks another");
                err.flush();
            }
        }
        String wanted = uid;
        Analyzer.LadderPass drawn = analyzer.ladderPass(capture.captures(), wanted);
        Ladder ladder = drawn.ladder().orElseThrow(() -> new IllegalArgumentException(
                "--conn " + wanted + ": no such connection (tcpstate connections lists their uids)"));
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case text -> LadderTextRenderer.render(ladder, absolute, Terminal.width(width), timeZone.times(), out);
            case svg -> LadderSvgRenderer.render(ladder, absolute, timeZone.times(), out);
        }
        out.flush();
        return InputFailures.report(drawn.pass().reading().failures(), err, ExitCodes.OK);
    }

    /** Whether the record joins the two endpoints of {@code tuple}, in either order. */
    static boolean matches(ConnectionRecord record, String tuple) {
        String[] ends = split(tuple);
        String a = ConnectionRecord.endpoint(record.originatorAddress(), record.originatorPort());
        String b = record.service();
        return ends[0].equals(a) && ends[1].equals(b) || ends[0].equals(b) && ends[1].equals(a);
    }

    /** "A:P-B:Q" into its two endpoints, addresses normalised as tcpstate prints them. */
    private static String[] split(String tuple) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(\\[[^\\]]+\\]|[^:\\[\\]-]+):(\\d+)-(\\[[^\\]]+\\]|[^:\\[\\]-]+):(\\d+)").matcher(tuple.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--tuple " + tuple
                    + " (expected: A:P-B:Q, e.g. 10.0.0.1:40000-10.0.0.2:80 or [fd00::1]:40000-[fd00::2]:80)");
        }
        return new String[] {endpoint(m.group(1), m.group(2), tuple), endpoint(m.group(3), m.group(4), tuple)};
    }

    private static String endpoint(String host, String port, String tuple) {
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("--tuple " + tuple + ": '" + host + "' is not an IP address");
        }
        try {
            String normal = dev.tcpstate.decode.IpAddresses.format(InetAddress.getByName(literal).getAddress());
            return ConnectionRecord.endpoint(normal, Integer.parseInt(port));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("--tuple " + tuple + ": '" + host + "' is not an IP address");
        }
    }
}
