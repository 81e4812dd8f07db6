package dev.tcpstate.flink;

import dev.tcpstate.decode.ChecksumMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar tcpstate-flink.jar [--parallelism N] --output DIR CAPTURE...}: tcpstate's
 * engine as a Flink job, on an embedded MiniCluster when run with java -jar, on the cluster when
 * submitted with {@code flink run}. Exit codes as the CLI's: 0 ok, 2 usage, 3 unreadable or
 * corrupt input, 5 internal error.
 */
@Command(name = "tcpstate-flink", mixinStandardHelpOptions = true, sortOptions = false,
        version = "tcpstate-flink 0.1.0-SNAPSHOT (Apache Flink 2.3.0)",
        description = {"Tracks every TCP connection of the captures and runs tcpstate's detectors, as an Apache "
                + "Flink job: the answers of `tcpstate connections` and `tcpstate analyze` on the same files "
                + "(docs/scale-out.md).",
                "",
                "Writes DIR/connections/*.ndjson (one line per connection, the keys of `tcpstate connections "
                        + "--format ndjson`) and DIR/findings/*.ndjson (one line per finding, as `tcpstate analyze "
                        + "--format ndjson` writes them, worst first)."},
        footer = {"", "Examples:",
                "  java -jar tcpstate-flink.jar --output out samples/syn-flood.pcap",
                "  java -jar tcpstate-flink.jar -p 2 --output out rotated/*.pcap.gz",
                "  flink run tcpstate-flink.jar --output s3://b/out s3://b/caps/a.pcap",
                "", "Captures are pcap or pcapng files, either gzip-compressed, on any",
                "Flink file system: local paths, file://, s3://, hdfs://."})
