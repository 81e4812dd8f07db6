package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import java.io.File;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report that could not be written is a failure with its reason, exit 6: standard output on a
 * full disk ({@code /dev/full}), {@code -o} into a directory that does not exist or is not writable.
 */
class OutputErrorsTest {
    private static final Path FULL = Path.of("/dev/full");
    private static final String NO_SPACE = "No space left on device";

    @TempDir
    Path dir;

    private static String sample(String name) {
        return Environment.samples().resolve(name).toString();
    }

    /** Runs the command line in-process with standard output on /dev/full. */
    private static Result toFullDisk(String... args) throws Exception {
        StringWriter err = new StringWriter();
        try (OutputWriter out = new OutputWriter(new FileOutputStream(FULL.toFile()), StandardCharsets.UTF_8)) {
            int code = Main.run(out, new PrintWriter(err), args);
            return new Result(code, "", err.toString());
        }
    }

    @Test
    void everyCommandThatWritesFailsWhenStandardOutputCannotBeWritten() throws Exception {
        assumeTrue(Files.isWritable(FULL), "/dev/full");
        String capture = sample("client-close.pcap");
        List<String[]> commands = List.of(
                new String[] {"connections", capture},
                new String[] {"connections", "--format", "ndjson", capture},
                new String[] {"analyze", capture},
                new String[] {"analyze", "--format", "json", capture},
                new String[] {"check", capture},
                new String[] {"check", "--format", "junit", capture},
                new String[] {"check", "--format", "sarif", capture},
                new String[] {"stats", capture},
                new String[] {"ladder", "--tuple", "10.200.0.1:40000-10.200.0.2:8080", capture},
                new String[] {"connections", "--help"});
        for (String[] command : commands) {
            Result result = toFullDisk(command);
            String line = String.join(" ", command);
            assertThat(result.code()).as(line).isEqualTo(ExitCodes.OUTPUT_ERROR);
            assertThat(result.err()).as(line).endsWith("tcpstate: cannot write standard output: " + NO_SPACE
                    + System.lineSeparator());
        }
    }

    @Test
    void aFailedCheckWhoseReportIsLostIsAnOutputErrorAndCorruptInputStillOutranksIt() throws Exception {
        assumeTrue(Files.isWritable(FULL), "/dev/full");
        Result findings = toFullDisk("check", "--fail-on-flood", sample("syn-flood.pcap"));
        assertThat(findings.code()).isEqualTo(ExitCodes.OUTPUT_ERROR);
        Result missing = toFullDisk("check", dir.resolve("absent.pcap").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("cannot write standard output");
    }

    @Test
    void theJarsMainReportsAFullStandardOutput() throws Exception {
        assumeTrue(Files.isWritable(FULL), "/dev/full");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "check", "--format", "junit", sample("client-close.pcap")));
        Process process = new ProcessBuilder(command).redirectOutput(new File("/dev/full")).start();
        process.getOutputStream().close();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(ExitCodes.OUTPUT_ERROR);
        assertThat(err).isEqualTo("tcpstate: cannot write standard output: " + NO_SPACE + System.lineSeparator());
    }

    @Test
    void outputIntoADirectoryThatDoesNotExistSaysSoInOneLine() {
        Path target = dir.resolve("nonexistent/dir/r.html");
        Result result = run("analyze", "--format", "html", "-o", target.toString(), sample("client-close.pcap"));
        assertThat(result.code()).isEqualTo(ExitCodes.OUTPUT_ERROR);
        assertThat(result.err()).isEqualTo("tcpstate: cannot write " + target + ": no such file or directory"
                + System.lineSeparator());
        assertThat(result.out()).isEmpty();
    }

    @Test
    void outputOntoADirectoryOrAFullDiskGivesTheOsReason() {
        Result directory = run("analyze", "-o", dir.toString(), sample("client-close.pcap"));
        assertThat(directory.code()).isEqualTo(ExitCodes.OUTPUT_ERROR);
        assertThat(directory.err()).isEqualTo("tcpstate: cannot write " + dir + ": Is a directory" + System.lineSeparator());

        assumeTrue(Files.isWritable(FULL), "/dev/full");
        Result full = run("analyze", "-o", FULL.toString(), sample("client-close.pcap"));
        assertThat(full.code()).isEqualTo(ExitCodes.OUTPUT_ERROR);
        assertThat(full.err()).isEqualTo("tcpstate: cannot write /dev/full: " + NO_SPACE + System.lineSeparator());
    }

    @Test
    void outputIntoADirectoryWithoutWritePermissionSaysPermissionDenied() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        // root writes anywhere: there is nothing to deny then
        assumeTrue(!Files.isWritable(locked), "runs as a user without write permission on a r-x directory");
        Path target = locked.resolve("r.html");
        Result result = run("analyze", "-o", target.toString(), sample("client-close.pcap"));
        assertThat(result.code()).isEqualTo(ExitCodes.OUTPUT_ERROR);
        assertThat(result.err()).isEqualTo("tcpstate: cannot write " + target + ": permission denied"
                + System.lineSeparator());
    }

    @Test
    void aWrittenReportIsStillReportedAsWritten() throws Exception {
        Path target = dir.resolve("r.json");
        Result result = run("analyze", "--format", "json", "-o", target.toString(), sample("client-close.pcap"));
        assertThat(result.code()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).isEqualTo("tcpstate: wrote " + target + System.lineSeparator());
        assertThat(Files.readString(target)).startsWith("{");
    }
}
