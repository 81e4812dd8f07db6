package dev.tcpstate.cli;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.capture.CaptureInterface;
import dev.tcpstate.capture.CaptureInterfaces;
import dev.tcpstate.capture.CaptureUnavailableException;
import dev.tcpstate.capture.LiveCapture;
import dev.tcpstate.capture.LiveCaptures;
import dev.tcpstate.capture.LiveSource;
import dev.tcpstate.capture.LiveCaptureOptions;
import dev.tcpstate.capture.CaptureWriter;
import dev.tcpstate.live.Dashboard;
import dev.tcpstate.live.EventWriter;
import dev.tcpstate.live.MetricsEndpoint;
import dev.tcpstate.live.StopSignals;
import dev.tcpstate.live.WatchSession;
import dev.tcpstate.report.AnalyzeTextRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tcpstate watch}: live monitoring of an interface. */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        defaultValueProvider = DetectorDefaults.class,
        sortOptions = false,
        description = {"Watch an interface live: the same engine as 'analyze', fed by libpcap (pcap4j). On a "
                + "terminal it shows a dashboard; otherwise, or with --format ndjson|text, it writes a stream of "
                + "events (connection opened/closed, and in ndjson each connection's final record as 'connections' "
                + "writes it; finding raised/cleared; stats each second). On exit (Ctrl-C, "
                + "SIGTERM, --duration) it prints the same final report as 'analyze' and exits 0; a second Ctrl-C "
                + "quits at once, without the report.",
            "An interface that goes down is waited for (libpcap captures again once it is up), with a line on "
                + "stderr; one that disappears ends the watch with the report of what was seen, a line saying so, "
                + "and exit code 4. The --write file is valid at every moment (whole records only).",
            "Capturing needs root, or CAP_NET_RAW and CAP_NET_ADMIN for java."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok (also after Ctrl-C)", "2:usage",
            "4:capture unavailable (no libpcap, no permission, no such interface, or it disappeared while watching)",
            "5:internal error"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  sudo tcpstate watch -i eth0",
            "  sudo tcpstate watch -i eth0 -f 'tcp port 443' --duration 60s --format ndjson > events.ndjson",
            "  sudo tcpstate watch -i any -w traffic.pcap --format text",
            "  sudo tcpstate watch -i eth0 -i wg0 -w both.pcapng --no-dashboard --metrics 127.0.0.1:9464",
            "  sudo tcpstate watch                        (the interface tcpdump would take)",})
