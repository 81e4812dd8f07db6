package dev.tcpstate.decode;

/** What is known about a segment's TCP checksum. */
public enum ChecksumStatus {
    /** Not checked ({@link ChecksumMode#IGNORE}). */
    UNCHECKED,
    /** Checked and right. */
    GOOD,
    /** Could not be checked: the segment was not captured whole, or it is an IP fragment. */
    UNVERIFIABLE
}
