package dev.tcpstate.report;

import dev.tcpstate.capture.CaptureInterface;
import dev.tcpstate.decode.IpAddresses;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code tcpstate interfaces}: a table for people, or one JSON array for tools. */
public final class InterfacesRenderer {
    private InterfacesRenderer() {
    }

    public static void text(List<CaptureInterface> interfaces, PrintWriter out) {
        out.printf("%-16s %-22s %s%n", "INTERFACE", "FLAGS", "ADDRESSES");
        for (CaptureInterface device : interfaces) {
            out.printf("%-16s %-22s %s%n", device.name(), String.join(",", flags(device)),
                    device.addresses().isEmpty() ? "-" : String.join(" ", addresses(device)));
        }
        out.flush();
    }

    public static void json(List<CaptureInterface> interfaces, PrintWriter out) {
        JsonWriter json = new JsonWriter(out).beginArray();
        for (CaptureInterface device : interfaces) {
            json.beginObject().field("name", device.name()).field("description", device.description());
            json.name("addresses").beginArray();
            addresses(device).forEach(json::value);
            json.endArray().name("loopback").value(device.loopback()).name("up").value(device.up())
                    .name("running").value(device.running()).endObject();
        }
        json.endArray();
        out.println();
        out.flush();
    }

    private static List<String> addresses(CaptureInterface device) {
        return device.addresses().stream().map(address -> IpAddresses.format(address.getAddress())).toList();
    }

    private static List<String> flags(CaptureInterface device) {
        List<String> flags = new ArrayList<>();
        flags.add(device.up() ? "up" : "down");
        if (device.running()) {
            flags.add("running");
        }
        if (device.loopback()) {
            flags.add("loopback");
        }
        return flags;
    }
}
