package dev.tcpstate.flink;

import dev.tcpstate.detect.CaptureLoss;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.report.AnalyzeJsonRenderer;
import dev.tcpstate.report.JsonWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The findings of every detector key in one place (one key, parallelism 1: findings are few),
 * at the end of input: the capture-loss check over the totals, worst first as
 * {@code tcpstate analyze} orders them, each line as {@code analyze --format ndjson} writes it.
 */
final class FindingsReport extends KeyedProcessFunction<Byte, ReportPart, String> {
    /** Detectors.finish's order: worst first, then by type, start and subject. */
    static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity).reversed()
            .thenComparing(Finding::type).thenComparingLong(Finding::startNanos).thenComparing(Finding::subject);

    /** What has come in so far. */
    static final class Collected {
        final List<Finding> findings = new ArrayList<>();
        long payloadBytes;
        long missedBytes;
        long truncatedPayloadBytes;
        long captureEndNanos = Long.MIN_VALUE;
    }

    private final JobSettings settings;
    private transient ValueState<Collected> state;

    FindingsReport(JobSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("collected",
                TypeInformation.of(Collected.class)));
    }

    @Override
    public void processElement(ReportPart part, Context context, Collector<String> out) throws Exception {
        Collected collected = state.value();
        if (collected == null) {
            collected = new Collected();
            state.update(collected);
            context.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        if (part.kind == ReportPart.FINDING) {
            collected.findings.add(FindingCodec.read(part.finding));
        } else {
            collected.payloadBytes += part.payloadBytes;
            collected.missedBytes += part.missedBytes;
            // every key knows the same of the whole capture
            collected.truncatedPayloadBytes = part.truncatedPayloadBytes;
            collected.captureEndNanos = Math.max(collected.captureEndNanos, part.captureEndNanos);
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext context, Collector<String> out) throws Exception {
        Collected collected = state.value();
        List<Finding> findings = collected.findings;
        findings.sort(ORDER);
        long end = collected.captureEndNanos == Long.MIN_VALUE ? settings.captureStartNanos() : collected.captureEndNanos;
        for (Finding finding : CaptureLoss.apply(findings, collected.missedBytes, collected.truncatedPayloadBytes,
                collected.payloadBytes, 0, 0, settings.captureStartNanos(), end)) {
            StringBuilder line = new StringBuilder(1024);
            JsonWriter json = new JsonWriter(line).beginObject().field("event", "finding");
            json.name("finding");
            AnalyzeJsonRenderer.finding(finding, json);
            json.endObject();
            out.collect(line.toString());
        }
        state.clear();
    }
}
