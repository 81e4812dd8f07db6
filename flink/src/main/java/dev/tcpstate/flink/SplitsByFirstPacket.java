package dev.tcpstate.flink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out files in the order of their first packet: a reader that finishes one file takes the
 * earliest file left, so the watermark it has sent on (the latest time it read, less the
 * out-of-order allowance) does not pass the packets of the next file it reads. Rotated files
 * are read oldest first this way, whatever order they were given in.
 */
final class SplitsByFirstPacket implements FileSplitAssigner {
    private final Map<String, Long> firstNanos;
    private final List<FileSourceSplit> splits = new ArrayList<>();

    SplitsByFirstPacket(Map<String, Long> firstNanos, Collection<FileSourceSplit> initial) {
        this.firstNanos = firstNanos;
        addSplits(initial);
    }

    /** Makes one for the source; serializable as Flink needs it. */
    static Provider provider(Map<String, Long> firstNanos) {
        Map<String, Long> firsts = Map.copyOf(firstNanos);
        return (Provider) initial -> new SplitsByFirstPacket(firsts, initial);
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return splits.isEmpty() ? Optional.empty() : Optional.of(splits.remove(0));
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> added) {
        splits.addAll(added);
        splits.sort(Comparator.comparingLong((FileSourceSplit split) -> firstNanos.getOrDefault(
                CapturePlan.pathKey(split.path()), Long.MAX_VALUE)).thenComparing(split -> split.path().toString()));
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return List.copyOf(splits);
    }
}
