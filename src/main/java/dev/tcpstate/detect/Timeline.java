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
        // changes per bucket, summed at the end: adding an interval costs two updates, not a pass over the buckets
        long[] halfOpen = new long[buckets + 1];
        long[] timeWait = new long[buckets + 1];
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
        return new Timeline(captureStart, bucket, syns, summed(halfOpen), summed(timeWait));
    }

    private static int index(long time, long start, long bucket, int buckets) {
        return (int) Math.max(0, Math.min(buckets - 1, (time - start) / bucket));
    }

    /**
     * Counts [from, to) in every bucket whose end it covers: bucket b ends at start + (b+1)·bucket,
     * which is at or after {@code from} from b = ⌈(from−start)/bucket⌉ − 1 on, and before {@code to}
     * up to b = ⌈(to−start)/bucket⌉ − 2.
     */
    private static void add(long[] changes, long from, long to, long start, long bucket) {
        int buckets = changes.length - 1;
        long first = Math.max(0, ceilDiv(from - start, bucket) - 1);
        long last = Math.min(buckets - 1, ceilDiv(to - start, bucket) - 2);
        if (first <= last) {
            changes[(int) first]++;
            changes[(int) last + 1]--;
        }
    }

    /** How many of the intervals [from[i], to[i]) cover each bucket's end. */
    static long[] covered(long start, long bucket, int buckets, long[] from, long[] to) {
        long[] changes = new long[buckets + 1];
        for (int i = 0; i < from.length; i++) {
            add(changes, from[i], to[i], start, bucket);
        }
        return summed(changes);
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    private static long[] summed(long[] changes) {
        long[] series = new long[changes.length - 1];
        long running = 0;
        for (int b = 0; b < series.length; b++) {
            running += changes[b];
            series[b] = running;
        }
        return series;
    }
}
