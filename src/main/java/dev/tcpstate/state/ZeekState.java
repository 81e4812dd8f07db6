package dev.tcpstate.state;

/** Zeek's TCP endpoint states ({@code TCP_Endpoint.h EndpointState}), in Zeek's order. */
public enum ZeekState {
    INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED, CLOSED, RESET;

    /** INACTIVE or PARTIAL: what Zeek's {@code conn_state} treats as "inactive". */
    boolean inactiveForConnState() {
        return this == INACTIVE || this == PARTIAL;
    }
}
