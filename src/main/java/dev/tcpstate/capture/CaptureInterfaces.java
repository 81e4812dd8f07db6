package dev.tcpstate.capture;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/** The interfaces libpcap offers for live capture ({@code pcap_findalldevs}). */
public final class CaptureInterfaces {
    private CaptureInterfaces() {
    }

    public static List<CaptureInterface> list() throws CaptureUnavailableException {
        List<PcapNetworkInterface> devices;
        try {
            devices = Pcaps.findAllDevs();
        } catch (PcapNativeException e) {
            throw new CaptureUnavailableException("cannot list interfaces: " + e.getMessage());
        } catch (LinkageError e) {
            throw CaptureUnavailableException.fromLinkageError(e);
        }
        List<CaptureInterface> interfaces = new ArrayList<>();
        for (PcapNetworkInterface device : devices) {
            List<InetAddress> addresses = device.getAddresses().stream().map(PcapAddress::getAddress)
                    .filter(Objects::nonNull).toList();
            interfaces.add(new CaptureInterface(device.getName(), Objects.requireNonNullElse(device.getDescription(), ""),
                    addresses, device.isLoopBack(), device.isUp(), device.isRunning()));
        }
        return interfaces;
    }
}
