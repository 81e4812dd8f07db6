package dev.tcpstate.detect;

import java.util.Locale;

/**
 * Every kind of finding, with its stable id and name (public API: they never change meaning),
 * and one line of advice. docs/findings.md has an entry per id.
 */
public enum FindingType {
    HANDSHAKE_UNANSWERED("TS101", "handshake-unanswered",
            "Check that the service listens and that no firewall drops SYNs on the way (SYNs retried, nothing came back)."),
    HANDSHAKE_REFUSED("TS102", "handshake-refused",
            "Nothing listens on that port, or a firewall rejects it: check the service and the address clients use."),
    HANDSHAKE_NO_FINAL_ACK("TS103", "handshake-no-final-ack",
            "SYN-ACKs were never acknowledged: spoofed sources (see a SYN flood finding), or the return path to the clients is broken."),
    HANDSHAKE_RESET("TS104", "handshake-reset",
            "A side reset the handshake: look at who sent the RST (a middlebox, a full accept queue, a client that gave up)."),
    HANDSHAKE_BAD_SYN_ACK("TS105", "handshake-bad-syn-ack",
            "SYN-ACKs acknowledged the wrong sequence number: an old duplicate, a NAT/load balancer mixing connections, or a forged segment."),
    HALF_OPEN_PEER_RESET("TS201", "half-open-peer-reset",
            "A peer had lost the connection (reboot, crash, NAT or firewall state timeout) and answered retransmissions with RST: check keep-alives and idle timeouts on the path."),
    HALF_OPEN_PEER_SILENT("TS202", "half-open-peer-silent",
            "A side kept retransmitting to a peer that never answered: the peer or the path went away; check for a dead host, a route change or a middlebox dropping the flow."),
    DATA_AFTER_RESET("TS203", "data-after-reset",
            "A side kept sending data after its peer had reset the connection: the RST did not reach it, or the application ignores errors."),
    CONNECTION_RESET("TS204", "connection-reset",
            "Established connections were reset: an application abort (SO_LINGER 0, a crash), a timeout in a proxy or firewall, or a peer refusing data; see who sent the RST."),
    SYN_FLOOD("TS301", "syn-flood",
            "Make sure SYN cookies are on (net.ipv4.tcp_syncookies=1), size the backlog (tcp_max_syn_backlog, somaxconn), and filter upstream."),
    SYN_FLOOD_SLOW("TS302", "syn-flood-slow",
            "SYNs outgrow closed connections over time: look for a slow flood or port scan from the listed sources before the backlog fills."),
    BACKSCATTER("TS303", "backscatter",
            "Unsolicited SYN-ACKs or RSTs towards many addresses: someone spoofs this host's address in a flood elsewhere; the listed addresses are the spoofed sources."),
    TIME_WAIT_BUILDUP("TS401", "time-wait-buildup",
            "The host closes first, so its sockets sit in TIME-WAIT for 2xMSL: use connection pooling or keep-alive, let the peer close first, or enable net.ipv4.tcp_tw_reuse for outgoing connections."),
    TIME_WAIT_REUSE("TS402", "time-wait-reuse",
            "New connections reused four-tuples still in TIME-WAIT: fine with TCP timestamps (tcp_tw_reuse), but a sign of port exhaustion; pool connections."),
    EPHEMERAL_PORT_PRESSURE("TS403", "ephemeral-port-pressure",
            "Many local ports towards one destination are in use or in TIME-WAIT: widen net.ipv4.ip_local_port_range, pool connections, or spread over more destination addresses."),
    CAPTURE_LOSS("TS501", "capture-loss",
            "The capture missed packets the endpoints exchanged: unanswered, half-open and half-closed findings may be losses, not failures. Capture closer to the hosts, raise the capture buffer (watch --buffer), or filter (-f) to what matters.");

    private final String id;
    private final String name;
    private final String advice;

    FindingType(String id, String name, String advice) {
        this.id = id;
        this.name = name;
        this.advice = advice;
    }

    /** The stable id, e.g. {@code TS101}. */
    public String id() {
        return id;
    }

    /** The stable name, e.g. {@code handshake-unanswered}. */
    public String title() {
        return name;
    }

    public String advice() {
        return advice;
    }

    /** Its entry in docs/findings.md. */
    public String documentation() {
        return "docs/findings.md#" + id.toLowerCase(Locale.ROOT) + "-" + name;
    }

    /** The type with this id or name ({@code TS101} or {@code handshake-unanswered}), if there is one. */
    public static java.util.Optional<FindingType> find(String idOrName) {
        for (FindingType type : values()) {
            if (type.id.equalsIgnoreCase(idOrName) || type.name.equalsIgnoreCase(idOrName)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }
}
