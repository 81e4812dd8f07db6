package dev.tcpstate.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event stream on its own thread: every event, in the order handed over, all written before close returns. */
class BackgroundListenerTest {
    /** Remembers what it was told, slowly, on whichever thread tells it. */
    private static class Recording implements LiveAnalyzer.Listener {
        final List<String> told = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        private void tell(String what) {
            told.add(what);
            threads.add(Thread.currentThread().getName());
            if (told.size() % 10_000 == 0) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void opened(ConnectionRecord connection) {
            tell("opened");
        }

        @Override
        public void closed(ConnectionRecord connection) {
            tell("closed");
        }

        @Override
        public void raised(Finding finding) {
            tell("raised");
        }

        @Override
        public void cleared(Finding finding) {
            tell("cleared");
        }

        @Override
        public void logged(ConnectionRecord connection) {
            tell("logged");
        }

        @Override
        public void flush() {
            tell("flush");
        }
    }

    @Test
    void everyEventArrivesInOrderOnTheWritersThreadBeforeCloseReturns() throws Exception {
        Recording target = new Recording();
        List<String> expected = new ArrayList<>();
        try (BackgroundListener background = new BackgroundListener(target)) {
            // more than the hand-off holds: the analysis waits for the writer, nothing is dropped
            for (int i = 0; i < 200_000; i++) {
                switch (i % 6) {
                    case 0 -> background.opened(null);
                    case 1 -> background.closed(null);
                    case 2 -> background.logged(null);
                    case 3 -> background.raised(null);
                    case 4 -> background.cleared(null);
                    default -> background.flush();
                }
                expected.add(List.of("opened", "closed", "logged", "raised", "cleared", "flush").get(i % 6));
            }
        }
        expected.add("flush"); // the last, at close
        assertThat(target.told).isEqualTo(expected);
        assertThat(target.threads).containsOnly("tcpstate-events");
    }

    @Test
    void aWriterThatFailsIsReportedNotHungOn() throws Exception {
        LiveAnalyzer.Listener failing = new Recording() {
            @Override
            public void opened(ConnectionRecord connection) {
                throw new IllegalStateException("disk full");
            }
        };
        BackgroundListener background = new BackgroundListener(failing);
        background.opened(null);
        assertThatThrownBy(background::close).hasMessageContaining("disk full");
        assertThatThrownBy(() -> background.closed(null)).hasMessageContaining("disk full");
    }
}
