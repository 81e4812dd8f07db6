package dev.tcpstate.bench;

import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.LiveAnalyzer;
import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.detect.DetectorSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * What {@code watch}'s analysis thread spends freezing a sitting for the picture, against the
 * connections open at that moment: feeds a capture to {@link LiveAnalyzer} frame by frame and
 * takes a sitting every N frames, timing it in the thread's CPU time. The frames themselves are
 * timed too, so the two can be compared per frame.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.tcpstate.bench.SittingProbe CAPTURE [FRAMES_PER_SITTING] [picture]
 * </pre>
 *
 * With {@code picture}, each sitting's picture is drawn too (on the same thread, timed apart).
 */
public final class SittingProbe {
    private SittingProbe() {
    }

    public static void main(String[] args) throws Exception {
        String capture = args[0];
        long every = args.length > 1 ? Long.parseLong(args[1]) : 250_000;
        boolean draw = args.length > 2 && args[2].equals("picture");
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        LiveAnalyzer analyzer = new LiveAnalyzer(AnalysisConfig.defaults(), DetectorSettings.DEFAULTS, 60_000_000_000L,
                LiveAnalyzer.Listener.NONE);
        Frame frame = new Frame();
        long frames = 0;
        long frameCpu = 0;
        long sittingCpu = 0;
        int sittings = 0;
        try (PacketSource source = CaptureFiles.open(capture)) {
            long start = cpu.getCurrentThreadCpuTime();
            while (source.next(frame)) {
                analyzer.frame(frame);
                if (++frames % every == 0) {
                    long before = cpu.getCurrentThreadCpuTime();
                    frameCpu += before - start;
                    LiveAnalyzer.Sitting sitting = analyzer.sitting(analyzer.lastPacketNanos(),
                            LiveSnapshot.CaptureCounts.NONE, null);
                    long took = cpu.getCurrentThreadCpuTime() - before;
                    sittingCpu += took;
                    sittings++;
                    System.out.printf(Locale.ROOT, "frame %,d: sitting %.1f ms CPU, %,d open (%.3f us each)", frames,
                            took / 1e6, sitting.open().size(), sitting.open().isEmpty() ? 0 : took / 1e3 / sitting.open().size());
                    if (draw) {
                        long drawing = cpu.getCurrentThreadCpuTime();
                        analyzer.picture(sitting);
                        System.out.printf(Locale.ROOT, "; picture %.1f ms CPU (%,d records in the window)",
                                (cpu.getCurrentThreadCpuTime() - drawing) / 1e6, sitting.recent().size() + sitting.open().size());
                    }
                    System.out.println();
                    start = cpu.getCurrentThreadCpuTime();
                }
            }
            frameCpu += cpu.getCurrentThreadCpuTime() - start;
        }
        System.out.printf(Locale.ROOT, "%,d frames: %.2f us CPU a frame; %d sittings, %.1f ms CPU each on average%n", frames,
                frameCpu / 1e3 / frames, sittings, sittings == 0 ? 0 : sittingCpu / 1e6 / sittings);
    }
}
