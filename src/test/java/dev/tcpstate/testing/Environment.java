package dev.tcpstate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.pcap4j.core.Pcaps;

/** What the machine running the tests offers: libpcap, root, tshark, the recorded samples. */
public final class Environment {
    private Environment() {
    }

    /** Whether pcap4j can load libpcap. */
    public static boolean libpcapAvailable() {
        try {
            return Pcaps.libVersion() != null;
        } catch (LinkageError e) {
            return false;
        }
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || run("id", "-u").strip().equals("0");
    }

    public static boolean tsharkAvailable() {
        return !run("tshark", "--version").isEmpty();
    }

    /** Output of a command, or "" when it cannot run or fails. */
    public static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "";
            }
            return new String(output, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The project's samples/ folder (tests run from the project root). */
    public static Path samples() {
        return Path.of("samples").toAbsolutePath();
    }

    /** Every recorded capture in samples/: .pcap, .pcapng and their .gz forms. */
    public static List<Path> sampleCaptures() throws IOException {
        try (Stream<Path> files = Files.list(samples())) {
            return files.filter(file -> {
                String name = file.getFileName().toString();
                return name.endsWith(".pcap") || name.endsWith(".pcapng") || name.endsWith(".gz");
            }).sorted().toList();
        }
    }
}
