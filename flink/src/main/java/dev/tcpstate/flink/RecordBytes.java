package dev.tcpstate.flink;

import dev.tcpstate.flow.ConnectionRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A record to bytes and back ({@code ConnectionRecord.writeTo}/{@code readFrom}). */
final class RecordBytes {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final DataOutputStream out = new DataOutputStream(buffer);

    byte[] write(ConnectionRecord record) {
        buffer.reset();
        try {
            record.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return buffer.toByteArray();
    }

    static ConnectionRecord read(byte[] bytes) {
        try {
            return ConnectionRecord.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
