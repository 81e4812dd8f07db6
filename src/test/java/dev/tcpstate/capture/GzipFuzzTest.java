package dev.tcpstate.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tcpstate.capture.CaptureFuzzing.Outcome;
import dev.tcpstate.testing.CaptureWriter;
import dev.tcpstate.testing.FuzzOracle;
import java.io.ByteArrayInputStream;
import java.util.Arrays;

/**
 * The gzip path (recognised by magic, read as a stream). The first input byte picks what the rest
 * is: odd, raw bytes that may or may not be gzip (corrupt headers, cut members, garbage after the
 * magic), read as a file and as a stream; even, a capture that is compressed here (and cut short
 * when bit 1 is set, at a share of its length given by the upper bits), whose frames must be those
 * of the same capture read uncompressed.
 */
class GzipFuzzTest {
    private static final String STREAM = "<stdin>";

    @FuzzTest(maxDuration = "5s")
    void readsAnyGzipOrSaysWhyNot(byte[] input) throws Exception {
        FuzzOracle.assertBoundedAllocation(input.length, () -> readOnce(input));
    }

    private static void readOnce(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int mode = input[0] & 0xFF;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        if ((mode & 1) == 1) {
            CaptureFuzzing.write(rest);
            String file = CaptureFuzzing.file().toString();
            Outcome asFile = CaptureFuzzing.read(file, () -> CaptureFiles.open(file));
            Outcome asStream = CaptureFuzzing.read(STREAM,
                    () -> CaptureFiles.openStream(STREAM, CaptureFuzzing.trickle(rest, 1 + rest.length % 13)));
            CaptureFuzzing.assertStreamAgrees(asFile, asStream);
        } else {
            byte[] compressed = CaptureWriter.gzip(rest);
            boolean cut = (mode & 2) != 0;
            if (cut) {
                compressed = Arrays.copyOf(compressed, (int) ((long) compressed.length * (mode >>> 2) / 64));
            }
            byte[] gzip = compressed;
            Outcome plain = CaptureFuzzing.read(STREAM,
                    () -> CaptureFiles.openStream(STREAM, new ByteArrayInputStream(rest)));
            Outcome unzipped = CaptureFuzzing.read(STREAM,
                    () -> CaptureFiles.openStream(STREAM, CaptureFuzzing.trickle(gzip, 1 + gzip.length % 13)));
            // a capture that is itself gzip is unwrapped once by the plain read, not by the other
            if (!CaptureFuzzing.gzip(rest) && !agree(plain, unzipped, cut)) {
                throw new AssertionError("gzip content read differently from the same bytes uncompressed"
                        + (cut ? " (cut to " + gzip.length + " bytes)" : "") + ":\n  plain: " + plain
                        + "\n  gzip:  " + unzipped);
            }
        }
    }

    /**
     * Whole, the decompressed capture reads exactly as the plain one; cut, it yields a prefix of
     * its frames and ends like a cut file (a warning or a failure).
     */
    private static boolean agree(Outcome plain, Outcome unzipped, boolean cut) {
        if (!cut) {
            String plainFailure = plain.failed() ? plain.failure().getMessage() : null;
            String unzippedFailure = unzipped.failed() ? unzipped.failure().getMessage() : null;
            return plain.frames().equals(unzipped.frames()) && plain.warnings().equals(unzipped.warnings())
                    && java.util.Objects.equals(plainFailure, unzippedFailure);
        }
        int n = unzipped.frames().size();
        return n <= plain.frames().size() && plain.frames().subList(0, n).equals(unzipped.frames());
    }
}
