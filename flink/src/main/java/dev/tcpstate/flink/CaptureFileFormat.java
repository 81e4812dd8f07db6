package dev.tcpstate.flink;

import dev.tcpstate.capture.CaptureFiles;
import dev.tcpstate.capture.CaptureFormatException;
import dev.tcpstate.capture.Frame;
import dev.tcpstate.capture.PacketSource;
import dev.tcpstate.decode.ChecksumMode;
import dev.tcpstate.decode.DecodeResult;
import dev.tcpstate.decode.FrameDecoder;
import dev.tcpstate.decode.TcpSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a pcap or pcapng file (either gzip-compressed, told by its magic as the CLI tells it)
 * from any Flink file system with tcpstate's own readers, whole: one split per file, never
 * split inside (a capture can only be read from its header on). Frames are decoded where they
 * are read (IP fragments are put together in file order), and each TCP segment leaves with its
 * canonical four-tuple; the file's end follows its last packet.
 */
public final class CaptureFileFormat implements BulkFormat<CaptureEvent, FileSourceSplit> {
    private static final int BATCH = 512;
    /** The frame number's bits: the file's index sits above them (uids hold 48 bits: 65,536 files). */
    static final int FRAME_BITS = 32;
    /** Captures one run can number its records across. */
    static final int MAX_FILES = 1 << 16;

    private final ChecksumMode checksums;
    /** Each capture's index in the order given (CapturePlan.pathKey), for frame numbers unique across files. */
    private final Map<String, Integer> fileIndex;
    /** Each capture as it was named on the command line, by index: for messages. */
    private final List<String> names;

    public CaptureFileFormat(ChecksumMode checksums, Map<String, Integer> fileIndex, List<String> names) {
        this.checksums = checksums;
        this.fileIndex = Map.copyOf(fileIndex);
        this.names = List.copyOf(names);
    }

    @Override
    public Reader<CaptureEvent> createReader(Configuration config, FileSourceSplit split) throws IOException {
        Integer index = fileIndex.get(CapturePlan.pathKey(split.path()));
        if (index == null) {
            throw new IOException(split.path() + ": not one of the captures the job was planned for");
        }
        return new CaptureReader(split, names.get(index), index, checksums);
    }

    @Override
    public Reader<CaptureEvent> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        // a capture is read from its header on: read it again and skip what was emitted before
        Reader<CaptureEvent> reader = createReader(config, split);
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        ((CaptureReader) reader).skip(skip);
        return reader;
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<CaptureEvent> getProducedType() {
        return TypeInformation.of(CaptureEvent.class);
    }

    /** One file's frames, in batches of decoded TCP segments. */
    private static final class CaptureReader implements Reader<CaptureEvent> {
        private final String name;
        private final long fileBits;
        private final FSDataInputStream stream;
        private final FrameDecoder decoder;
        private final Frame frame = new Frame();
        private final TcpSegment segment = new TcpSegment();
        private final ByteBuffer encoded = ByteBuffer.allocate(TcpSegment.ENCODED_BYTES);
        private PacketSource source;
        private String failure;
        private String warnings;
        private long last = Long.MIN_VALUE;
        private long frames;
        private long truncated;
        private long emitted;
        private boolean ended;

        CaptureReader(FileSourceSplit split, String name, int index, ChecksumMode checksums) throws IOException {
            this.name = name;
            this.fileBits = (long) index << FRAME_BITS;
            this.decoder = new FrameDecoder(checksums);
            this.stream = split.path().getFileSystem().open(split.path());
            try {
                source = CaptureFiles.openStream(name, stream);
            } catch (CaptureFormatException e) {
                failure = e.getMessage();
            } catch (IOException | RuntimeException e) {
                stream.close();
                throw e;
            }
        }

        void skip(long events) throws IOException {
            for (long skipped = 0; skipped < events; skipped++) {
                if (next() == null) {
                    return;
                }
            }
        }

        @Override
        public RecordIterator<CaptureEvent> readBatch() throws IOException {
            if (ended) {
                return null;
            }
            CaptureEvent[] batch = new CaptureEvent[BATCH];
            int size = 0;
            long first = emitted;
            while (size < BATCH) {
                CaptureEvent event = next();
                if (event == null) {
                    break;
                }
                batch[size++] = event;
            }
            if (size == 0) {
                return null;
            }
            ArrayResultIterator<CaptureEvent> iterator = new ArrayResultIterator<>();
            iterator.set(batch, size, CheckpointedPosition.NO_OFFSET, first);
            return iterator;
        }

        /** The next TCP segment, then the file's end, then null. */
        private CaptureEvent next() throws IOException {
            while (source != null) {
                boolean more;
                try {
                    more = source.next(frame);
                } catch (CaptureFormatException e) {
                    failure = e.getMessage(); // what came before it counts, as in the CLI
                    more = false;
                }
                if (!more) {
                    if (!source.warnings().isEmpty()) {
                        warnings = String.join("\n", source.warnings().stream().map(Object::toString).toList());
                    }
                    source.close();
                    source = null;
                    break;
                }
                frames++;
                last = Math.max(last, frame.timestampNanos());
                DecodeResult result = decoder.decode(frame, segment);
                if (result == DecodeResult.TCP && segment.payloadCaptured() < segment.payloadLength()) {
                    truncated += segment.payloadLength();
                }
                if (result == DecodeResult.TCP || result == DecodeResult.BAD_TCP_CHECKSUM) {
                    emitted++;
                    return packet(result == DecodeResult.BAD_TCP_CHECKSUM);
                }
            }
            if (ended) {
                return null;
            }
            ended = true;
            emitted++;
            CaptureEvent end = new CaptureEvent();
            end.kind = CaptureEvent.FILE_END;
            end.timestampNanos = last;
            end.frames = frames;
            end.truncatedPayloadBytes = truncated;
            end.failure = failure;
            end.warnings = warnings;
            return end;
        }

        private CaptureEvent packet(boolean badChecksum) {
            segment.renumber(fileBits | segment.frameNumber());
            CaptureEvent event = new CaptureEvent();
            event.kind = CaptureEvent.PACKET;
            event.timestampNanos = segment.timestampNanos();
            event.order = segment.frameNumber();
            event.badChecksum = badChecksum;
            boolean sourceLower = lower(segment.sourceHigh(), segment.sourceLow(), segment.sourcePort(),
                    segment.destinationHigh(), segment.destinationLow(), segment.destinationPort());
            if (sourceLower) {
                event.lowerHigh = segment.sourceHigh();
                event.lowerLow = segment.sourceLow();
                event.upperHigh = segment.destinationHigh();
                event.upperLow = segment.destinationLow();
                event.ports = segment.sourcePort() << 16 | segment.destinationPort();
            } else {
                event.lowerHigh = segment.destinationHigh();
                event.lowerLow = segment.destinationLow();
                event.upperHigh = segment.sourceHigh();
                event.upperLow = segment.sourceLow();
                event.ports = segment.destinationPort() << 16 | segment.sourcePort();
            }
            encoded.clear();
            segment.writeTo(encoded);
            event.segment = encoded.array().clone();
            return event;
        }

        private static boolean lower(long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
            int order = Long.compareUnsigned(aHigh, bHigh);
            if (order == 0) {
                order = Long.compareUnsigned(aLow, bLow);
            }
            return order < 0 || order == 0 && aPort <= bPort;
        }

        @Override
        public void close() throws IOException {
            if (source != null) {
                source.close();
            }
            stream.close();
        }
    }
}
