package dev.tcpstate.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sink's own thread sees every record once, in order, and its failure reaches the tracker. */
class SinkThreadTest {
    @Test
    void deliversEveryRecordInOrderOnAnotherThreadBeforeFinishReturns() {
        List<Long> seen = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        long[] begun = {0};
        SinkThread sink = new SinkThread(new RecordSink() {
            @Override
            public void begin(long firstFrameNanos) {
                begun[0] = firstFrameNanos;
            }

            @Override
            public void accept(ConnectionRecord record, long finalNanos) {
                seen.add(finalNanos);
                if (threads.isEmpty()) {
                    threads.add(Thread.currentThread().getName());
                }
            }
        });
        sink.begin(42);
        for (long i = 0; i < 10_500; i++) { // not a whole number of batches
            sink.accept(null, i);
        }
        sink.finish();

        assertThat(begun[0]).isEqualTo(42);
        assertThat(seen).hasSize(10_500);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        assertThat(threads).containsExactly("tcpstate-records").doesNotContain(Thread.currentThread().getName());
    }

    @Test
    void aFailingSinkStopsTheTrackerWithItsOwnException() {
        IllegalStateException broken = new IllegalStateException("disk full");
        SinkThread sink = new SinkThread((record, finalNanos) -> {
            if (finalNanos == 1_500) {
                throw broken;
            }
        });
        long handed = 0;
        try {
            while (handed < 1_000_000) {
                sink.accept(null, handed++);
            }
        } catch (IllegalStateException e) {
            assertThat(e).isSameAs(broken);
        } finally {
            sink.abandon();
        }
        // it stopped within a few batches of the failure, not at the end
        assertThat(handed).isLessThan(1_500 + 10 * 1024);
        assertThatThrownBy(sink::finish).isSameAs(broken);
    }
}
