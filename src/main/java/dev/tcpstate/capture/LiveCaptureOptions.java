package dev.tcpstate.capture;

import java.util.Objects;

/**
 * How to open a live interface. {@code filter} is a BPF expression as tcpdump takes it (empty for
 * none); the kernel buffer is at least 4 MiB so bursts survive between reads.
 *
 * @param interfaceName interface to capture on ("any" for all, on Linux)
 * @param snaplen bytes kept of each frame
 * @param bufferBytes libpcap's kernel buffer size
 * @param filter BPF expression, "" for none
 * @param promiscuous whether to put the interface in promiscuous mode
 * @param queueFrames frames the capture thread may hold before the reader takes them
 */
public record LiveCaptureOptions(String interfaceName, int snaplen, int bufferBytes, String filter,
        boolean promiscuous, int queueFrames) {
    public static final int DEFAULT_SNAPLEN = 262_144;
    public static final int MIN_BUFFER = 4 << 20;
    public static final int DEFAULT_BUFFER = 16 << 20;
    public static final int DEFAULT_QUEUE = 65_536;

    public LiveCaptureOptions {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(filter, "filter");
        if (snaplen < 64) {
            throw new IllegalArgumentException("snaplen " + snaplen + " is too small (expected: at least 64)");
        }
        bufferBytes = Math.max(bufferBytes, MIN_BUFFER);
        if (queueFrames < 1) {
            throw new IllegalArgumentException("queueFrames must be positive");
        }
    }

    public static LiveCaptureOptions of(String interfaceName) {
        return new LiveCaptureOptions(interfaceName, DEFAULT_SNAPLEN, DEFAULT_BUFFER, "", false, DEFAULT_QUEUE);
    }

    public LiveCaptureOptions withFilter(String bpf) {
        return new LiveCaptureOptions(interfaceName, snaplen, bufferBytes, bpf, promiscuous, queueFrames);
    }

    public LiveCaptureOptions withSnaplen(int bytes) {
        return new LiveCaptureOptions(interfaceName, bytes, bufferBytes, filter, promiscuous, queueFrames);
    }
}
