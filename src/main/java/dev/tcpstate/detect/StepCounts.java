package dev.tcpstate.detect;

import java.util.Arrays;

/**
 * How many events fell in each step of time (a step is a whole number, such as a second), kept
 * as distinct steps with their counts: memory goes with the steps that had events, not with the
 * events. Events mostly come in time order; those that do not are merged in when the arrays fill.
 */
final class StepCounts {
    private long[] steps = new long[4];
    private long[] counts = new long[4];
    private int size;

    void add(long step) {
        if (size > 0 && steps[size - 1] == step) {
            counts[size - 1]++;
            return;
        }
        if (size == steps.length) {
            merge();
            if (size > steps.length * 3 / 4) {
                steps = Arrays.copyOf(steps, steps.length * 2);
                counts = Arrays.copyOf(counts, counts.length * 2);
            }
        }
        steps[size] = step;
        counts[size++] = 1;
    }

    /** Sorts the steps and adds up the counts of equal ones. */
    private void merge() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(steps[a], steps[b]));
        long[] sortedSteps = new long[steps.length];
        long[] sortedCounts = new long[counts.length];
        int merged = 0;
        for (int i : order) {
            if (merged > 0 && sortedSteps[merged - 1] == steps[i]) {
                sortedCounts[merged - 1] += counts[i];
            } else {
                sortedSteps[merged] = steps[i];
                sortedCounts[merged++] = counts[i];
            }
        }
        steps = sortedSteps;
        counts = sortedCounts;
        size = merged;
    }

    /**
     * The most that were open at the end of any step, where {@code opened} counts openings and
     * {@code closed} closings.
     */
    static long peakOpen(StepCounts opened, StepCounts closed) {
        opened.merge();
        closed.merge();
        long open = 0;
        long peak = 0;
        int i = 0;
        int j = 0;
        while (i < opened.size || j < closed.size) {
            long step = Math.min(i < opened.size ? opened.steps[i] : Long.MAX_VALUE,
                    j < closed.size ? closed.steps[j] : Long.MAX_VALUE);
            if (i < opened.size && opened.steps[i] == step) {
                open += opened.counts[i++];
            }
            if (j < closed.size && closed.steps[j] == step) {
                open -= closed.counts[j++];
            }
            peak = Math.max(peak, open);
        }
        return peak;
    }
}
