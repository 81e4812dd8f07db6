package dev.tcpstate.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The timeline counts an interval in every bucket whose end it covers. Built from records as they
 * end, it counts in fine steps that double as the capture grows: where the buckets' edges fall on
 * steps it is exact, and elsewhere off by at most the intervals that begin or end within a step.
 */
class TimelineTest {
    private static final long MS = 1_000_000L;

    /** The definition, bucket by bucket. */
    private static long[] byDefinition(long start, long bucket, int buckets, long[] from, long[] to) {
        long[] series = new long[buckets];
        for (int i = 0; i < from.length; i++) {
            for (int b = 0; b < buckets; b++) {
                long end = start + (b + 1) * bucket;
                if (from[i] <= end && end < to[i]) {
                    series[b]++;
                }
            }
        }
        return series;
    }

    private static long[] built(long start, long bucket, int buckets, long[] from, long[] to) {
        Timeline.Builder builder = new Timeline.Builder(60_000 * MS);
        builder.begin(start);
        for (int i = 0; i < from.length; i++) {
            builder.timeWait(from[i], to[i]);
        }
        Timeline timeline = builder.build(start, start + bucket * buckets, buckets, Timeline.Peaks.NONE);
        assertThat(timeline.bucketNanos()).isEqualTo(bucket);
        return timeline.timeWait();
    }

    @Test
    void countsMatchTheDefinitionWhereEdgesFallOnSteps() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            // a capture of up to 20 minutes: the steps double to hold it, and every time is a whole
            // number of the largest step they can reach (2^25 ns, about 34 ms)
            long unit = 1L << 25;
            long start = unit * random.nextInt(1000);
            long bucket = unit * (1 + random.nextInt(600));
            int buckets = 1 + random.nextInt(60);
            int n = random.nextInt(40);
            long[] from = new long[n];
            long[] to = new long[n];
            for (int i = 0; i < n; i++) {
                // some before the start, some on bucket ends exactly, some open to the end of time
                from[i] = start + unit * (random.nextInt((int) (bucket / unit * (buckets + 2))) - 2 * bucket / unit);
                if (random.nextInt(5) == 0) {
                    from[i] = start + (long) random.nextInt(buckets + 1) * bucket;
                }
                to[i] = random.nextInt(6) == 0 ? Long.MAX_VALUE
                        : from[i] + unit * random.nextInt((int) (bucket / unit * 10));
            }
            long[] expected = byDefinition(start, bucket, buckets, from, to);
            // before the start counts from the start: the definition's intervals clipped there
            for (int i = 0; i < n; i++) {
                if (to[i] != Long.MAX_VALUE && to[i] <= start) {
                    from[i] = start;
                    to[i] = start;
                }
            }
            assertThat(built(start, bucket, buckets, from, to)).as("round %d", round).containsExactly(expected);
        }
    }

    @Test
    void aShortCaptureKeepsNanosecondSteps() {
        long start = 1_000_000;
        // a 780 ns capture in 10 buckets of 78 ns: an interval over [200, 450) covers the ends
        // of buckets 2, 3 and 4 (234, 312 and 390 ns)
        long[] series = built(start, 78, 10, new long[] {start + 200}, new long[] {start + 450});
        assertThat(series).containsExactly(0, 0, 1, 1, 1, 0, 0, 0, 0, 0);
    }
}
