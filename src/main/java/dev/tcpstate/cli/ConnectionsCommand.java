package dev.tcpstate.cli;

import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.analysis.ConnectionRecord;
import dev.tcpstate.report.ConnectionsNdjsonRenderer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Hidden while issue 3 is in progress: NDJSON only, no filters or outcome words yet. It is here
 * so the Zeek conformance corpus can be run against the engine.
 */
@Command(name = "connections", hidden = true, sortOptions = false,
        description = {"(in progress) One record per connection: Zeek's conn.log fields, conn_state and history, "
                + "and the RFC 793 state of both endpoints at the end."},
        footer = {"", "Example:", "  tcpstate connections --format ndjson samples/client-close.pcap"})
final class ConnectionsCommand implements Callable<Integer> {
    enum Format { ndjson }

    @Spec
    CommandSpec spec;

    @Mixin
    CaptureOptions capture;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ndjson", description = "ndjson (for now).")
    Format format;

    @Override
    public Integer call() throws Exception {
        List<ConnectionRecord> records = new Analyzer(capture.config()).connections(capture.captures);
        ConnectionsNdjsonRenderer.render(records, spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
