package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.decode.TcpSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The timer heap hands records out in due order through moves earlier, removals and re-inserts. */
class TimerHeapTest {
    @Test
    void pollsInDueOrderWhateverWasMovedOrRemoved() {
        Random random = new Random(11);
        TimerHeap heap = new TimerHeap();
        List<Connection> in = new ArrayList<>();
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            all.add(new Connection(i + 1, new TcpSegment(), false, 60_000_000_000L, false));
        }
        for (int step = 0; step < 20_000; step++) {
            Connection record = all.get(random.nextInt(all.size()));
            switch (random.nextInt(4)) {
                case 0, 1 -> { // schedule, or move earlier
                    long due = random.nextInt(1_000_000);
                    if (due < record.scheduledDue) {
                        record.scheduledDue = due;
                        heap.scheduled(record);
                        if (!in.contains(record)) {
                            in.add(record);
                        }
                    }
                }
                case 2 -> { // removed
                    heap.remove(record);
                    in.remove(record);
                    record.scheduledDue = Long.MAX_VALUE;
                }
                default -> { // the first one fires
                    if (!in.isEmpty()) {
                        Connection expected = in.stream().min(Comparator.comparingLong(r -> r.scheduledDue)).orElseThrow();
                        assertThat(heap.firstDue()).isEqualTo(expected.scheduledDue);
                        Connection first = heap.poll();
                        assertThat(first.scheduledDue).isEqualTo(expected.scheduledDue);
                        assertThat(first.heapIndex).isEqualTo(-1);
                        in.remove(first);
                        first.scheduledDue = Long.MAX_VALUE;
                    }
                }
            }
            assertThat(heap.size()).isEqualTo(in.size());
        }
        long last = Long.MIN_VALUE;
        while (!heap.isEmpty()) {
            Connection first = heap.poll();
            assertThat(first.scheduledDue).isGreaterThanOrEqualTo(last);
            last = first.scheduledDue;
        }
        assertThat(heap.firstDue()).isEqualTo(Long.MAX_VALUE);
    }
}
