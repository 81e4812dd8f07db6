package dev.tcpstate.testing;

import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Reads whole sources into comparable values, for tests. */
public final class Frames {
    private Frames() {
    }

    /** One frame, copied out of the reader's buffer. */
    public record Copy(long number, long timestampNanos, int linkType, int interfaceId, int originalLength,
            byte[] data) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Copy that && number == that.number && timestampNanos == that.timestampNanos
                    && linkType == that.linkType && interfaceId == that.interfaceId
                    && originalLength == that.originalLength && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(number) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "#" + number + " t=" + timestampNanos + " link=" + linkType + " if=" + interfaceId + " orig="
                    + originalLength + " cap=" + data.length + " "
                    + HexFormat.of().formatHex(data, 0, Math.min(data.length, 24));
        }
    }

    public static Copy copy(Frame frame) {
        return new Copy(frame.number(), frame.timestampNanos(), frame.linkType(), frame.interfaceId(),
                frame.originalLength(), frame.copyBytes());
    }

    public static List<Copy> readAll(PacketSource source) throws IOException {
        List<Copy> frames = new ArrayList<>();
        Frame frame = new Frame();
        while (source.next(frame)) {
            frames.add(copy(frame));
        }
        return frames;
    }

    /** Bytes 0..n-1 with a recognisable pattern starting at {@code seed}. */
    public static byte[] pattern(int length, int seed) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (seed + i * 7);
        }
        return data;
    }
}
