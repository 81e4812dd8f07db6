package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.testing.Cli;
import dev.tcpstate.testing.Environment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive works as README's "Install" says: unpacked anywhere, bin/tcpstate runs
 * tcpstate from any directory, through symlinks and from PATH. Runs in the package phase, after
 * the archive is built (pom.xml, surefire's "distribution" execution, which names the archive).
 */
class DistributionTest {
    @TempDir
    Path dir;

    private Path home;
    private Path elsewhere;
    private final String sample = Environment.samples().resolve("client-close.pcap").toString();

    @BeforeEach
    void unpack() throws Exception {
        String archive = System.getProperty("tcpstate.dist");
        Assumptions.assumeTrue(archive != null, "run by the package phase, which builds the archive");
        assertThat(Path.of(archive)).as("mvn package builds it").exists();
        Path unpacked = Files.createDirectories(dir.resolve("opt"));
        assertThat(run(unpacked, Map.of(), "tar", "xzf", archive).code).isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> entries = top.toList();
            assertThat(entries).as("one top directory, tcpstate-VERSION").hasSize(1);
            home = entries.get(0);
        }
        assertThat(home.getFileName().toString()).startsWith("tcpstate-");
        elsewhere = Files.createDirectories(dir.resolve("somewhere else"));
    }

    @Test
    void theArchiveHoldsTheLauncherTheJarTheManPagesAndTheCompletion() {
        assertThat(home.resolve("bin/tcpstate")).isExecutable();
        assertThat(home.resolve("lib/tcpstate.jar")).isRegularFile();
        for (String page : List.of("tcpstate", "tcpstate-analyze", "tcpstate-check", "tcpstate-connections",
                "tcpstate-stats", "tcpstate-watch")) {
            assertThat(home.resolve("man/man1/" + page + ".1")).isRegularFile();
        }
        assertThat(home.resolve("completion/tcpstate.bash")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
    }

    @Test
    void theLauncherRunsTcpstateFromAnyDirectory() throws Exception {
        Run version = run(elsewhere, Map.of(), home.resolve("bin/tcpstate").toString(), "--version");
        assertThat(version.code).as(version.err).isZero();
        assertThat(version.out).startsWith("tcpstate " + home.getFileName().toString().substring("tcpstate-".length()));
        Run stats = run(elsewhere, Map.of(), home.resolve("bin/tcpstate").toString(), "stats", sample);
        assertThat(stats.code).as(stats.err).isZero();
        assertThat(stats.out).isEqualTo(Cli.run("stats", sample).out()).contains("13 frames");
        // the exit code of the command comes through the launcher
        assertThat(run(elsewhere, Map.of(), home.resolve("bin/tcpstate").toString(), "stats").code)
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void theLauncherRunsThroughSymlinksAndFromPath() throws Exception {
        Path links = Files.createDirectories(dir.resolve("links"));
        // an absolute link, as ln -s /opt/tcpstate-X/bin/tcpstate ~/.local/bin/tcpstate makes, and a
        // relative link to that link
        Files.createSymbolicLink(links.resolve("tcpstate"), home.resolve("bin/tcpstate"));
        Files.createSymbolicLink(links.resolve("ts"), Path.of("tcpstate"));
        Run viaLinks = run(elsewhere, Map.of(), links.resolve("ts").toString(), "stats", sample);
        assertThat(viaLinks.code).as(viaLinks.err).isZero();
        assertThat(viaLinks.out).contains("13 frames");
        // a relative link into the unpacked tree: ../opt/tcpstate-X/bin/tcpstate
        Files.createSymbolicLink(links.resolve("relative"), links.relativize(home.resolve("bin/tcpstate")));
        assertThat(run(elsewhere, Map.of(), links.resolve("relative").toString(), "--version").code).isZero();
        // found on PATH by the shell, which then hands the script its PATH name as $0
        Run fromPath = run(elsewhere, Map.of("PATH", links + ":" + System.getenv("PATH")), "sh", "-c",
                "tcpstate stats \"$1\"", "sh", sample);
        assertThat(fromPath.code).as(fromPath.err).isZero();
        assertThat(fromPath.out).contains("13 frames");
    }

    private record Run(int code, String out, String err) {
    }

    /** The command in {@code cwd}, with JAVA_HOME set to this JVM's Java (the launcher's first choice). */
    private static Run run(Path cwd, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(cwd.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process process = builder.redirectError(err.toFile()).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Run(process.exitValue(), out, Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }
}
