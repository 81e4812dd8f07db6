package dev.tcpstate.capture;

import java.net.InetAddress;
import java.util.List;

/** A network interface libpcap can capture on, as {@code tcpstate interfaces} lists it. */
public record CaptureInterface(String name, String description, List<InetAddress> addresses, boolean loopback,
        boolean up, boolean running) {
    public CaptureInterface {
        addresses = List.copyOf(addresses);
    }
}
