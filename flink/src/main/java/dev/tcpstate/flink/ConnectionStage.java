package dev.tcpstate.flink;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.decode.IpAddresses;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.ConnectionTracker;
import dev.tcpstate.flow.Uids;
import dev.tcpstate.flow.ZeekRules;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per canonical four-tuple, tcpstate's own connection tracker, in event time: packets wait in
 * keyed state until the watermark passes them, then go to the tracker in timestamp order (the
 * file's order on a tie); the tracker's timers (Zeek's attempt and inactivity timers, 2×MSL)
 * fire at the times they are due through event-time timers. Records leave as they become final.
 * At the end of input the tracker finishes at the capture's last packet time (the latest any
 * file saw, broadcast by the files' ends), as the CLI's does, and the key's state is dropped; a
 * key whose connections are over and whose memories have run out is dropped before that.
 */
final class ConnectionStage extends KeyedBroadcastProcessFunction<TupleKey, CaptureEvent, CaptureEvent, RecordEvent> {
    /** The capture's last frame time so far (key {@link #END}), from the files' ends. */
    static final MapStateDescriptor<String, Long> CAPTURE_END = new MapStateDescriptor<>("capture-end", String.class,
            Long.class);
    static final String END = "end";
    static final String LATE_PACKETS = "tcpstate-late-packets";
    static final String CAPTURE_FAILURES = "tcpstate-capture-failures";
    static final String CAPTURE_WARNINGS = "tcpstate-capture-warnings";
    private static final Comparator<CaptureEvent> PACKET_ORDER = Comparator
            .comparingLong((CaptureEvent event) -> event.timestampNanos).thenComparingLong(event -> event.order);

    /** A four-tuple's tracker and the packets the watermark has not passed yet. */
    static final class Tracking {
        ConnectionTracker tracker;
        final List<CaptureEvent> pending = new ArrayList<>(4);
        /** The earliest timer set and not yet fired; MAX_VALUE: none. */
        long armed = Long.MAX_VALUE;
    }

    private final JobSettings settings;
    private transient ValueState<Tracking> state;
    private transient AnalysisConfig config;
    /** Zeek's rules, immutable: one for every tracker of this instance. */
    private transient ZeekRules rules;
    private transient TcpSegment segment;
    private transient RecordBytes bytes;
    private transient LongCounter late;
    private transient ListAccumulator<String> failures;
    private transient ListAccumulator<String> warnings;
    /** Where the trackers' final records go during the current call. */
    private transient Collector<RecordEvent> out;

    ConnectionStage(JobSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        Uids.useKey(settings.uidKey());
        config = settings.analysis();
        rules = new ZeekRules(config.likelyServerPorts(), config.timeouts());
        segment = new TcpSegment();
        bytes = new RecordBytes();
        // heap state keeps the tracker object itself; it is never serialized without checkpoints
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("tracking",
                TypeInformation.of(Tracking.class)));
        late = getRuntimeContext().getLongCounter(LATE_PACKETS);
        failures = new ListAccumulator<>();
        getRuntimeContext().addAccumulator(CAPTURE_FAILURES, failures);
        warnings = new ListAccumulator<>();
        getRuntimeContext().addAccumulator(CAPTURE_WARNINGS, warnings);
    }

    @Override
    public void processElement(CaptureEvent packet, ReadOnlyContext context, Collector<RecordEvent> collector)
            throws Exception {
        if (packet.timestampNanos <= context.timerService().currentWatermark()) {
            late.add(1); // older than the out-of-order allowance: taken in now, out of its order
        }
        Tracking tracking = state.value();
        if (tracking == null) {
            tracking = new Tracking();
            tracking.tracker = newTracker();
            state.update(tracking);
        }
        tracking.pending.add(packet);
        // one timer until it fires, not one per packet: it takes in all the watermark has passed
        arm(tracking, packet.timestampNanos, context.timerService());
    }

    private static void arm(Tracking tracking, long at, org.apache.flink.streaming.api.TimerService timers) {
        if (at == Long.MAX_VALUE) {
            timers.registerEventTimeTimer(at); // the end of input: set once, fires once
        } else if (at < tracking.armed) {
            tracking.armed = at;
            timers.registerEventTimeTimer(at);
        }
    }

    private ConnectionTracker newTracker() {
        ConnectionTracker tracker = new ConnectionTracker(rules, config.timeWaitNanos(), this::emit, 1);
        tracker.numberByFrame();
        tracker.reuseConnections(); // nothing here holds a connection after it ended
        return tracker;
    }

    @Override
    public void processBroadcastElement(CaptureEvent fileEnd, Context context, Collector<RecordEvent> collector)
            throws Exception {
        BroadcastState<String, Long> ends = context.getBroadcastState(CAPTURE_END);
        if (fileEnd.frames > 0) {
            Long end = ends.get(END);
            ends.put(END, end == null ? fileEnd.timestampNanos : Math.max(end, fileEnd.timestampNanos));
        }
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            // every instance hears each file's end: one tells
            if (fileEnd.failure != null) {
                failures.add(fileEnd.failure);
            }
            if (fileEnd.warnings != null) {
                fileEnd.warnings.lines().forEach(warnings::add);
            }
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext context, Collector<RecordEvent> collector) throws Exception {
        Tracking tracking = state.value();
        if (tracking == null) {
            return;
        }
        out = collector;
        ConnectionTracker tracker = tracking.tracker;
        long watermark = context.timerService().currentWatermark();
        if (watermark == Long.MAX_VALUE) {
            Long end = context.getBroadcastState(CAPTURE_END).get(END);
            long captureEnd = end == null ? tracker.clock() : end;
            run(tracking, captureEnd);
            tracker.finish(captureEnd);
            state.clear();
            return;
        }
        // everything the watermark has passed, not only what this timer was set for: the same
        // steps in the same order whichever timer takes them, so the answers do not depend on when
        // watermarks come
        run(tracking, watermark);
        tracker.flush();
        tracking.armed = Long.MAX_VALUE;
        long next = tracker.nextDue();
        if (!tracking.pending.isEmpty()) {
            next = Math.min(next, tracking.pending.get(0).timestampNanos);
        } else if (tracker.size() == 0) {
            long remembered = tracker.rememberedUntil();
            if (next == Long.MAX_VALUE && remembered <= watermark) {
                state.clear(); // nothing left that a later packet on this four-tuple depends on
                return;
            }
            if (remembered > watermark) {
                next = Math.min(next, remembered);
            }
        }
        // at the latest the end of input finishes what is left
        arm(tracking, next, context.timerService());
    }

    /**
     * Everything up to {@code until} in time order: the packets, and between them what the
     * tracker has due (a packet at a due time fires it itself first, as in the CLI).
     */
    private void run(Tracking tracking, long until) {
        ConnectionTracker tracker = tracking.tracker;
        List<CaptureEvent> pending = tracking.pending;
        if (pending.size() > 1) {
            pending.sort(PACKET_ORDER);
        }
        int taken = 0;
        while (true) {
            long packetTime = taken < pending.size() && pending.get(taken).timestampNanos <= until
                    ? pending.get(taken).timestampNanos : Long.MAX_VALUE;
            long due = tracker.nextDue();
            if (due <= until && due < packetTime) {
                tracker.advance(due);
                if (tracker.nextDue() <= due) {
                    throw new IllegalStateException("tracker timer did not move on from " + due);
                }
                continue;
            }
            if (packetTime == Long.MAX_VALUE) {
                break;
            }
            CaptureEvent packet = pending.get(taken++);
            segment.readFrom(ByteBuffer.wrap(packet.segment));
            tracker.packet(segment, packet.badChecksum);
        }
        pending.subList(0, taken).clear();
    }

    /** A record the tracker made final. */
    private void emit(ConnectionRecord record, long finalNanos) {
        RecordEvent event = new RecordEvent();
        event.record = bytes.write(record);
        event.finalNanos = finalNanos;
        event.id = record.id();
        event.service = record.service();
        event.originatorHost = IpAddresses.format(record.originatorHigh(), record.originatorLow());
        event.responderHost = IpAddresses.format(record.responderHigh(), record.responderLow());
        out.collect(event);
    }
}
