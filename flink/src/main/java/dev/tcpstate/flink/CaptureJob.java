package dev.tcpstate.flink;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

/**
 * The job's graph (docs/scale-out.md): captures -> decoded TCP segments keyed by four-tuple ->
 * connection trackers -> records as NDJSON in {@code OUTPUT/connections/}, and records keyed by
 * service and host -> detectors -> one report of findings as NDJSON in {@code OUTPUT/findings/}.
 * The files' ends go to both keyed stages as a broadcast: the capture's last packet time.
 */
public final class CaptureJob {
    /** Where the connection records go, under the output directory. */
    public static final String CONNECTIONS = "connections";
    /** Where the findings go, under the output directory. */
    public static final String FINDINGS = "findings";

    private CaptureJob() {
    }

    public static void build(StreamExecutionEnvironment env, JobSettings settings, CapturePlan plan, Path output) {
        // no copies between chained operators: none of them changes or keeps what it is handed
        // (the keyed stages keep what they receive over the network, which is theirs)
        env.getConfig().enableObjectReuse();
        FileSource<CaptureEvent> source = FileSource
                .forBulkFileFormat(new CaptureFileFormat(settings.checksums(), plan.fileIndex(), plan.names()),
                        plan.paths().toArray(new Path[0]))
                .setSplitAssigner(SplitsByFirstPacket.provider(plan.firstNanos()))
                // every file named, whatever its name (the default leaves out "_x" and ".x" files)
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(path -> true))
                .build();
        DataStream<CaptureEvent> events = env.fromSource(source, PacketTimestamps.strategy(settings.outOfOrderNanos()),
                "captures");
        DataStream<CaptureEvent> fileEnds = events.filter(event -> !event.isPacket()).name("file ends");

        DataStream<RecordEvent> records = events.filter(CaptureEvent::isPacket).name("tcp segments")
                .keyBy(TupleKey::of, TypeInformation.of(TupleKey.class))
                .connect(fileEnds.broadcast(ConnectionStage.CAPTURE_END))
                .process(new ConnectionStage(settings), TypeInformation.of(RecordEvent.class))
                .name("connection trackers").uid("connection-trackers");

        records.map(new RecordLines(settings.uidKey()), Types.STRING).name("records as ndjson")
                .sinkTo(ndjsonSink(new Path(output, CONNECTIONS), CONNECTIONS)).name("connections sink");

        records.flatMap(new DetectorKeys(), TypeInformation.of(RecordEvent.class)).name("by service and host")
                .keyBy(record -> record.key, Types.INT)
                .connect(fileEnds.broadcast(DetectorStage.CAPTURE))
                .process(new DetectorStage(settings), TypeInformation.of(ReportPart.class))
                .name("detectors").uid("detectors")
                .keyBy(part -> (byte) 0, Types.BYTE)
                .process(new FindingsReport(settings), Types.STRING).setParallelism(1).name("findings report")
                .sinkTo(ndjsonSink(new Path(output, FINDINGS), FINDINGS)).setParallelism(1).name("findings sink");
    }

    private static FileSink<String> ndjsonSink(Path directory, String prefix) {
        return FileSink.forRowFormat(directory, new SimpleStringEncoder<String>("UTF-8"))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(prefix).withPartSuffix(".ndjson").build())
                .build();
    }
}
