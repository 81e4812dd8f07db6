package dev.tcpstate.cli;

import dev.tcpstate.capture.CaptureUnavailableException;
import dev.tcpstate.flow.Uids;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tcpstate} command: picocli wiring and the mapping of failures to exit codes. */
@Command(name = "tcpstate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Rebuild every TCP connection's RFC 793 lifecycle from pcap/pcapng captures or live "
                + "interfaces, and report what went wrong.",
            "Every command: --stacktrace shows the Java stack trace of an error."},
        subcommands = {AnalyzeCommand.class, CheckCommand.class, ConnectionsCommand.class, LadderCommand.class,
            WatchCommand.class, ShellCommand.class, StatsCommand.class, InterfacesCommand.class,
            CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class,
            ManPageCommand.class},
        // exit codes and examples as picocli's own sections: --help shows them, and the man pages
        // get EXIT STATUS and EXAMPLES sections from them (a plain footer is left out of the man page)
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:findings (check)", "2:usage", "3:unreadable or corrupt input",
            "4:capture unavailable", "5:internal error", "6:output not written"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tcpstate connections samples/client-close.pcap",
            "  tcpstate connections --outcome refused,unanswered --format csv capture.pcap",
            "  tcpstate stats samples/client-close.pcap",
            "  tcpstate interfaces",
            "  tcpstate help connections"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // not System.out: a PrintStream swallows write errors (a full disk, a closed pipe) for good
        OutputWriter out = new OutputWriter(new java.io.FileOutputStream(java.io.FileDescriptor.out),
                java.nio.charset.Charset.defaultCharset());
        PrintWriter err = new PrintWriter(System.err, true);
        Thread.setDefaultUncaughtExceptionHandler(backgroundFailures(err, Arrays.asList(args).contains("--stacktrace")));
        int code = run(out, err, args);
        out.flush();
        System.exit(code);
    }

    /** Runs one command line in-process; returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean stacktrace = Arrays.asList(args).contains("--stacktrace");
        String[] commandArgs = Arrays.stream(args).filter(arg -> !arg.equals("--stacktrace")).toArray(String[]::new);
        CommandLine commandLine = new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler((exception, failed, parseResult) -> failure(exception, err, stacktrace));
        int code;
        Uids.useRandomKey(); // each run its own uids, unless --uid-seed sets the key while parsing
        try {
            code = commandLine.execute(commandArgs);
        } catch (OutOfMemoryError e) {
            // picocli lets Errors through; this one deserves a sentence, not a stack trace
            err.println("tcpstate: out of memory: the captures hold more connections than the Java heap ("
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB) can keep; give it more (java -Xmx8g -jar "
                    + "tcpstate.jar ...) or track fewer at once (--max-flows)");
            if (stacktrace) {
                e.printStackTrace(err);
            }
            code = ExitCodes.INTERNAL_ERROR;
        }
        out.flush();
        if (out.checkError()) {
            code = outputFailed(out, err, code);
        }
        err.flush();
        return code;
    }

    /**
     * Standard output could not be written (a full disk, a closed pipe): the report is lost, so
     * the run did not succeed, whatever the command found; a failure it already reported stands.
     */
    private static int outputFailed(PrintWriter out, PrintWriter err, int code) {
        String reason = out instanceof OutputWriter writer ? writer.failure().orElse("write error") : "write error";
        err.println("tcpstate: cannot write standard output: " + reason);
        return code == ExitCodes.OK || code == ExitCodes.FINDINGS ? ExitCodes.OUTPUT_ERROR : code;
    }

    /**
     * What a helper thread (reading ahead, a shard) fails with outside its work. Its work's own
     * failure reaches the command through a future, and the command reports it. What escapes is
     * the thread pool's bookkeeping failing; seen: running out of memory while an idle reader
     * waits for work. The command then runs out too and says so in one sentence, so that error
     * stays quiet here. Anything else gets one line, not the JVM's stack trace.
     */
    static Thread.UncaughtExceptionHandler backgroundFailures(PrintWriter err, boolean stacktrace) {
        return (thread, failure) -> {
            if (failure instanceof OutOfMemoryError && !stacktrace) {
                return;
            }
            err.println("tcpstate: internal error in thread " + thread.getName() + ": " + failure
                    + (stacktrace ? "" : " (run with --stacktrace for details)"));
            if (stacktrace) {
                failure.printStackTrace(err);
            }
            err.flush();
        };
    }

    @Override
    public void run() {
        // "tcpstate" alone: this line and where to read more, exit 2
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    private static int failure(Exception exception, PrintWriter err, boolean stacktrace) {
        Throwable cause = exception instanceof UncheckedIOException unchecked ? unchecked.getCause() : exception;
        int code;
        String message;
        if (cause instanceof OutputWriter.OutputException) {
            code = ExitCodes.OUTPUT_ERROR;
            message = cause.getMessage();
        } else if (cause instanceof CaptureUnavailableException) {
            code = ExitCodes.CAPTURE_UNAVAILABLE;
            message = cause.getMessage();
        } else if (cause instanceof IOException) {
            code = ExitCodes.BAD_INPUT;
            message = cause.getMessage();
        } else if (cause instanceof IllegalArgumentException) {
            code = ExitCodes.USAGE;
            message = cause.getMessage();
        } else {
            code = ExitCodes.INTERNAL_ERROR;
            message = "internal error: " + cause + (stacktrace ? "" : " (run with --stacktrace for details)");
        }
        err.println("tcpstate: " + message);
        if (stacktrace) {
            cause.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
