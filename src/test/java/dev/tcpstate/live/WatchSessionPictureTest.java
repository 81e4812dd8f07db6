package dev.tcpstate.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.CaptureWarning;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.LiveCapture;
import dev.tcpstate.capture.LiveSource;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.report.TimeFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The frames never wait for the live picture: on a busy link the detectors over the window take
 * long, and meanwhile the capture's hand-off queue would overflow.
 */
class WatchSessionPictureTest {
    private static final String SAMPLE = "samples/syn-flood.pcap";

    @Test
    void framesGoOnWhileAPictureIsBeingDrawn() throws Exception {
        CountDownLatch pictureStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StalledSource source = new StalledSource(CaptureFiles.open(SAMPLE), pictureStarted);
        AnalysisConfig config = AnalysisConfig.defaults();
        LiveAnalyzer analyzer = new LiveAnalyzer(config, DetectorSettings.DEFAULTS, 60_000_000_000L,
                LiveAnalyzer.Listener.NONE);
        WatchSession session = new WatchSession(source, analyzer, Optional.empty(), Optional.<Duration>empty(),
                (LiveSnapshot snapshot) -> {
                    pictureStarted.countDown();
                    try {
                        release.await(); // a picture that takes as long as the test wants
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, () -> null, line -> { }, TimeFormat.UTC);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread analysis = new Thread(() -> {
            try {
                result.set(session.run(40));
            } catch (Exception | Error e) {
                result.set(e);
            }
        });
        analysis.start();

        assertThat(pictureStarted.await(20, TimeUnit.SECONDS)).as("a picture began").isTrue();
        assertThat(source.ended.await(20, TimeUnit.SECONDS))
                .as("every frame was taken while the picture was still being drawn").isTrue();
        assertThat(release.getCount()).isEqualTo(1);
        release.countDown();
        analysis.join(20_000);

        assertThat(result.get()).isInstanceOf(Analysis.class);
        Analysis watched = (Analysis) result.get();
        Analysis analyzed = new Analyzer(config).analyze(List.of(SAMPLE), DetectorSettings.DEFAULTS, 40);
        assertThat(watched.connections().byOutcome()).as("nothing lost meanwhile")
                .isEqualTo(analyzed.connections().byOutcome());
        assertThat(watched.findings()).isEqualTo(analyzed.findings());
    }

    /** A live source replaying a file: a few frames, then silence until a picture begins, then the rest. */
    private static final class StalledSource implements LiveSource {
        private final PacketSource file;
        private final CountDownLatch pictureStarted;
        final CountDownLatch ended = new CountDownLatch(1);
        private int served;

        StalledSource(PacketSource file, CountDownLatch pictureStarted) {
            this.file = file;
            this.pictureStarted = pictureStarted;
        }

        @Override
        public LiveCapture.Poll poll(Frame frame, long timeout, TimeUnit unit) throws IOException {
            if (served >= 10 && pictureStarted.getCount() > 0) {
                try {
                    Thread.sleep(unit.toMillis(timeout));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return LiveCapture.Poll.IDLE;
            }
            if (file.next(frame)) {
                served++;
                return LiveCapture.Poll.FRAME;
            }
            ended.countDown();
            return LiveCapture.Poll.END;
        }

        @Override
        public boolean next(Frame frame) throws IOException {
            return poll(frame, 100, TimeUnit.MILLISECONDS) == LiveCapture.Poll.FRAME;
        }

        @Override
        public void stop() {
        }

        @Override
        public LiveCapture.Counts counts() {
            return new LiveCapture.Counts(served, 0, 0, 0);
        }

        @Override
        public Optional<String> failure() {
            return Optional.empty();
        }

        @Override
        public LiveCapture.LinkState linkState() {
            return LiveCapture.LinkState.UP;
        }

        @Override
        public double backlog() {
            return 0;
        }

        @Override
        public int linkType() {
            return 1;
        }

        @Override
        public List<dev.tcpstate.capture.CaptureWriter.Interface> interfaces() {
            return List.of(new dev.tcpstate.capture.CaptureWriter.Interface(name(), linkType()));
        }

        @Override
        public String name() {
            return "stalled";
        }

        @Override
        public String format() {
            return "live";
        }

        @Override
        public List<CaptureWarning> warnings() {
            return List.of();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
