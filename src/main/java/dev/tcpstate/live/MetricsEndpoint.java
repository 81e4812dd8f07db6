package dev.tcpstate.live;

import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import dev.tcpstate.state.TcpState;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code watch --metrics HOST:PORT}: a Prometheus / OpenMetrics endpoint at {@code /metrics}. A
 * scrape reads the snapshot the session published last (once a second), the same one the
 * dashboard and the event stream show, so all of them give one set of numbers. Every label has a
 * bounded set of values (docs/monitoring.md): conn_state × outcome, the RFC 793 states, the finding
 * ids, the capture's drop causes, and the {@value #TIME_WAIT_HOSTS} hosts with the most TIME-WAIT
 * endpoints (the rest summed under {@code host="other"}).
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** Hosts named in tcpstate_time_wait; the others are summed under "other". */
    public static final int TIME_WAIT_HOSTS = 10;

    private final HTTPServer server;
    private volatile LiveSnapshot latest;

    private MetricsEndpoint(HTTPServer server) {
        this.server = server;
    }

    /** Serves /metrics on {@code address}:{@code port} (port 0: any free one) until closed. */
    public static MetricsEndpoint start(InetAddress address, int port) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricsEndpoint[] self = new MetricsEndpoint[1];
        registry.register((MultiCollector) () -> self[0].collect());
        HTTPServer server = HTTPServer.builder().inetAddress(address).port(port).registry(registry).buildAndStart();
        self[0] = new MetricsEndpoint(server);
        return self[0];
    }

    /** The port it listens on (useful with port 0). */
    public int port() {
        return server.getPort();
    }

    /** The session's latest picture; scrapes read it until the next one. */
    public void publish(LiveSnapshot snapshot) {
        latest = snapshot;
    }

    MetricSnapshots collect() {
        LiveSnapshot now = latest;
        MetricSnapshots.Builder metrics = MetricSnapshots.builder();
        if (now == null) {
            return metrics.build(); // nothing captured yet
        }
        CounterSnapshot.Builder connections = CounterSnapshot.builder().name("tcpstate_connections")
                .help("Connection records Zeek logged, by Zeek's conn_state and tcpstate's outcome");
        now.totals().ended().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<LiveSnapshot.Ended, Long> e) -> e.getKey().connState())
                        .thenComparing(e -> e.getKey().outcome()))
                .forEach(e -> connections.dataPoint(CounterDataPointSnapshot.builder().value(e.getValue())
                        .labels(Labels.of("conn_state", e.getKey().connState(), "outcome", e.getKey().outcome()))
                        .build()));
        metrics.metricSnapshot(connections.build());

        metrics.metricSnapshot(counter("tcpstate_syn", "Connections begun with a SYN", now.totals().synAttempts()));

        GaugeSnapshot.Builder endpoints = GaugeSnapshot.builder().name("tcpstate_endpoints")
                .help("Endpoints of the open connections by RFC 793 state, as the wire shows them");
        Map<TcpState, Integer> states = new EnumMap<>(TcpState.class);
        states.putAll(now.endpointStates());
        for (TcpState state : TcpState.values()) {
            endpoints.dataPoint(GaugeDataPointSnapshot.builder().value(states.getOrDefault(state, 0))
                    .labels(Labels.of("state", state.label())).build());
        }
        metrics.metricSnapshot(endpoints.build());

        metrics.metricSnapshot(gauge("tcpstate_open_connections", "Connections open now", now.openConnections()));
        metrics.metricSnapshot(gauge("tcpstate_half_open",
                "Open connections half-open now: an endpoint in SYN-SENT or SYN-RECEIVED, or a peer that lost the connection", now.halfOpen().size()));

        GaugeSnapshot.Builder timeWait = GaugeSnapshot.builder().name("tcpstate_time_wait")
                .help("Endpoints in TIME-WAIT now, for the " + TIME_WAIT_HOSTS + " hosts with most; the rest as other");
        List<Map.Entry<String, Integer>> hosts = now.timeWait().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
        long other = 0;
        for (int i = 0; i < hosts.size(); i++) {
            if (i < TIME_WAIT_HOSTS) {
                timeWait.dataPoint(GaugeDataPointSnapshot.builder().value(hosts.get(i).getValue())
                        .labels(Labels.of("host", hosts.get(i).getKey())).build());
            } else {
                other += hosts.get(i).getValue();
            }
        }
        timeWait.dataPoint(GaugeDataPointSnapshot.builder().value(other).labels(Labels.of("host", "other")).build());
        metrics.metricSnapshot(timeWait.build());

        GaugeSnapshot.Builder findings = GaugeSnapshot.builder().name("tcpstate_findings_active")
                .help("Findings active over the watch window, by id (docs/findings.md)");
        Map<FindingType, Integer> active = new EnumMap<>(FindingType.class);
        for (Finding finding : now.findings()) {
            active.merge(finding.type(), 1, Integer::sum);
        }
        for (FindingType type : FindingType.values()) {
            findings.dataPoint(GaugeDataPointSnapshot.builder().value(active.getOrDefault(type, 0))
                    .labels(Labels.of("id", type.id(), "name", type.title())).build());
        }
        metrics.metricSnapshot(findings.build());

        metrics.metricSnapshot(counter("tcpstate_packets", "Frames tcpstate analysed", now.summary().frames()));
        LiveSnapshot.CaptureCounts capture = now.capture();
        metrics.metricSnapshot(counter("tcpstate_capture_received", "Frames libpcap received", capture.received()));
        CounterSnapshot.Builder dropped = CounterSnapshot.builder().name("tcpstate_dropped")
                .help("Frames lost before analysis, by where: the kernel's buffer, the interface, tcpstate's queue");
        dropped.dataPoint(CounterDataPointSnapshot.builder().value(capture.droppedByKernel()).labels(Labels.of("by", "kernel")).build());
        dropped.dataPoint(CounterDataPointSnapshot.builder().value(capture.droppedByInterface()).labels(Labels.of("by", "interface")).build());
        dropped.dataPoint(CounterDataPointSnapshot.builder().value(capture.droppedByQueue()).labels(Labels.of("by", "queue")).build());
        metrics.metricSnapshot(dropped.build());
        return metrics.build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeSnapshot gauge(String name, String help, long value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
