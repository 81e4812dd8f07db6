package dev.tcpstate.flink;

/**
 * What a detector key hands the report at the end (a Flink POJO): one finding, or a service's
 * totals for the capture-loss check (the bytes its records carried and missed) with what every
 * key knows of the whole capture (its last packet time, the payload the snapshot length cut).
 */
public class ReportPart {
    public static final byte FINDING = 0;
    public static final byte TOTALS = 1;

    public byte kind;
    /** The finding as FindingCodec wrote it. */
    public byte[] finding;
    public long missedBytes;
    public long payloadBytes;
    public long truncatedPayloadBytes;
    public long captureEndNanos;

    public ReportPart() {
    }
}
