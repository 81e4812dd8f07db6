package dev.tcpstate.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The time axis the report's charts share: the capture's time range cut into {@code buckets}
 * bars of {@code bucket} nanoseconds, and ticks at round times in the report's zone (every 5 s,
 * every 200 ms, on the hour...), at most {@link #MAX_INTERVALS} apart so their labels do not meet.
 */
record TimeAxis(long start, long bucket, int buckets, TimeFormat times) {
    static final int MAX_INTERVALS = 5;
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long MIN = 60 * S;
    private static final long HOUR = 60 * MIN;
    /** Round steps past a second: those a clock shows (15 s, 30 min, 6 h), not 1-2-5. */
    private static final long[] CLOCK_STEPS = {S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, MIN, 2 * MIN, 5 * MIN,
        10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 168 * HOUR};

    record Tick(long nanos, String label) {
    }

    long end() {
        return start + buckets * bucket;
    }

    /** Where {@code nanos} falls, from 0 (the start) to 1 (the end). */
    double fraction(long nanos) {
        return (double) (nanos - start) / (double) (end() - start);
    }

    /** The roundest step that cuts the axis into at most {@link #MAX_INTERVALS} intervals. */
    long step() {
        long span = Math.max(1, end() - start);
        for (long unit = 1; unit < S; unit *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                if (span / (unit * m) <= MAX_INTERVALS) {
                    return unit * m;
                }
            }
        }
        for (long step : CLOCK_STEPS) {
            if (span / step <= MAX_INTERVALS) {
                return step;
            }
        }
        return CLOCK_STEPS[CLOCK_STEPS.length - 1] * (span / CLOCK_STEPS[CLOCK_STEPS.length - 1] / MAX_INTERVALS + 1);
    }

    /** Ticks at the multiples of {@link #step()} of the zone's clock, labelled with as many digits as the step needs. */
    List<Tick> ticks() {
        long step = step();
        // multiples of the step on the zone's clock, so hours fall on its hours (+05:30 too)
        long offset = times.offsetSeconds(start) * S;
        long first = Math.floorDiv(start + offset + step - 1, step) * step - offset;
        int digits = 0;
        for (long unit = S; step % unit != 0; unit /= 10) {
            digits++;
        }
        List<Tick> ticks = new ArrayList<>();
        for (long t = first; t <= end(); t += step) {
            ticks.add(new Tick(t, times.bareClock(t, digits)));
        }
        return ticks;
    }

    /** The axis's title: its zone, and the bars' length. */
    String title() {
        return "time in " + times.describe(start) + "; bars of " + Charts.duration(bucket);
    }
}
