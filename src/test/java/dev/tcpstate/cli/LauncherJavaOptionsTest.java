package dev.tcpstate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JVM options: {@code watch} gets the quick JIT only (the optimising compiler's
 * threads would take the CPU a busy link needs in its first seconds), other commands the JVM's
 * defaults, and TCPSTATE_JAVA_OPTS always wins. A stand-in {@code java} prints what it was given.
 */
class LauncherJavaOptionsTest {
    @TempDir
    Path home;
    private Path javaHome;

    @BeforeEach
    void install() throws Exception {
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.copy(Path.of("src/dist/bin/tcpstate"), home.resolve("bin/tcpstate"));
        Files.writeString(home.resolve("lib/tcpstate.jar"), "");
        javaHome = home.resolve("jdk");
        Files.createDirectories(javaHome.resolve("bin"));
        Path java = javaHome.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home.resolve("bin/tcpstate"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void watchRunsWithTheQuickCompilerOnly() throws Exception {
        assertThat(javaArguments(null, "watch", "-i", "lo")).containsExactly("-XX:TieredStopAtLevel=1", "-jar",
                home.resolve("lib/tcpstate.jar").toRealPath().toString(), "watch", "-i", "lo");
    }

    @Test
    void otherCommandsKeepTheJvmsDefaults() throws Exception {
        assertThat(javaArguments(null, "analyze", "x.pcap")).first().isEqualTo("-jar");
        assertThat(javaArguments(null, "connections", "watch")).doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void theUsersOptionsWin() throws Exception {
        assertThat(javaArguments("-Xmx2g -XX:+UseParallelGC", "watch")).startsWith("-Xmx2g", "-XX:+UseParallelGC",
                "-jar").doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(javaArguments("", "watch")).as("set but empty: the JVM's defaults").first().isEqualTo("-jar");
    }

    private List<String> javaArguments(String options, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(home.resolve("bin/tcpstate").toString()));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().remove("TCPSTATE_JAVA_OPTS");
        if (options != null) {
            builder.environment().put("TCPSTATE_JAVA_OPTS", options);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out.lines().toList();
    }
}
