package dev.tcpstate.analysis;

import dev.tcpstate.detect.DetectorSettings;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.Timeline;
import dev.tcpstate.flow.ConnectionRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@code tcpstate analyze} reports: the captures, their connections, the findings, a
 * timeline, and what the flow-table cap cost: connections evicted (they are still reported) and
 * ended four-tuples forgotten early.
 *
 * <p>Connections name the findings they are part of only when they are asked for: a report that
 * only counts them (the text report, {@code check}) does not make a second copy of millions of
 * records.
 */
public final class Analysis {
    private final CaptureSummary summary;
    private final List<ConnectionRecord> records;
    private final List<Finding> findings;
    private final Timeline timeline;
    private final DetectorSettings settings;
    private final long evictedFlows;
    private final long forgottenTuples;
    private final long recordsNotKept;
    private boolean named;

    /** @param connections in time order; the analysis takes it over */
    public Analysis(CaptureSummary summary, List<ConnectionRecord> connections, List<Finding> findings,
            Timeline timeline, DetectorSettings settings, long evictedFlows, long forgottenTuples,
            long recordsNotKept) {
        this.summary = summary;
        this.records = connections instanceof ArrayList ? connections : new ArrayList<>(connections);
        this.findings = List.copyOf(findings);
        this.timeline = timeline;
        this.settings = settings;
        this.evictedFlows = evictedFlows;
        this.forgottenTuples = forgottenTuples;
        this.recordsNotKept = recordsNotKept;
    }

    public CaptureSummary summary() {
        return summary;
    }

    /** Every connection in time order, each naming the ids of the findings it is part of. */
    public synchronized List<ConnectionRecord> connections() {
        if (!named) {
            Analyzer.withFindings(records, findings); // in place: each old record goes as its copy is made
            named = true;
        }
        return Collections.unmodifiableList(records);
    }

    /**
     * Every connection in time order, for counting: their {@code findings} may still be empty
     * (use {@link #connections()} to read those).
     */
    public synchronized List<ConnectionRecord> connectionsForCounting() {
        return Collections.unmodifiableList(records);
    }

    public List<Finding> findings() {
        return findings;
    }

    public Timeline timeline() {
        return timeline;
    }

    public DetectorSettings settings() {
        return settings;
    }

    public long evictedFlows() {
        return evictedFlows;
    }

    /**
     * Ended four-tuples whose memory (a TIME-WAIT, an unanswered SYN) the cap dropped early: a new
     * connection on one was not checked for reuse in TIME-WAIT or a repeated SYN.
     */
    public long forgottenTuples() {
        return forgottenTuples;
    }

    /**
     * The earliest connections of a long {@code watch} that its report no longer holds (it keeps
     * the newest, four times {@code --max-flows}); 0 for a capture file, which keeps them all.
     */
    public long recordsNotKept() {
        return recordsNotKept;
    }
}