final class WatchCommand implements Callable<Integer> {
    enum Format { auto, dashboard, ndjson, text }

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE",
            description = "Interface to capture on ('tcpstate interfaces' lists them; 'any' for all on Linux); "
                    + "repeat it to watch several as one. Default: the one tcpdump would take, the first that is up "
                    + "and not loopback.")
    List<String> interfaces = new java.util.ArrayList<>();

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", defaultValue = "tcp",
            description = "Capture filter, as tcpdump takes it (default: ${DEFAULT-VALUE}).")
    String filter;

    @Option(names = "--duration", paramLabel = "TIME",
            description = "Stop after this long (e.g. 30s, 5m, 1h, 500ms); default: until Ctrl-C.")
    String duration;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "Serve Prometheus/OpenMetrics metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464, "
                    + ":9464 for every address; docs/monitoring.md lists them).")
    String metrics;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE",
            description = "Also write the captured frames to FILE, as tcpdump -w does: pcap, or pcapng when FILE "
                    + "ends in .pcapng or the interfaces (-i) differ in link type.")
    Path write;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "dashboard, ndjson (a JSON event a line), text (a line per event), or auto (default: the "
                    + "dashboard on a terminal, ndjson otherwise).")
    Format format;

    @Option(names = "--window", paramLabel = "SECONDS", defaultValue = "300",
            description = "Closed connections count for live findings this long (default ${DEFAULT-VALUE}); a "
                    + "finding is cleared when its evidence has aged out.")
    double windowSeconds;

    @Option(names = "--snaplen", paramLabel = "BYTES", defaultValue = "262144",
            description = "Bytes kept of each frame (default ${DEFAULT-VALUE}; 128 is enough for TCP headers).")
    int snaplen;

    @Option(names = "--buffer", paramLabel = "MIB", defaultValue = "16",
            description = "libpcap's kernel buffer in MiB (default ${DEFAULT-VALUE}, at least 4).")
    int bufferMib;

    @Option(names = "--queue", paramLabel = "FRAMES", defaultValue = "65536",
            description = "Frames the capture thread may hold for the analysis (default ${DEFAULT-VALUE}); past it "
                    + "frames are dropped and counted (TS501 capture-loss).")
    int queueFrames;

    @Mixin
    ChecksumOption checksum;

    @Option(names = "--width", paramLabel = "COLUMNS", description = "Width of text output (default: $COLUMNS, else 80).")
    Integer width;

    @Option(names = "--no-dashboard",
            description = "Never the full-screen dashboard, also on a terminal: events as --format says (ndjson by "
                    + "default), as a service runs it. Implied when standard output is not a terminal.")
    boolean noDashboard;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the events and the final report to FILE instead of standard output, rotated by size "
                    + "(--rotate-size; FILE.1 is the newest old one). Implies --no-dashboard.")
    Path output;

    @Option(names = "--rotate-size", paramLabel = "MIB", defaultValue = "100",
            description = "With --output: start a new file once it reaches this many MiB (default ${DEFAULT-VALUE}), "
                    + "keeping --rotate-keep old ones.")
    long rotateMib;

    @Option(names = "--rotate-keep", paramLabel = "N", defaultValue = "5",
            description = "With --output: old files kept (default ${DEFAULT-VALUE}).")
    int rotateKeep;

    @Mixin
    TimeZoneOption timeZone;

    @Mixin
    AnalysisOptions analysisOptions;

    @Override
    public Integer call() throws Exception {
        Optional<Duration> limit = duration == null ? Optional.empty() : Optional.of(parseDuration(duration));
        if (!(windowSeconds > 0)) {
            throw new IllegalArgumentException("--window " + windowSeconds + " (expected: positive seconds)");
        }
        var config = analysisOptions.config(checksum.mode);
        var settings = analysisOptions.settings();
        boolean headless = noDashboard || output != null;
        if (headless && format == Format.dashboard) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--format dashboard cannot go with --no-dashboard or --output");
        }
        if (queueFrames < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--queue must be at least 1");
        }
        if (rotateMib < 1 || rotateKeep < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--rotate-size and --rotate-keep must be at least 1");
        }
        Format chosen = format != Format.auto ? format
                : !headless && System.console() != null ? Format.dashboard : Format.ndjson;
        if (interfaces.isEmpty()) {
            interfaces.add(defaultInterface());
        }
        for (String name : interfaces) {
            checkInterface(name);
        }
        String interfaceName = String.join("+", interfaces);
        PrintWriter out = output == null ? spec.commandLine().getOut()
                : new PrintWriter(new dev.tcpstate.live.RotatingFile(output, rotateMib << 20, rotateKeep));
        PrintWriter err = spec.commandLine().getErr();
        int columns = Terminal.width(width);
        boolean screen = chosen == Format.dashboard;
        EventWriter events = new EventWriter(out, chosen == Format.ndjson, columns, timeZone.times());
        // a live capture is gone once watched: the report names the file that keeps it, or how to keep one
        String allConnections = write == null ? "watch -w FILE keeps the frames; tcpstate connections FILE lists them"
                : "tcpstate connections " + write + " shows them all";
        events.allConnections(allConnections);
        Dashboard dashboard = new Dashboard(timeZone.times());
        // the event stream is written on a thread of its own: the analysis thread only tracks
        Optional<dev.tcpstate.live.BackgroundListener> background = screen ? Optional.empty()
                : Optional.of(new dev.tcpstate.live.BackgroundListener(events));
        LiveAnalyzer analyzer = new LiveAnalyzer(config, settings, (long) (windowSeconds * 1e9),
                background.isPresent() ? background.get() : EventWriter.SILENT);
        List<LiveCaptureOptions> options = interfaces.stream().map(name -> new LiveCaptureOptions(name, snaplen,
                bufferMib << 20, filter, false, queueFrames)).toList();
        try (LiveSource capture = LiveCaptures.start(options)) {
            Optional<CaptureWriter> writer = write == null ? Optional.empty()
                    : Optional.of(CaptureWriter.create(write, capture.interfaces(), snaplen));
            // on the dashboard's screen a line on stderr would be drawn over: keep it for afterwards
            List<String> laterNotices = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.function.Consumer<String> notices = screen ? laterNotices::add : line -> {
                err.println("tcpstate: " + line);
                err.flush();
            };
            Optional<MetricsEndpoint> endpoint = metrics == null ? Optional.empty() : Optional.of(startMetrics(metrics));
            java.util.function.Consumer<dev.tcpstate.analysis.LiveSnapshot> shown = screen ? dashboard::publish
                    : events::stats;
            // one snapshot a second feeds the screen (or the event stream) and the metrics alike
            java.util.function.Consumer<dev.tcpstate.analysis.LiveSnapshot> snapshots = endpoint.isEmpty() ? shown
                    : snapshot -> {
                        endpoint.get().publish(snapshot);
                        shown.accept(snapshot);
                    };
            WatchSession session = new WatchSession(capture, analyzer, writer, limit, snapshots,
                    screen ? dashboard::selectedUid : () -> null, notices, timeZone.times());
            // Ctrl-C, SIGTERM, SIGHUP: the session drains and closes the file, and the report follows
            // uncut; the handlers stay until the last line, so only a second signal cuts it short
            StopSignals signals = StopSignals.install(session::stop);
            try {
                String source = interfaceName + (filter.isBlank() ? "" : " (" + filter + ")");
                err.println("tcpstate: watching " + source + limit.map(d -> " for " + duration).orElse("; Ctrl-C stops")
                        + writer.map(w -> "; writing " + write + " (" + w.format() + ")").orElse("")
                        + (output == null ? "" : "; events to " + output)
                        + endpoint.map(e -> "; metrics on port " + e.port() + " at /metrics").orElse(""));
                err.flush();
                Analysis report = screen ? withDashboard(session, dashboard, source, columns)
                        : session.run(AnalyzeTextRenderer.timelineColumns(columns));
                laterNotices.forEach(line -> err.println("tcpstate: " + line));
                if (screen) {
                    AnalyzeTextRenderer.render(report, columns, Terminal.unicode(), timeZone.times(), allConnections, out);
                } else {
                    background.get().close(); // every event before the report
                    events.report(report);
                }
                out.flush();
                LiveCapture.Counts counts = capture.counts();
                err.println(String.format(java.util.Locale.ROOT, "tcpstate: %,d frames received by libpcap, %,d "
                        + "dropped by the kernel, %,d by the interface, %,d by tcpstate's queue%s", counts.received(),
                        counts.droppedByKernel(), counts.droppedByInterface(), counts.droppedByQueue(),
                        interfaces.contains("lo") || interfaces.contains("any")
                                ? " (libpcap counts loopback frames twice, once each way)" : ""));
                writer.ifPresent(w -> err.println("tcpstate: wrote " + w.frames() + " frames to " + write));
                // the capture ended on its own: the report covers what came before; exit 4 says it was cut short
                Optional<String> failure = capture.failure();
                failure.ifPresent(line -> err.println("tcpstate: " + line));
                err.flush();
                return failure.isPresent() ? ExitCodes.CAPTURE_UNAVAILABLE : ExitCodes.OK;
            } finally {
                signals.close();
                endpoint.ifPresent(MetricsEndpoint::close);
                if (output != null) {
                    out.close(); // the event file: what was written stays, whole lines only
                }
            }
        }
    }

    /**
     * The analysis thread runs the session while this thread runs the screen; whichever ends first
     * (q or Ctrl-C on the screen, --duration or the capture in the session) ends the other.
     */
    private static Analysis withDashboard(WatchSession session, Dashboard dashboard, String source, int columns)
            throws Exception {
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread analysis = new Thread(() -> {
            try {
                result.set(session.run(AnalyzeTextRenderer.timelineColumns(columns)));
            } catch (Exception | Error e) {
                result.set(e);
            } finally {
                dashboard.close();
            }
        }, "tcpstate-analysis");
        analysis.start();
        dashboard.run(source, session::stop);
        analysis.join();
        if (result.get() instanceof Exception e) {
            throw e;
        }
        if (result.get() instanceof Error e) {
            throw e;
        }
        return (Analysis) result.get();
    }

    /** A clear exit-4 message for an interface libpcap does not know, naming the ones it does. */
    /** Starts the metrics endpoint at HOST:PORT (":PORT": every address); a bad address is a usage error. */
    private MetricsEndpoint startMetrics(String hostPort) throws java.io.IOException {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? "" : hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (colon < 0 || port < 0 || port > 65_535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--metrics " + hostPort
                    + " (expected: HOST:PORT or :PORT, e.g. 127.0.0.1:9464)");
        }
        java.net.InetAddress address;
        try {
            address = host.isEmpty() ? java.net.InetAddress.getByName("0.0.0.0") : java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--metrics " + hostPort
                    + ": no such host " + host);
        }
        try {
            return MetricsEndpoint.start(address, port);
        } catch (java.io.IOException e) {
            throw new java.io.IOException("cannot serve metrics on " + hostPort + ": " + e.getMessage(), e);
        }
    }

    /**
     * The interface tcpdump takes when given none: libpcap lists interfaces that are up and
     * running, with addresses, before the others, and tcpdump takes the first that is not
     * loopback (nor the "any" pseudo-interface).
     */
    static String defaultInterface() throws CaptureUnavailableException {
        return defaultInterface(CaptureInterfaces.list());
    }

    static String defaultInterface(List<CaptureInterface> interfaces) throws CaptureUnavailableException {
        return interfaces.stream().filter(i -> i.up() && !i.loopback() && !i.name().equals("any")).findFirst()
                .or(() -> interfaces.stream().filter(i -> !i.name().equals("any")).findFirst())
                .map(CaptureInterface::name)
                .orElseThrow(() -> new CaptureUnavailableException(
                        "no interface to capture on here: name one with -i ('tcpstate interfaces' lists them)"));
    }

    private static void checkInterface(String name) throws CaptureUnavailableException {
        if (name.equals("any")) {
            return;
        }
        List<String> names = CaptureInterfaces.list().stream().map(CaptureInterface::name).toList();
        if (!names.contains(name)) {
            throw new CaptureUnavailableException("no such interface: " + name + " (capture interfaces here: "
                    + (names.isEmpty() ? "none visible; try as root" : String.join(", ", names)) + ")");
        }
    }

    /** "30s", "5m", "1h", "500ms" or plain seconds. */
    static Duration parseDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?").matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--duration " + text + " (expected: e.g. 30s, 5m, 1h, 500ms)");
        }
        double value = Double.parseDouble(m.group(1));
        double seconds = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> value / 1000;
            case "m" -> value * 60;
            case "h" -> value * 3600;
            default -> value;
        };
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--duration " + text + " (expected: more than zero)");
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
