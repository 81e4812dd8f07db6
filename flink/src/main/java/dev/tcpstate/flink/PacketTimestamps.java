package dev.tcpstate.flink;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time is packet time in nanoseconds since the epoch (Flink's timestamps are plain longs;
 * the engine's timers are in nanoseconds). A file's packets may go back in time by up to
 * {@code outOfOrderNanos}: the watermark trails the latest packet time read by that much. The
 * FileSource keeps a watermark per file it reads, and the job's is the least of them.
 *
 * <p>The watermark follows the packets as well as the clock: it moves on whenever packet time has
 * advanced by the allowance (at least a millisecond) since it last did. A packet older than that is
 * then late whatever the machine's speed, not only when a periodic emit happened to fall between.
 */
final class PacketTimestamps {
    private PacketTimestamps() {
    }

    static WatermarkStrategy<CaptureEvent> strategy(long outOfOrderNanos) {
        return WatermarkStrategy.<CaptureEvent>forGenerator(context -> new BoundedBack(outOfOrderNanos))
                .withTimestampAssigner((event, previous) -> event.timestampNanos);
    }

    /** The latest time seen, less the allowance: nothing earlier is expected after it. */
    static final class BoundedBack implements WatermarkGenerator<CaptureEvent> {
        private static final long MIN_STEP_NANOS = 1_000_000;
        private final long allowance;
        private final long step;
        private long latest = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;

        BoundedBack(long allowance) {
            this.allowance = allowance;
            this.step = Math.max(allowance, MIN_STEP_NANOS);
        }

        @Override
        public void onEvent(CaptureEvent event, long timestamp, WatermarkOutput output) {
            if (event.isPacket() && timestamp > latest) {
                latest = timestamp;
                // by packet time, at most once per step: cheap, and lateness no longer depends on speed
                if (emitted == Long.MIN_VALUE || latest - allowance - 1 - emitted >= step) {
                    emit(output);
                }
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (latest != Long.MIN_VALUE) {
                emit(output);
            }
        }

        private void emit(WatermarkOutput output) {
            emitted = latest - allowance - 1;
            output.emitWatermark(new Watermark(emitted));
        }
    }
}
