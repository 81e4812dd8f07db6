package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import dev.tcpstate.state.TcpState;

/**
 * The capture cut into equal buckets, with per bucket: connection attempts per second, half-open
 * connections (attempts left hanging, and connections whose peer vanished) and endpoints in
 * TIME-WAIT, the last two as counted at the bucket's end.
 */
public record Timeline(long startNanos, long bucketNanos, double[] synsPerSecond, long[] halfOpen, long[] timeWait) {

    public int buckets() {
        return synsPerSecond.length;
    }

    public static Timeline of(java.util.List<ConnectionRecord> records, long captureStart, long captureEnd, int buckets,
            long timeWaitNanos) {
        long span = Math.max(1, captureEnd - captureStart);
        long bucket = Math.max(1, (span + buckets - 1) / buckets);
        double[] syns = new double[buckets];
        long[] halfOpen = new long[buckets];
        long[] timeWait = new long[buckets];
        for (ConnectionRecord record : records) {
            if (Records.isAttempt(record)) {
                syns[index(record.attemptStartNanos(), captureStart, bucket, buckets)] += 1e9 / bucket;
            }
            if (SynFloodDetector.halfOpen(record) && Records.isAttempt(record) || record.outcome() == Outcome.HALF_OPEN) {
                // a side left waiting at the end (SYN-SENT, SYN-RECEIVED) is half-open until then
                boolean waiting = record.originatorState() == TcpState.SYN_SENT
                        || record.responderState() == TcpState.SYN_RECEIVED;
                add(halfOpen, record.attemptStartNanos(), waiting ? Long.MAX_VALUE : record.endNanos() + 1, captureStart,
                        bucket);
            }
            record.originatorTimeWaitNanos().ifPresent(t -> add(timeWait, t, t + timeWaitNanos, captureStart, bucket));
            record.responderTimeWaitNanos().ifPresent(t -> add(timeWait, t, t + timeWaitNanos, captureStart, bucket));
        }
        return new Timeline(captureStart, bucket, syns, halfOpen, timeWait);
    }

    private static int index(long time, long start, long bucket, int buckets) {
        return (int) Math.max(0, Math.min(buckets - 1, (time - start) / bucket));
    }

    /** Counts [from, to) in every bucket whose end (inclusive) it covers. */
    private static void add(long[] series, long from, long to, long start, long bucket) {
        for (int b = 0; b < series.length; b++) {
            long end = start + (b + 1) * bucket;
            if (from <= end && end < to) {
                series[b]++;
            }
        }
    }
}
