package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The timer heap hands places out in due order through moves earlier, removals and re-inserts. */
class TimerHeapTest {
    @Test
    void pollsInDueOrderWhateverWasMovedOrRemoved() {
        Random random = new Random(11);
        TimerHeap heap = new TimerHeap();
        Map<Integer, Long> in = new HashMap<>(); // the model: place to due time
        for (int step = 0; step < 20_000; step++) {
            int place = random.nextInt(2_000); // beyond the heap's first arrays: they grow
            switch (random.nextInt(4)) {
                case 0, 1 -> { // schedule, or move earlier
                    long due = random.nextInt(1_000_000);
                    if (due < heap.due(place)) {
                        heap.schedule(place, due);
                        in.put(place, due);
                    }
                }
                case 2 -> { // removed
                    heap.remove(place);
                    in.remove(place);
                }
                default -> { // the first one fires
                    if (!in.isEmpty()) {
                        long expected = in.values().stream().mapToLong(Long::longValue).min().orElseThrow();
                        assertThat(heap.firstDue()).isEqualTo(expected);
                        int first = heap.poll();
                        assertThat(in.remove(first)).isEqualTo(expected);
                        assertThat(heap.due(first)).isEqualTo(Long.MAX_VALUE);
                    }
                }
            }
            assertThat(heap.size()).isEqualTo(in.size());
            assertThat(heap.due(place)).isEqualTo(in.getOrDefault(place, Long.MAX_VALUE));
        }
        long last = Long.MIN_VALUE;
        while (!heap.isEmpty()) {
            long due = heap.firstDue();
            int first = heap.poll();
            assertThat(in.remove(first)).isEqualTo(due);
            assertThat(due).isGreaterThanOrEqualTo(last);
            last = due;
        }
        assertThat(in).isEmpty();
        assertThat(heap.firstDue()).isEqualTo(Long.MAX_VALUE);
    }
}
