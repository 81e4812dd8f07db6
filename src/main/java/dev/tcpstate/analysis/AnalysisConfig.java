package dev.tcpstate.analysis;

import dev.tcpstate.decode.ChecksumMode;
import java.util.Objects;
import java.util.Set;
import dev.tcpstate.flow.ZeekRules;

/**
 * Settings of one analysis run that are not about where frames come from.
 *
 * @param mslNanos the maximum segment lifetime; TIME-WAIT lasts twice it
 * @param timeouts when unanswered attempts and idle connections end (packet time)
 * @param maxFlows connections tracked at once; past it the oldest half-open ones are evicted
 * @param threads how many threads share a capture's connections (files only)
 */
public record AnalysisConfig(ChecksumMode checksums, long mslNanos, Set<Integer> likelyServerPorts,
        ZeekRules.Timeouts timeouts, int maxFlows, int threads) {
    /** More threads than this is a typing mistake, not a machine. */
    public static final int MAX_THREADS = 256;

    /**
     * The most connections tracked at once by default, before the oldest half-open ones are
     * evicted: about a gigabyte of heap at today's size per connection.
     */
    public static final int DEFAULT_MAX_FLOWS = 1_000_000;
    /** Heap a tracked connection takes, all included (measured: 980–1,010 bytes; bench/README.md). */
    static final long BYTES_PER_FLOW = 1024;

    /**
     * The default flow cap: what a quarter of the Java heap holds, at most {@link #DEFAULT_MAX_FLOWS}.
     * The rest is room for the records waiting to be final (as many again at most), the detectors'
     * counts, and the garbage a flood makes, so that a flood of millions of spoofed SYNs completes
     * on a small heap too.
     */
    public static int defaultMaxFlows() {
        long quarter = Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_FLOW;
        return (int) Math.max(10_000, Math.min(DEFAULT_MAX_FLOWS, quarter));
    }

    /** Linux's TIME-WAIT is 60 s: an MSL of 30 s. */
    public static final long DEFAULT_MSL_NANOS = 30_000_000_000L;

    /**
     * @param likelyServerPorts the ports Zeek's {@code likely_server_ports} holds: which side of a
     *     connection seen without its SYN is the server (Zeek fills the set from the protocol
     *     scripts it loads, so its answer depends on its configuration)
     */
    public AnalysisConfig {
        Objects.requireNonNull(checksums, "checksums");
        if (mslNanos <= 0) {
            throw new IllegalArgumentException("MSL must be positive");
        }
        likelyServerPorts = Set.copyOf(likelyServerPorts);
        Objects.requireNonNull(timeouts, "timeouts");
        if (maxFlows < 1) {
            throw new IllegalArgumentException("max flows must be positive");
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 1.." + MAX_THREADS);
        }
    }

    public AnalysisConfig(ChecksumMode checksums, long mslNanos, Set<Integer> likelyServerPorts,
            ZeekRules.Timeouts timeouts, int maxFlows) {
        this(checksums, mslNanos, likelyServerPorts, timeouts, maxFlows, 1);
    }

    /** The same settings, run on {@code threads} threads. */
    public AnalysisConfig withThreads(int threads) {
        return new AnalysisConfig(checksums, mslNanos, likelyServerPorts, timeouts, maxFlows, threads);
    }

    public AnalysisConfig(ChecksumMode checksums, long mslNanos, Set<Integer> likelyServerPorts,
            ZeekRules.Timeouts timeouts) {
        this(checksums, mslNanos, likelyServerPorts, timeouts, defaultMaxFlows());
    }

    public AnalysisConfig(ChecksumMode checksums, long mslNanos) {
        this(checksums, mslNanos, ZEEK_BASE_SERVER_PORTS, ZeekRules.Timeouts.ZEEK_DEFAULTS);
    }

    public AnalysisConfig(ChecksumMode checksums) {
        this(checksums, DEFAULT_MSL_NANOS);
    }

    /**
     * What Zeek's base protocol scripts put in {@code likely_server_ports} (a default {@code zeek
     * -r}; Zeek a13de64f, each protocol's {@code Analyzer::register_for_ports}), TCP only: DCE-RPC,
     * DNP3, DNS, Finger, FTP, HTTP, IMAP, IRC, Kerberos, LDAP, Modbus, MQTT, MySQL, PostgreSQL,
     * RDP, Redis, SMB, SMTP, SOCKS, SSH, SSL/TLS, syslog, XMPP. (POP3 registers no port: Zeek
     * finds it by its content.)
     */
    public static final Set<Integer> ZEEK_BASE_SERVER_PORTS = Set.of(135, 20000, 53, 79, 21, 2811, 80, 81, 631,
            1080, 3128, 8000, 8080, 8888, 143, 6666, 6667, 6668, 6669, 88, 389, 3268, 502, 1883, 1434, 3306, 5432,
            3389, 6379, 139, 445, 25, 587, 22, 443, 465, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223, 514,
            5222, 5269);

    public static AnalysisConfig defaults() {
        return new AnalysisConfig(ChecksumMode.IGNORE);
    }

    public long timeWaitNanos() {
        return 2 * mslNanos;
    }
}