public final class FlinkMain implements Callable<Integer> {
    static final int OK = 0;
    static final int USAGE = 2;
    static final int INPUT = 3;
    static final int INTERNAL = 5;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true,
            description = "Directory for connections/ and findings/ (absent or empty; any Flink file system).")
    private String output;

    @Option(names = {"-p", "--parallelism"}, paramLabel = "N",
            description = "Parallel instances of each stage (default: the cluster's default; on the embedded "
                    + "MiniCluster, the number of cores).")
    private Integer parallelism;

    @Option(names = "--msl", paramLabel = "SECONDS", defaultValue = "30",
            description = "Maximum segment lifetime: TIME-WAIT lasts 2 x MSL (default: ${DEFAULT-VALUE}, as the CLI).")
    private double mslSeconds;

    @Option(names = "--checksums", paramLabel = "MODE", defaultValue = "ignore",
            description = "validate or ignore TCP checksums (default: ${DEFAULT-VALUE}, as the CLI).")
    private String checksums;

    @Option(names = "--out-of-order", paramLabel = "SECONDS", defaultValue = "1",
            description = "How far packet times may go back within a file and between files read at once "
                    + "(default: ${DEFAULT-VALUE}); older packets are counted as late.")
    private double outOfOrderSeconds;

    @Option(names = "--uid-seed", paramLabel = "N",
            description = "Key of the connection uids (0 to 4294967295; default: random per run).")
    private Long uidSeed;

    @Parameters(paramLabel = "CAPTURE", arity = "1..*", description = "pcap or pcapng files, plain or gzip.")
    private List<String> captures = new ArrayList<>();

    private PrintWriter err;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs with these streams and arguments; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        FlinkMain main = new FlinkMain();
        main.err = err;
        CommandLine command = new CommandLine(main);
        command.setOut(out);
        command.setErr(err);
        command.setParameterExceptionHandler((problem, arguments) -> {
            err.println("tcpstate-flink: " + problem.getMessage());
            err.println("Try 'java -jar tcpstate-flink.jar --help' for more information.");
            return USAGE;
        });
        command.setExecutionExceptionHandler((problem, cmd, parsed) -> {
            err.println("tcpstate-flink: internal error: " + problem);
            problem.printStackTrace(err);
            return INTERNAL;
        });
        return command.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        ChecksumMode mode;
        try {
            mode = ChecksumMode.valueOf(checksums.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return usage("--checksums " + checksums + " (expected: validate, ignore)");
        }
        if (parallelism != null && parallelism < 1) {
            return usage("--parallelism " + parallelism + " (expected: 1 or more)");
        }
        if (!(mslSeconds > 0) || !(outOfOrderSeconds >= 0)) {
            return usage("--msl must be positive and --out-of-order not negative");
        }
        if (uidSeed != null && (uidSeed < 0 || uidSeed > 0xFFFF_FFFFL)) {
            return usage("--uid-seed " + uidSeed + " (expected: 0 to 4294967295)");
        }
        if (captures.size() > CaptureFileFormat.MAX_FILES) {
            return usage(captures.size() + " captures (expected: at most " + CaptureFileFormat.MAX_FILES
                    + " in one run; record numbers hold the file's index)");
        }
        if (new LinkedHashSet<>(captures).size() != captures.size()) {
            return usage("a capture is given twice");
        }
        Path outputPath = new Path(output);
        try {
            FileSystem fs = outputPath.getFileSystem();
            if (fs.exists(outputPath)) {
                FileStatus[] inside = fs.listStatus(outputPath);
                if (!fs.getFileStatus(outputPath).isDir() || inside != null && inside.length > 0) {
                    return usage("--output " + output + ": exists and is not an empty directory");
                }
            }
        } catch (IOException e) {
            return usage("--output " + output + ": " + e.getMessage());
        }
        CapturePlan plan;
        try {
            plan = CapturePlan.of(captures);
        } catch (IOException e) {
            err.println("tcpstate-flink: " + e.getMessage());
            return INPUT;
        }
        int uidKey = uidSeed != null ? (int) (long) uidSeed : new SecureRandom().nextInt();
        JobSettings settings = new JobSettings(mode, Math.round(mslSeconds * 1e9), uidKey, plan.captureStartNanos(),
                Math.round(outOfOrderSeconds * 1e9));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (parallelism != null) {
            env.setParallelism(parallelism);
        }
        if (env.getCheckpointConfig().isCheckpointingEnabled()) {
            // the trackers live on the heap as Java objects, which a checkpoint cannot write
            return usage("checkpointing is on (execution.checkpointing.interval): the job does not support it; "
                    + "run it without (a bounded run that fails is run again)");
        }
        CaptureJob.build(env, settings, plan, outputPath);
        JobExecutionResult result = env.execute("tcpstate " + String.join(" ", captures));
        return report(result, outputPath);
    }

    /** What the run says beside its files: where they are, late packets, corrupt captures. */
    private int report(JobExecutionResult result, Path outputPath) {
        if (!result.isJobExecutionResult()) {
            err.println("tcpstate-flink: submitted as job " + result.getJobID());
            return OK;
        }
        Long late = result.getAccumulatorResult(ConnectionStage.LATE_PACKETS);
        List<String> failures = result.getAccumulatorResult(ConnectionStage.CAPTURE_FAILURES);
        List<String> warnings = result.getAccumulatorResult(ConnectionStage.CAPTURE_WARNINGS);
        err.printf(Locale.ROOT, "tcpstate-flink: records in %s, findings in %s (%.1f s)%n",
                new Path(outputPath, CaptureJob.CONNECTIONS), new Path(outputPath, CaptureJob.FINDINGS),
                result.getNetRuntime() / 1000.0);
        if (warnings != null) {
            warnings.forEach(warning -> err.println("tcpstate-flink: warning: " + warning));
        }
        if (late != null && late > 0) {
            err.println("tcpstate-flink: warning: " + late + " packets came later than --out-of-order allows; "
                    + "their connections may differ from the CLI's (raise --out-of-order)");
        }
        if (failures != null && !failures.isEmpty()) {
            failures.forEach(failure -> err.println("tcpstate-flink: " + failure
                    + "; that capture is analysed up to there"));
            return INPUT;
        }
        return OK;
    }

    private int usage(String message) {
        err.println("tcpstate-flink: " + message);
        err.println("Try 'java -jar tcpstate-flink.jar --help' for more information.");
        return USAGE;
    }
}
