package dev.tcpstate.flink;

import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import dev.tcpstate.detect.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finding to bytes and back, every field (counts keep their order and whether each is whole or a ratio). */
final class FindingCodec {
    private static final Severity[] SEVERITIES = Severity.values();

    private FindingCodec() {
    }

    static byte[] write(Finding finding) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeUTF(finding.type().id());
            out.writeByte(finding.severity().ordinal());
            out.writeUTF(finding.subject());
            out.writeLong(finding.startNanos());
            out.writeLong(finding.endNanos());
            out.writeInt(finding.counts().size());
            for (Map.Entry<String, Number> count : finding.counts().entrySet()) {
                out.writeUTF(count.getKey());
                if (count.getValue() instanceof Double value) {
                    out.writeBoolean(true);
                    out.writeDouble(value);
                } else {
                    out.writeBoolean(false);
                    out.writeLong(count.getValue().longValue());
                }
            }
            out.writeInt(finding.connections().size());
            for (String uid : finding.connections()) {
                out.writeUTF(uid);
            }
            out.writeInt(finding.evidence().size());
            for (Finding.Evidence evidence : finding.evidence()) {
                out.writeUTF(evidence.uid());
                out.writeUTF(evidence.connection());
                out.writeLong(evidence.tsNanos());
                out.writeUTF(evidence.outcome());
            }
            out.writeUTF(finding.message());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return buffer.toByteArray();
    }

    static Finding read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String id = in.readUTF();
            FindingType type = FindingType.find(id).orElseThrow(() -> new IllegalArgumentException("finding id " + id));
            Severity severity = SEVERITIES[in.readByte()];
            String subject = in.readUTF();
            long start = in.readLong();
            long end = in.readLong();
            Map<String, Number> counts = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                String name = in.readUTF();
                counts.put(name, in.readBoolean() ? (Number) in.readDouble() : (Number) in.readLong());
            }
            List<String> connections = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                connections.add(in.readUTF());
            }
            List<Finding.Evidence> evidence = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                evidence.add(new Finding.Evidence(in.readUTF(), in.readUTF(), in.readLong(), in.readUTF()));
            }
            return new Finding(type, severity, subject, start, end, counts, connections, evidence, in.readUTF());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
