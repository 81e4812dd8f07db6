package dev.tcpstate.flink;

/**
 * A final connection record between stages (a Flink POJO): the record as
 * {@code ConnectionRecord.writeTo} wrote it, when it became final, and the detector keys it goes
 * to. {@code key} is set on the copies sent to the detector stage.
 */
public class RecordEvent {
    public byte[] record;
    /** Packet time the record became final at. */
    public long finalNanos;
    /** The record's number: records final at one moment are taken in its order. */
    public long id;
    /** The responder's address and port, as the detectors name a service. */
    public String service;
    public String originatorHost;
    public String responderHost;
    /** The detector bucket (DetectorKeys) of a copy sent to the detectors. */
    public int key;

    public RecordEvent() {
    }

    RecordEvent keyed(int detectorKey) {
        RecordEvent copy = new RecordEvent();
        copy.record = record;
        copy.finalNanos = finalNanos;
        copy.id = id;
        copy.key = detectorKey;
        return copy;
    }
}
