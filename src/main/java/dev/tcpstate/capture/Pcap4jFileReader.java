package dev.tcpstate.capture;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * A capture file read by libpcap through pcap4j. Not used for analysis (the pure-Java readers are
 * about ten times faster and need no native library): it is the oracle the readers are tested
 * against. It allocates an array per frame, and libpcap refuses pcapng files whose interfaces have
 * different link types.
 */
public final class Pcap4jFileReader implements PacketSource {
    private final String name;
    private final PcapHandle handle;
    private final int linkType;
    private long number;

    private Pcap4jFileReader(String name, PcapHandle handle) {
        this.name = name;
        this.handle = handle;
        this.linkType = handle.getDlt().value();
    }

    public static Pcap4jFileReader open(String path) throws IOException {
        try {
            return new Pcap4jFileReader(path, Pcaps.openOffline(path, PcapHandle.TimestampPrecision.NANO));
        } catch (PcapNativeException e) {
            throw new IOException(path + ": libpcap: " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw CaptureUnavailableException.fromLinkageError(e);
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        byte[] data;
        try {
            data = handle.getNextRawPacketEx();
        } catch (EOFException e) {
            return false;
        } catch (TimeoutException | NotOpenException e) {
            throw new IOException(name + ": libpcap: " + e, e);
        } catch (PcapNativeException e) {
            throw new IOException(name + ": libpcap: " + e.getMessage(), e);
        }
        frame.set(ByteBuffer.wrap(data), 0, data.length, handle.getOriginalLength(),
                Pcap4jTimestamps.toNanos(handle.getTimestamp()), linkType, 0, -1, ++number);
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String format() {
        return "libpcap";
    }

    @Override
    public List<CaptureWarning> warnings() {
        return List.of();
    }

    @Override
    public void close() {
        handle.close();
    }
}
