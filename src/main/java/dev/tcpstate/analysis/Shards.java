package dev.tcpstate.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs one task per shard, each on its own thread, and hands back their results in shard order. */
final class Shards {
    private Shards() {
    }

    /** One shard's work; it may fail as reading a capture fails. */
    interface Task<T> {
        T run(int index) throws IOException;
    }

    /**
     * Runs {@code task} for shards 0 .. count-1 at once. When one fails, its error is thrown as it
     * was (an {@link IOException}, an unchecked exception or an error such as running out of
     * memory); the other threads are interrupted, and being daemon threads they do not keep the
     * process alive.
     */
    static <T> List<T> run(int count, Task<T> task) throws IOException {
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(count, work -> {
            Thread thread = new Thread(work, "tcpstate-shard-" + names.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<CompletableFuture<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return task.run(index);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, pool));
            }
            List<T> results = new ArrayList<>();
            for (CompletableFuture<T> future : futures) {
                results.add(future.join());
            }
            return results;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }
}
