package dev.tcpstate.capture;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;

/**
 * A live interface through pcap4j: {@code PcapHandle.loop} with a {@link RawPacketListener} runs on
 * its own thread and hands frames to
 * {@link #next(Frame)} or {@link #poll(Frame, long, TimeUnit)} through a bounded queue. A full
 * queue drops the frame and counts it, so a slow reader never blocks libpcap.
 *
 * <p>Not immediate mode: on Linux that makes libpcap use TPACKET_V2, whose ring has a slot the
 * size of the largest frame for every frame, so 16 MiB held about 10,000 frames of a 1500-byte
 * MTU and a busy link overflowed it in 50 ms (a connection-heavy replay lost 540,873 of 811,328
 * frames). TPACKET_V3 packs frames as they come, and hands a block over when it is full or after
 * the read timeout (100 ms), which is as late as a frame reaches the analysis.
 *
 * <p>How an interface fails under libpcap 1.10 on Linux, as measured: one that goes down (set down,
 * or its veth peer gone down) makes libpcap silent, and frames flow again once it is back up; one
 * that disappears (deleted, or its network namespace destroyed) ends the loop with "The interface
 * disappeared". The first is {@link #linkState()}, polled by the caller; the second ends the
 * capture like {@link #stop()}, with {@link #failure()} saying why.
 */
public final class LiveCapture implements LiveSource {
    /** What {@link #poll} found. */
    public enum Poll { FRAME, IDLE, END }

    private record Captured(byte[] data, int originalLength, long timestampNanos) {
    }

    private static final Captured END_OF_CAPTURE = new Captured(new byte[0], 0, 0);
    private static final int READ_TIMEOUT_MILLIS = 100;

    private final LiveCaptureOptions options;
    private final PcapHandle handle;
    private final int linkType;
    private final BlockingQueue<Captured> queue;
    private final AtomicLong queueDrops = new AtomicLong();
    private final List<CaptureWarning> warnings = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean ended;
    private volatile String failure;
    private long number;
    private int interfaceId;

    private LiveCapture(LiveCaptureOptions options, PcapHandle handle) {
        this.options = options;
        this.handle = handle;
        this.linkType = handle.getDlt().value();
        this.queue = new ArrayBlockingQueue<>(options.queueFrames());
        this.thread = new Thread(this::captureLoop, "tcpstate-capture-" + options.interfaceName());
        this.thread.setDaemon(true);
    }

    /** Opens the interface, applies the filter and starts capturing. */
    public static LiveCapture start(LiveCaptureOptions options) throws IOException {
        return start(options, 0);
    }

    /** As {@link #start(LiveCaptureOptions)}, its frames numbered as interface {@code interfaceId} of several. */
    static LiveCapture start(LiveCaptureOptions options, int interfaceId) throws IOException {
        PcapHandle handle = openHandle(options);
        LiveCapture capture = new LiveCapture(options, handle);
        capture.interfaceId = interfaceId;
        capture.thread.start();
        return capture;
    }

