package dev.tcpstate.decode;

/**
 * Whether bad IPv4/TCP checksums make a frame unusable. {@code IGNORE} is the default: captures
 * taken on the sending host carry unfinished checksums when the NIC offloads them.
 */
public enum ChecksumMode {
    VALIDATE, IGNORE
}
