package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.TcpState;

/**
 * The capture cut into equal buckets, with per bucket: connection attempts begun in it per second
 * of its width (its mean rate: a bucket may be shorter or longer than a second), half-open
 * connections (attempts left hanging, and connections whose peer vanished) and endpoints in
 * TIME-WAIT, the last two as counted at the bucket's end. The peaks per second are not the
 * buckets' but those of real one-second buckets, the same the SYN flood findings report.
 *
 * @param synsPerSecond connection attempts (first SYNs, retries not counted) per second, per bucket
 * @param peaksPerSecond the most attempts, and half-open attempts, begun in one second
 */
public record Timeline(long startNanos, long bucketNanos, double[] synsPerSecond, long[] halfOpen, long[] timeWait,
        Peaks peaksPerSecond) {

    /**
     * The most connection attempts, and half-open attempts (as TS301/TS302 count them), at all
     * services together that began in one second, in one-second buckets counted from the
     * capture's first packet.
     */
    public record Peaks(long attempts, long halfOpenAttempts) {
        public static final Peaks NONE = new Peaks(0, 0);
    }

    public int buckets() {
        return synsPerSecond.length;
    }

    /** A timeline of records already at hand. */
    public static Timeline of(java.util.List<ConnectionRecord> records, long captureStart, long captureEnd, int buckets,
            long timeWaitNanos) {
        Builder builder = new Builder(timeWaitNanos);
        builder.begin(captureStart);
        records.forEach(builder::accept);
        // the peaks per second as the flood detector counts them
        SynFloodDetector floods = new SynFloodDetector(DetectorSettings.DEFAULTS);
        floods.begin(captureStart);
        records.forEach(record -> floods.accept(record, captureEnd));
        return builder.build(captureStart, captureEnd, buckets, floods.peaksPerSecond());
    }

    /**
     * Builds a timeline from records as they end, before anyone knows how long the capture is: it
     * counts into at most {@link #STEPS} fine steps from the first packet, doubling their length
     * (and merging them in pairs) whenever the capture outgrows them, and at the end sums steps
     * into the buckets asked for. Memory is fixed; a bucket's edge is placed to within a step.
     * The peaks per second come from the detectors' one-second tallies
     * ({@link Detectors#peaksPerSecond()}), not from the steps.
     */
    public static final class Builder {
        static final int STEPS = 1 << 16;
        private final long timeWaitNanos;
        private long origin = Long.MIN_VALUE;
        private long step = 1;
        private final long[] attempts = new long[STEPS];
        // changes per step, summed at the end: adding an interval costs two updates
        private final long[] halfOpen = new long[STEPS + 1];
        private final long[] timeWait = new long[STEPS + 1];

        public Builder(long timeWaitNanos) {
            this.timeWaitNanos = timeWaitNanos;
        }

        /** Steps count from the capture's first packet. */
        public void begin(long captureStart) {
            if (origin == Long.MIN_VALUE) {
                origin = captureStart;
            }
        }

        public void accept(ConnectionRecord record) {
            begin(record.attemptStartNanos());
            if (Records.isAttempt(record)) {
                attempts[index(record.attemptStartNanos())]++;
            }
            if (SynFloodDetector.halfOpen(record) && Records.isAttempt(record) || record.outcome() == Outcome.HALF_OPEN) {
                // a side left waiting at the end (SYN-SENT, SYN-RECEIVED) is half-open until then
                boolean waiting = record.originatorState() == TcpState.SYN_SENT
                        || record.responderState() == TcpState.SYN_RECEIVED;
                add(halfOpen, record.attemptStartNanos(), waiting ? Long.MAX_VALUE : record.endNanos() + 1);
            }
            record.originatorTimeWaitNanos().ifPresent(t -> timeWait(t, record.timeWaitEnd(t, timeWaitNanos)));
            record.responderTimeWaitNanos().ifPresent(t -> timeWait(t, record.timeWaitEnd(t, timeWaitNanos)));
        }

        /** An endpoint in TIME-WAIT over [from, to). */
        void timeWait(long from, long to) {
            add(timeWait, from, to);
        }

        private void add(long[] changes, long from, long to) {
            changes[index(from)]++;
            if (to != Long.MAX_VALUE) {
                changes[index(to)]--;
            }
        }

        /** The step {@code time} falls in, after making the steps long enough to hold it. */
        private int index(long time) {
            long i = Math.max(0, Math.floorDiv(time - origin, step));
            while (i >= STEPS) {
                coarsen();
                i = Math.max(0, Math.floorDiv(time - origin, step));
            }
            return (int) i;
        }

        private void coarsen() {
            for (long[] series : new long[][] {attempts, halfOpen, timeWait}) {
                for (int i = 0; i < STEPS / 2; i++) {
                    series[i] = series[2 * i] + series[2 * i + 1];
                }
                java.util.Arrays.fill(series, STEPS / 2, STEPS, 0);
            }
            halfOpen[STEPS / 2] += halfOpen[STEPS];
            timeWait[STEPS / 2] += timeWait[STEPS];
            halfOpen[STEPS] = 0;
            timeWait[STEPS] = 0;
            step *= 2;
        }

        /**
         * The timeline of {@code buckets} buckets from {@code captureStart} to {@code captureEnd},
         * with the peaks per second the detectors counted.
         */
        public Timeline build(long captureStart, long captureEnd, int buckets, Peaks peaksPerSecond) {
            begin(captureStart);
            long span = Math.max(1, captureEnd - captureStart);
            long bucket = Math.max(1, (span + buckets - 1) / buckets);
            double[] syns = new double[buckets];
            long[] halfOpenSeries = new long[buckets];
            long[] timeWaitSeries = new long[buckets];
            long halfOpenNow = 0;
            long timeWaitNow = 0;
            int b = 0;
            for (int i = 0; i < STEPS; i++) {
                long stepStart = origin + i * step;
                int into = (int) Math.max(0, Math.min(buckets - 1, Math.floorDiv(stepStart - captureStart, bucket)));
                syns[into] += attempts[i] * (1e9 / bucket);
                // a bucket's count is the one at its end: every step that begins before that end
                while (b < buckets && captureStart + (b + 1) * bucket < stepStart) {
                    halfOpenSeries[b] = halfOpenNow;
                    timeWaitSeries[b] = timeWaitNow;
                    b++;
                }
                halfOpenNow += halfOpen[i];
                timeWaitNow += timeWait[i];
            }
            for (; b < buckets; b++) {
                halfOpenSeries[b] = halfOpenNow;
                timeWaitSeries[b] = timeWaitNow;
            }
            return new Timeline(captureStart, bucket, syns, halfOpenSeries, timeWaitSeries, peaksPerSecond);
        }
    }
}
