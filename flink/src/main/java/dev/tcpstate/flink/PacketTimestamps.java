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
 */
final class PacketTimestamps {
    private PacketTimestamps() {
    }

    static WatermarkStrategy<CaptureEvent> strategy(long outOfOrderNanos) {
        return WatermarkStrategy.<CaptureEvent>forGenerator(context -> new BoundedBack(outOfOrderNanos))
                .withTimestampAssigner((event, previous) -> event.timestampNanos);
    }

    /** The latest time seen, less the allowance: nothing earlier is expected after it. */
    private static final class BoundedBack implements WatermarkGenerator<CaptureEvent> {
        private final long allowance;
        private long latest = Long.MIN_VALUE;

        BoundedBack(long allowance) {
            this.allowance = allowance;
        }

        @Override
        public void onEvent(CaptureEvent event, long timestamp, WatermarkOutput output) {
            if (event.isPacket()) {
                latest = Math.max(latest, timestamp);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (latest != Long.MIN_VALUE) {
                output.emitWatermark(new Watermark(latest - allowance - 1));
            }
        }
    }
}
