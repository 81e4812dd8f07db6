package dev.tcpstate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The age queue keeps places in the order they were added through removals from anywhere. */
class AgeQueueTest {
    @Test
    void keepsInsertionOrderThroughRemovalsAnywhere() {
        Random random = new Random(5);
        AgeQueue queue = new AgeQueue();
        LinkedHashSet<Integer> model = new LinkedHashSet<>();
        for (int step = 0; step < 20_000; step++) {
            int place = random.nextInt(1_000);
            if (random.nextInt(3) == 0) {
                queue.remove(place);
                model.remove(place);
            } else if (random.nextInt(5) == 0 && !model.isEmpty()) {
                int oldest = queue.oldest();
                assertThat(oldest).isEqualTo(model.iterator().next());
                queue.remove(oldest);
                model.remove(oldest);
            } else {
                queue.add(place); // adding one that is in changes nothing
                model.add(place);
            }
            assertThat(queue.size()).isEqualTo(model.size());
        }
        List<Integer> order = new ArrayList<>();
        for (int place = queue.oldest(); place >= 0; place = queue.newer(place)) {
            order.add(place);
        }
        assertThat(order).containsExactlyElementsOf(model);
        queue.clear();
        assertThat(queue.oldest()).isEqualTo(-1);
        assertThat(queue.size()).isZero();
    }
}
