package dev.tcpstate.analysis;

import dev.tcpstate.flow.ConnectionRecord;

/**
 * Where the engine's final connection records go, in the order they end (docs/architecture.md):
 * a writer, the detectors, a tally. Told the capture's first packet time before the first record.
 */
public interface RecordSink {
    /** The capture's first frame was at {@code firstFrameNanos}; before any record. */
    default void begin(long firstFrameNanos) {
    }

    /** A record that nothing can change any more, final at packet time {@code finalNanos}. */
    void accept(ConnectionRecord record, long finalNanos);

    /** Both sinks, this one first. */
    default RecordSink andThen(RecordSink next) {
        RecordSink first = this;
        return new RecordSink() {
            @Override
            public void begin(long firstFrameNanos) {
                first.begin(firstFrameNanos);
                next.begin(firstFrameNanos);
            }

            @Override
            public void accept(ConnectionRecord record, long finalNanos) {
                first.accept(record, finalNanos);
                next.accept(record, finalNanos);
            }
        };
    }
}