    private static PcapHandle openHandle(LiveCaptureOptions options) throws IOException {
        String name = options.interfaceName();
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(name)
                    .snaplen(options.snaplen())
                    .promiscuousMode(options.promiscuous() ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MILLIS)
                    .bufferSize(options.bufferBytes())
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .immediateMode(false)
                    .build();
        } catch (PcapNativeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("ermission") || message.contains("not permitted")) {
                throw new CaptureUnavailableException("cannot capture on " + name + ": permission denied (" + message
                        + "): run as root, or let java capture: sudo setcap cap_net_raw,cap_net_admin=eip "
                        + javaBinary());
            }
            throw new CaptureUnavailableException("cannot capture on " + name + ": " + message);
        } catch (LinkageError e) {
            throw CaptureUnavailableException.fromLinkageError(e);
        }
        if (!options.filter().isBlank()) {
            try {
                handle.setFilter(options.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException e) {
                handle.close();
                throw new IllegalArgumentException("bad filter '" + options.filter() + "': " + e.getMessage(), e);
            }
        }
        return handle;
    }

    private static String javaBinary() {
        java.nio.file.Path binary = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            return binary.toRealPath().toString();
        } catch (IOException e) {
            return binary.toString();
        }
    }

    private void captureLoop() {
        RawPacketListener listener = data -> {
            Captured frame = new Captured(data, handle.getOriginalLength(),
                    Pcap4jTimestamps.toNanos(handle.getTimestamp()));
            if (!queue.offer(frame)) {
                queueDrops.incrementAndGet();
            }
        };
        try {
            handle.loop(-1, listener);
        } catch (InterruptedException e) {
            // breakLoop() ends the loop this way: a normal stop.
        } catch (PcapNativeException | NotOpenException e) {
            failure = stoppedMessage(e.getMessage());
            warnings.add(new CaptureWarning(options.interfaceName(), number, failure));
        } finally {
            ended = true;
            // The end marker must get through even when the queue is full.
            while (!queue.offer(END_OF_CAPTURE)) {
                queue.poll();
                queueDrops.incrementAndGet();
            }
        }
    }

    /** One line naming the interface and what happened; pcap4j prefixes libpcap's text with "Error occurred: ". */
    private String stoppedMessage(String pcap4jMessage) {
        String libpcap = String.valueOf(pcap4jMessage).replaceFirst("^Error occurr?ed: ", "");
        String what = libpcap.equals("The interface disappeared")
                ? "the interface disappeared (deleted, or its network namespace removed; libpcap: " + libpcap + ")"
                : "libpcap failed (" + libpcap + ")";
        return "capture on " + options.interfaceName() + " stopped: " + what;
    }

    /**
     * Why the capture ended on its own (the interface disappeared, libpcap failed), as one line;
     * empty while it runs and when it was stopped.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether the interface has its link: it is up and running, down, gone, or unknown ("any"). */
    public enum LinkState { UP, DOWN, GONE, UNKNOWN }

    /**
     * The interface's state now, as the kernel reports it (IFF_UP and IFF_RUNNING through
     * {@link NetworkInterface}). libpcap says nothing while an interface is down, so this is how
     * a caller finds out.
     */
    public LinkState linkState() {
        if (options.interfaceName().equals("any")) {
            return LinkState.UNKNOWN;
        }
        try {
            NetworkInterface device = NetworkInterface.getByName(options.interfaceName());
            if (device == null) {
                return LinkState.GONE;
            }
            return device.isUp() ? LinkState.UP : LinkState.DOWN;
        } catch (SocketException e) {
            return LinkState.UNKNOWN;
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        while (true) {
            Poll result = poll(frame, 1, TimeUnit.SECONDS);
            if (result != Poll.IDLE) {
                return result == Poll.FRAME;
            }
        }
    }

    /** Waits up to {@code timeout} for a frame: FRAME (filled in), IDLE (none yet) or END. */
    public Poll poll(Frame frame, long timeout, TimeUnit unit) throws IOException {
        Captured captured;
        try {
            captured = queue.poll(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for frames", e);
        }
        if (captured == null) {
            return Poll.IDLE;
        }
        if (captured == END_OF_CAPTURE) {
            queue.offer(END_OF_CAPTURE);
            return Poll.END;
        }
        frame.set(ByteBuffer.wrap(captured.data()), 0, captured.data().length, captured.originalLength(),
                captured.timestampNanos(), linkType, interfaceId, -1, ++number);
        return Poll.FRAME;
    }

    /** Asks the capture to end; {@link #next} then drains what was captured and returns false. */
    public void stop() {
        if (!ended) {
            try {
                handle.breakLoop();
            } catch (NotOpenException e) {
                // already closed: nothing to stop
            }
        }
    }

    /** Frames libpcap received, and dropped in the kernel and in this capture's queue. */
    public record Counts(long received, long droppedByKernel, long droppedByInterface, long droppedByQueue) {
    }

    public Counts counts() {
        try {
            PcapStat stat = handle.getStats();
            return new Counts(stat.getNumPacketsReceived(), stat.getNumPacketsDropped(),
                    stat.getNumPacketsDroppedByIf(), queueDrops.get());
        } catch (PcapNativeException | NotOpenException e) {
            return new Counts(-1, -1, -1, queueDrops.get());
        }
    }

    public int linkType() {
        return linkType;
    }

    @Override
    public java.util.List<CaptureWriter.Interface> interfaces() {
        return java.util.List.of(new CaptureWriter.Interface(name(), linkType));
    }

    @Override
    public double backlog() {
        return (double) queue.size() / options.queueFrames();
    }

    @Override
    public String name() {
        return options.interfaceName();
    }

    @Override
    public String format() {
        return "live";
    }

    @Override
    public List<CaptureWarning> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void close() throws IOException {
        stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            handle.close();
        }
    }
}
