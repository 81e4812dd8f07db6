package dev.tcpstate.analysis;

import dev.tcpstate.flow.ConnectionRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Several trackers, one per thread, each owning the four-tuples that hash to it, merged into the
 * one stream of final records a single tracker gives: ordered by the packet time each record became
 * final at, records of one moment by number. Each shard hands its records over in batches through
 * a small queue with a watermark (no record it gives later is final before it), so the merge holds
 * a few batches per shard, never the capture's records.
 */
final class ShardMerge {
    /** Records per batch handed from a shard to the merge. */
    private static final int BATCH = 512;
    /** Batches waiting per shard before the shard waits for the merge. */
    private static final int QUEUED = 16;

    private ShardMerge() {
    }

    /** One shard's work: it reads the captures and gives its final records to {@code lane}. */
    interface Task<T> {
        T run(int index, Lane lane) throws IOException;
    }

    /** What passes from a shard to the merge: records in order, then how far the shard got. */
    private static final class Batch {
        final ConnectionRecord[] records = new ConnectionRecord[BATCH];
        final long[] times = new long[BATCH];
        int size;
        long watermark = Long.MIN_VALUE;
        /** The capture's first frame time, in the shard's first batch. */
        long firstFrame = Long.MIN_VALUE;
        boolean last;
        Throwable failure;
    }

    /** A shard's end of the merge: takes its final records, and its progress between them. */
    static final class Lane implements RecordSink {
        private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
        private Batch filling = new Batch();
        private long handedWatermark = Long.MIN_VALUE;
        // the merge's side
        private Batch reading;
        private int next;
        private long watermark = Long.MIN_VALUE;
        private boolean done;

        @Override
        public void begin(long firstFrameNanos) {
            filling.firstFrame = firstFrameNanos;
        }

        @Override
        public void accept(ConnectionRecord record, long finalNanos) {
            filling.records[filling.size] = record;
            filling.times[filling.size++] = finalNanos;
            if (filling.size == BATCH) {
                hand(finalNanos);
            }
        }

        /** Nothing this shard gives from now on is final before {@code clock}. */
        void progress(long clock) {
            if (filling.size > 0 || clock > handedWatermark) {
                hand(clock);
            }
        }

        private void hand(long clock) {
            filling.watermark = clock;
            handedWatermark = clock;
            put(filling);
            filling = new Batch();
        }

        private void finished(Throwable failure) {
            filling.watermark = Long.MAX_VALUE;
            filling.last = true;
            filling.failure = failure;
            put(filling);
        }

        private void put(Batch batch) {
            try {
                queue.put(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** The merge's view: true when a record is at hand; false when only the watermark is known. */
        private boolean hasRecord() {
            return reading != null && next < reading.size;
        }

        /** Takes the next batch (waiting for it); rethrows the shard's failure. */
        private void pull(RecordSink sink, boolean[] begun) throws IOException {
            Batch batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
            if (batch.failure != null) {
                rethrow(batch.failure);
            }
            if (batch.firstFrame != Long.MIN_VALUE && !begun[0]) {
                begun[0] = true; // every shard read the same first frame
                sink.begin(batch.firstFrame);
            }
            reading = batch;
            next = 0;
            watermark = batch.watermark;
            done = batch.last;
        }
    }

    /**
     * Runs {@code task} for shards 0 .. count-1, each on its own daemon thread, and gives their
     * records to {@code sink} in order on the calling thread. The shards' results come back in
     * shard order. A shard's failure is thrown as it was, once the records before it are out.
     */
    static <T> List<T> run(int count, Task<T> task, RecordSink sink) throws IOException {
        List<Lane> lanes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<T> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lanes.add(new Lane());
            results.add(null);
        }
        for (int i = 0; i < count; i++) {
            int index = i;
            Lane lane = lanes.get(i);
            Thread thread = new Thread(() -> {
                Throwable failure = null;
                try {
                    results.set(index, task.run(index, lane));
                } catch (Throwable t) {
                    failure = t;
                }
                try {
                    lane.finished(failure);
                } catch (IllegalStateException interrupted) {
                    // the merge stopped first (another shard failed): nobody waits for this one
                }
            }, "tcpstate-shard-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        try {
            merge(lanes, sink);
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } finally {
            threads.forEach(Thread::interrupt);
        }
        return results; // each thread set its own element before the join
    }

    private static void merge(List<Lane> lanes, RecordSink sink) throws IOException {
        boolean[] begun = {false};
        while (true) {
            Lane first = null;
            for (Lane lane : lanes) {
                if (lane.hasRecord() && (first == null || before(lane, first))) {
                    first = lane;
                }
            }
            // a shard with no record at hand may still give one that comes first
            Lane waitFor = null;
            for (Lane lane : lanes) {
                if (!lane.hasRecord() && !lane.done
                        && (first == null || lane.watermark <= first.reading.times[first.next])) {
                    waitFor = lane;
                    break;
                }
            }
            if (waitFor != null) {
                waitFor.pull(sink, begun);
            } else if (first != null) {
                sink.accept(first.reading.records[first.next], first.reading.times[first.next]);
                first.reading.records[first.next++] = null;
            } else {
                return; // every shard is done and every record out
            }
        }
    }

    private static boolean before(Lane a, Lane b) {
        long ta = a.reading.times[a.next];
        long tb = b.reading.times[b.next];
        return ta < tb || ta == tb && a.reading.records[a.next].id() < b.reading.records[b.next].id();
    }

    private static void rethrow(Throwable failure) throws IOException {
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof UncheckedIOException io) {
            throw io.getCause();
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(failure);
    }
}
