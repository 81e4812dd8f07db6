package dev.tcpstate.capture;

/**
 * The LINKTYPE_ values the decoder understands, named as tcpdump names them. Any other value is
 * carried through as a number and its frames are skipped as an unsupported link type.
 */
public enum LinkType {
    NULL(0, "NULL", "BSD loopback, host-order family"),
    EN10MB(1, "EN10MB", "Ethernet"),
    FDDI(10, "FDDI", "FDDI with LLC/SNAP"),
    RAW_DLT12(12, "RAW", "raw IP (DLT 12)"),
    RAW_DLT14(14, "RAW", "raw IP (DLT 14)"),
    RAW(101, "RAW", "raw IP"),
    LOOP(108, "LOOP", "OpenBSD loopback, network-order family"),
    LINUX_SLL(113, "LINUX_SLL", "Linux cooked v1"),
    IPV4(228, "IPV4", "raw IPv4"),
    IPV6(229, "IPV6", "raw IPv6"),
    LINUX_SLL2(276, "LINUX_SLL2", "Linux cooked v2");

    private final int code;
    private final String tcpdumpName;
    private final String description;

    LinkType(int code, String tcpdumpName, String description) {
        this.code = code;
        this.tcpdumpName = tcpdumpName;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** Name and number as tools print them, e.g. {@code "EN10MB (1)"} or {@code "LINKTYPE_105"}. */
    public static String describe(int code) {
        for (LinkType type : values()) {
            if (type.code == code) {
                return type.tcpdumpName + " (" + code + ")";
            }
        }
        return "LINKTYPE_" + code + " (unsupported)";
    }
}
