package dev.tcpstate.cli;

import dev.tcpstate.analysis.AnalysisConfig;
import picocli.CommandLine.Option;

/** {@code --threads N}, for the commands that track connections in capture files. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads that share the connections (default ${DEFAULT-VALUE}): each reads every packet "
                    + "and tracks the four-tuples that hash to it. The results are those of one thread, except "
                    + "which connections --max-flows evicts (each thread evicts from its share). Standard input "
                    + "is read by one thread.")
    int threads;

    /** {@code config} on the threads asked for; a count out of range is a usage error. */
    AnalysisConfig apply(AnalysisConfig config) {
        if (threads < 1 || threads > AnalysisConfig.MAX_THREADS) {
            throw new IllegalArgumentException("--threads " + threads + " (expected: 1 to "
                    + AnalysisConfig.MAX_THREADS + ")");
        }
        return config.withThreads(threads);
    }
}
