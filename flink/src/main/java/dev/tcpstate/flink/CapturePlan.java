package dev.tcpstate.flink;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.CaptureFormatException;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * What the job needs to know of its captures before it starts, read in the client from the first
 * frame of each file: that each opens as a capture, its index (frame numbers are unique across
 * files with it), its first packet time (the order splits are handed out in), and the capture's
 * first packet time, which the detectors' time buckets count from (the CLI's begin()).
 */
public record CapturePlan(List<Path> paths, List<String> names, Map<String, Integer> fileIndex,
        Map<String, Long> firstNanos, long captureStartNanos) {

    /** Opens each capture and reads its first frame; a capture that does not open is an error. */
    public static CapturePlan of(List<String> captures) throws IOException {
        List<Path> paths = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        Map<String, Long> firsts = new HashMap<>();
        long start = Long.MAX_VALUE;
        for (String capture : captures) {
            Path path = new Path(capture);
            FileSystem fs = path.getFileSystem();
            Path qualified = path.makeQualified(fs);
            if (!fs.exists(qualified)) {
                throw new IOException(capture + ": no such file");
            }
            if (fs.getFileStatus(qualified).isDir()) {
                throw new IOException(capture + ": is a directory (expected: a pcap or pcapng file)");
            }
            String key = pathKey(qualified);
            if (index.containsKey(key)) {
                throw new IOException(capture + ": given twice");
            }
            long first;
            // a file that does not open as a capture is an error here, before the job
            try (PacketSource source = CaptureFiles.openStream(capture, fs.open(qualified))) {
                first = firstFrameNanos(source);
            }
            index.put(key, index.size());
            firsts.put(key, first);
            paths.add(qualified);
            start = Math.min(start, first);
        }
        return new CapturePlan(List.copyOf(paths), List.copyOf(captures), Map.copyOf(index), Map.copyOf(firsts), start);
    }

    /**
     * The first frame's time; MAX_VALUE when there is none, or when the first record is already
     * broken: the job then reads the capture up to there (nothing) and says so, as the CLI does.
     */
    private static long firstFrameNanos(PacketSource source) throws IOException {
        Frame frame = new Frame();
        try {
            return source.next(frame) ? frame.timestampNanos() : Long.MAX_VALUE;
        } catch (CaptureFormatException brokenFirstRecord) {
            return Long.MAX_VALUE;
        }
    }

    /** The name a file goes by between the plan and the readers, whatever scheme the enumerator adds. */
    static String pathKey(Path path) {
        return path.toUri().getPath();
    }
}
