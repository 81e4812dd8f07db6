package dev.tcpstate.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** watch --output: the event file turns at its size, at event boundaries, keeping a few old ones. */
class RotatingFileTest {
    @TempDir
    Path dir;

    @Test
    void turnsAtItsSizeKeepsTheNewestOldFilesAndNeverSplitsALine() throws Exception {
        Path events = dir.resolve("events.ndjson");
        try (PrintWriter out = new PrintWriter(new RotatingFile(events, 100, 2))) {
            for (int i = 0; i < 20; i++) {
                out.println("{\"event\":\"stats\",\"n\":" + i + ",\"pad\":\"xxxxxxxxxxxxxxxxxxxx\"}"); // 50 bytes
                out.flush(); // as EventWriter does after each event
            }
        }
        assertThat(dir.resolve("events.ndjson.1")).exists();
        assertThat(dir.resolve("events.ndjson.2")).exists();
        assertThat(dir.resolve("events.ndjson.3")).as("only two old files kept").doesNotExist();
        List<String> lines = new ArrayList<>();
        for (String name : List.of("events.ndjson.2", "events.ndjson.1", "events.ndjson")) {
            List<String> file = Files.readAllLines(dir.resolve(name));
            assertThat(file).allSatisfy(line -> assertThat(line).startsWith("{\"event\"").endsWith("}"));
            assertThat(Files.size(dir.resolve(name))).isLessThanOrEqualTo(100 + 50);
            lines.addAll(file);
        }
        // the newest events, in order, none lost between the kept files
        assertThat(lines).last().asString().contains("\"n\":19");
        for (int i = 1; i < lines.size(); i++) {
            int previous = Integer.parseInt(lines.get(i - 1).replaceAll(".*\"n\":(\\d+).*", "$1"));
            assertThat(lines.get(i)).contains("\"n\":" + (previous + 1) + ",");
        }
    }

    @Test
    void appendsToAFileThatIsAlreadyThere() throws Exception {
        Path events = dir.resolve("e.ndjson");
        Files.writeString(events, "old\n");
        try (PrintWriter out = new PrintWriter(new RotatingFile(events, 1 << 20, 1))) {
            out.println("new");
            out.flush();
        }
        assertThat(Files.readAllLines(events)).containsExactly("old", "new");
    }
}
