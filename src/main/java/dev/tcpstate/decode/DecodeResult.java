package dev.tcpstate.decode;

/**
 * What the decoder made of a frame: {@link #TCP}, or the reason it was skipped. The names are
 * stable: reports and the NDJSON output show them in lower case with dashes.
 */
public enum DecodeResult {
    TCP("a TCP segment"),
    UNSUPPORTED_LINK_TYPE("link type tcpstate does not decode"),
    TRUNCATED_LINK_HEADER("link-layer header cut short by the snaplen or the frame"),
    NOT_IP("not IP (ARP, LLDP, 802.2, ...)"),
    NOT_TCP("IP, but not TCP (UDP, ICMP, tunnels tcpstate does not follow, ...)"),
    IP_FRAGMENT("IP fragment with no TCP header in it (outer fragments of a tunnel wait here for the rest)"),
    TRUNCATED_IP_HEADER("IP header cut short by the snaplen or the frame"),
    BAD_IP_VERSION("IP version field disagrees with the link layer"),
    BAD_IP_HEADER_LENGTH("IPv4 header length below 20 bytes"),
    BAD_IP_LENGTH("IP length shorter than the headers it must hold"),
    IPV6_EXTENSION_CHAIN("IPv6 extension headers too many or running past the packet"),
    TRUNCATED_TCP_HEADER("TCP header cut short: fewer than 20 bytes captured"),
    BAD_TCP_DATA_OFFSET("TCP data offset below 5 words or beyond the IP payload"),
    BAD_IP_CHECKSUM("IPv4 header checksum wrong (--checksums validate)"),
    /** The segment's fields are decoded all the same (Zeek still charges such packets to a connection). */
    BAD_TCP_CHECKSUM("TCP checksum wrong (--checksums validate)"),
    BAD_UDP_CHECKSUM("UDP checksum of a tunnel wrong (--checksums validate): not decapsulated, as in Zeek"),
    BAD_TUNNEL("tunnel header (GRE, VXLAN, Geneve, GTP-U) cut short or malformed: the packet inside is not read"),
    TUNNEL_TOO_DEEP("tunnels nested deeper than Zeek's Tunnel::max_depth (4)");

    private final String description;

    DecodeResult(String description) {
        this.description = description;
    }

    public boolean skipped() {
        return this != TCP;
    }

    /** Stable lower-case name, e.g. {@code truncated-ip-header}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }
}
