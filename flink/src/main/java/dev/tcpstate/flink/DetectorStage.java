package dev.tcpstate.flink;

import dev.tcpstate.detect.Detectors;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.Uids;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per bucket of services or hosts (DetectorKeys), tcpstate's own detectors, fed final records in
 * the order they became final (records of one moment by number): records wait in keyed state
 * until the watermark passes the time they became final. At the end of input each key hands its findings
 * (only those about itself) to the report, and each service the bytes its records carried and
 * missed, for the capture-loss check.
 */
final class DetectorStage extends KeyedBroadcastProcessFunction<Integer, RecordEvent, CaptureEvent, ReportPart> {
    /** The capture's last frame time (key "end") and the payload its snapshot length cut (key "truncated"). */
    static final MapStateDescriptor<String, Long> CAPTURE = new MapStateDescriptor<>("capture", String.class,
            Long.class);
    private static final Comparator<RecordEvent> FINAL_ORDER = Comparator
            .comparingLong((RecordEvent record) -> record.finalNanos).thenComparingLong(record -> record.id);

    /** One key's detectors, the records not yet passed by the watermark, and a service's byte counts. */
    static final class Detecting {
        Detectors detectors;
        final List<RecordEvent> pending = new ArrayList<>(4);
        long payloadBytes;
        long missedBytes;
        /** The earliest timer set and not yet fired, but the end's; MAX_VALUE: none. */
        long armed = Long.MAX_VALUE;
    }

    private final JobSettings settings;
    private transient ValueState<Detecting> state;

    DetectorStage(JobSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        Uids.useKey(settings.uidKey()); // findings name their example connections by uid
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("detecting",
                TypeInformation.of(Detecting.class)));
    }

    @Override
    public void processElement(RecordEvent record, ReadOnlyContext context, Collector<ReportPart> out) throws Exception {
        Detecting detecting = state.value();
        if (detecting == null) {
            detecting = new Detecting();
            detecting.detectors = new Detectors(settings.detectors());
            detecting.detectors.begin(settings.captureStartNanos());
            state.update(detecting);
            context.timerService().registerEventTimeTimer(Long.MAX_VALUE); // the findings, at the end
        }
        detecting.pending.add(record);
        // one timer until it fires, not one per record: it takes in all the watermark has passed
        if (record.finalNanos < detecting.armed) {
            detecting.armed = record.finalNanos;
            context.timerService().registerEventTimeTimer(record.finalNanos);
        }
    }

    @Override
    public void processBroadcastElement(CaptureEvent fileEnd, Context context, Collector<ReportPart> out)
            throws Exception {
        BroadcastState<String, Long> capture = context.getBroadcastState(CAPTURE);
        if (fileEnd.frames > 0) {
            Long end = capture.get("end");
            capture.put("end", end == null ? fileEnd.timestampNanos : Math.max(end, fileEnd.timestampNanos));
        }
        Long truncated = capture.get("truncated");
        capture.put("truncated", (truncated == null ? 0 : truncated) + fileEnd.truncatedPayloadBytes);
    }

    @Override
    public void onTimer(long time, OnTimerContext context, Collector<ReportPart> out) throws Exception {
        Detecting detecting = state.value();
        if (detecting == null) {
            return;
        }
        long watermark = context.timerService().currentWatermark();
        boolean end = watermark == Long.MAX_VALUE;
        feed(detecting, watermark, DetectorKeys.isService(context.getCurrentKey()));
        if (!end) {
            detecting.armed = Long.MAX_VALUE;
            if (!detecting.pending.isEmpty()) {
                detecting.armed = detecting.pending.get(0).finalNanos;
                context.timerService().registerEventTimeTimer(detecting.armed);
            }
            return;
        }
        Long last = context.getBroadcastState(CAPTURE).get("end");
        Long truncated = context.getBroadcastState(CAPTURE).get("truncated");
        long captureEnd = last == null ? settings.captureStartNanos() : last;
        int key = context.getCurrentKey();
        for (Finding finding : detecting.detectors.finish(settings.captureStartNanos(), captureEnd).findings()) {
            if (DetectorKeys.owns(key, finding)) {
                ReportPart part = new ReportPart();
                part.kind = ReportPart.FINDING;
                part.finding = FindingCodec.write(finding);
                out.collect(part);
            }
        }
        if (DetectorKeys.isService(key)) {
            ReportPart totals = new ReportPart();
            totals.kind = ReportPart.TOTALS;
            totals.payloadBytes = detecting.payloadBytes;
            totals.missedBytes = detecting.missedBytes;
            totals.truncatedPayloadBytes = truncated == null ? 0 : truncated;
            totals.captureEndNanos = captureEnd;
            out.collect(totals);
        }
        state.clear();
    }

    /** The records final by {@code until}, in the order they became final; those left stay sorted. */
    private static void feed(Detecting detecting, long until, boolean service) {
        List<RecordEvent> pending = detecting.pending;
        pending.sort(FINAL_ORDER);
        int taken = 0;
        while (taken < pending.size() && pending.get(taken).finalNanos <= until) {
            RecordEvent event = pending.get(taken++);
            ConnectionRecord record = RecordBytes.read(event.record);
            detecting.detectors.accept(record, event.finalNanos);
            if (service) {
                // each record has one service: counted there once, as the CLI's tally does
                detecting.payloadBytes += record.originatorBytes().orElse(0) + record.responderBytes().orElse(0);
                detecting.missedBytes += record.missedBytes();
            }
        }
        pending.subList(0, taken).clear();
    }
}
