package dev.tcpstate.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The timeline counts an interval in every bucket whose end it covers, found by arithmetic. */
class TimelineTest {
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

    @Test
    void countsMatchTheDefinitionOnRandomIntervals() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            long start = random.nextInt(1_000_000);
            long bucket = 1 + random.nextInt(1000);
            int buckets = 1 + random.nextInt(60);
            int n = random.nextInt(40);
            long[] from = new long[n];
            long[] to = new long[n];
            for (int i = 0; i < n; i++) {
                // some before the start, some on bucket ends exactly, some open to the end of time
                from[i] = start - 2 * bucket + random.nextInt((int) (bucket * (buckets + 4)));
                if (random.nextInt(5) == 0) {
                    from[i] = start + (long) random.nextInt(buckets + 1) * bucket;
                }
                to[i] = random.nextInt(6) == 0 ? Long.MAX_VALUE : from[i] + random.nextInt((int) (bucket * 10));
            }
            assertThat(Timeline.covered(start, bucket, buckets, from, to)).as("round %d", round)
                    .containsExactly(byDefinition(start, bucket, buckets, from, to));
        }
    }
}
