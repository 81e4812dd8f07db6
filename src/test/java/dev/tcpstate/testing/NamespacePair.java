package dev.tcpstate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces a test creates and deletes, joined by a veth pair with the client at
 * {@code NET.1} and the server at {@code NET.2} (a /24 the test names), IPv6 off. Traffic stays
 * inside them. Background processes started through it are killed on {@link #close()}.
 */
public final class NamespacePair implements AutoCloseable {
    public final String client;
    public final String server;
    public final String clientInterface;
    public final String serverInterface;
    public final String clientAddress;
    public final String serverAddress;
    private final List<Process> background = new ArrayList<>();

    /** @param prefix namespace names are {@code PREFIX-c} and {@code PREFIX-s}; {@code net} like "10.205.0" */
    public NamespacePair(String prefix, String net) throws IOException, InterruptedException {
        this.client = prefix + "-c";
        this.server = prefix + "-s";
        this.clientInterface = "v" + prefix.substring(Math.max(0, prefix.length() - 4)) + "c";
        this.serverInterface = "v" + prefix.substring(Math.max(0, prefix.length() - 4)) + "s";
        this.clientAddress = net + ".1";
        this.serverAddress = net + ".2";
        delete();
        sh("ip", "netns", "add", client);
        sh("ip", "netns", "add", server);
        sh("ip", "link", "add", clientInterface, "netns", client, "type", "veth", "peer", "name", serverInterface,
                "netns", server);
        for (String[] ns : new String[][] {{client, clientInterface, clientAddress}, {server, serverInterface,
            serverAddress}}) {
            sh("ip", "netns", "exec", ns[0], "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            sh("ip", "-n", ns[0], "addr", "add", ns[2] + "/24", "dev", ns[1]);
            sh("ip", "-n", ns[0], "link", "set", ns[1], "up");
            sh("ip", "-n", ns[0], "link", "set", "lo", "up");
        }
    }

    /** Whether this machine can run such a test: root, libpcap, iproute2, python3. */
    public static boolean available() {
        return Environment.isRoot() && Environment.libpcapAvailable() && !Environment.run("ip", "-V").isEmpty()
                && !Environment.run("python3", "--version").isEmpty();
    }

    /** Starts {@code command} in namespace {@code namespace}, output to {@code log}; killed on close. */
    public Process start(String namespace, Path log, String... command) throws IOException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(List.of(command));
        Process process = new ProcessBuilder(all).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        background.add(process);
        return process;
    }

    /** Runs {@code command} in {@code namespace} and returns its standard output ("" on failure). */
    public String run(String namespace, String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(List.of(command));
        return Environment.run(all.toArray(String[]::new));
    }

    /** Runs a command that must succeed. */
    public static void sh(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + ": " + output);
        }
    }

    /** Waits until {@code file} contains {@code text}. */
    public static void waitFor(Path file, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in " + file + ": " + (Files.exists(file) ? Files.readString(file) : ""));
    }

    /** Waits until something listens on TCP {@code port} in the server's namespace. */
    public void waitUntilListening(int port, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (run(server, "ss", "-ltnH", "sport = :" + port).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing listens on port " + port + " in " + server);
            }
            Thread.sleep(100);
        }
    }

    private void delete() {
        for (String ns : List.of(client, server)) {
            Environment.run("ip", "netns", "pids", ns).lines().forEach(pid -> Environment.run("kill", "-9", pid));
            Environment.run("ip", "netns", "del", ns);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : background) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        background.clear();
        delete();
    }
}
