package dev.tcpstate.cli;

import dev.tcpstate.analysis.CaptureSummary;
import dev.tcpstate.decode.DecodeResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * For the commands whose output is only connections ({@code connections}, {@code ladder}): what
 * the reading found that those connections cannot show, as warnings on stderr. A cut capture, and
 * frames that could not be decoded, would otherwise go unsaid ({@code analyze} and {@code stats}
 * print them in their report).
 */
final class CaptureNotes {
    /** Skips that ordinary traffic gives (ARP, UDP, later fragments) or that the user asked for (checksums). */
    private static final Set<DecodeResult> ORDINARY = EnumSet.of(DecodeResult.NOT_IP, DecodeResult.NOT_TCP,
            DecodeResult.IP_FRAGMENT, DecodeResult.BAD_IP_CHECKSUM, DecodeResult.BAD_TCP_CHECKSUM,
            DecodeResult.BAD_UDP_CHECKSUM);

    private CaptureNotes() {
    }

    static void report(CaptureSummary summary, PrintWriter err) {
        summary.warnings().forEach(warning -> err.println("tcpstate: warning: " + warning));
        long undecoded = 0;
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<DecodeResult, Long> skipped : summary.skipped().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            if (!ORDINARY.contains(skipped.getKey())) {
                undecoded += skipped.getValue();
                reasons.add(String.format(Locale.ROOT, "%s %,d, first: frame %,d", skipped.getKey().label(),
                        skipped.getValue(), summary.firstSkipped().get(skipped.getKey())));
            }
        }
        if (undecoded > 0) {
            err.println(String.format(Locale.ROOT, "tcpstate: warning: %,d frames could not be decoded and are in no "
                    + "connection (%s); tcpstate stats describes each reason", undecoded, String.join("; ", reasons)));
        }
        err.flush();
    }

    /** What {@code --max-flows} cost, if anything: connections evicted early, ended four-tuples forgotten early. */
    static void flowCap(long evicted, long forgotten, int maxFlows, PrintWriter err) {
        if (evicted > 0) {
            err.println(String.format(Locale.ROOT, "tcpstate: warning: %,d connections evicted early by "
                    + "--max-flows %,d (the oldest half-open first); they are reported as they stood", evicted, maxFlows));
        }
        if (forgotten > 0) {
            err.println(String.format(Locale.ROOT, "tcpstate: warning: %,d ended four-tuples forgotten early "
                    + "by --max-flows %,d; new connections on them were not checked for TIME-WAIT reuse or a "
                    + "repeated SYN", forgotten, maxFlows));
        }
        err.flush();
    }
}
