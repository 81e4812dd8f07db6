package dev.tcpstate.testing;

import dev.tcpstate.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a tcpstate command line in this JVM, as a user would type it, and keeps what it printed. */
public final class Cli {
    private Cli() {
    }

    /** The exit code and what went to standard output and standard error. */
    public record Result(int code, String out, String err) {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }
}
