package dev.tcpstate.cli;

import static dev.tcpstate.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpstate.testing.Cli.Result;
import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code connections --format zeek} is Zeek's conn.log: its header lines, its fields in its order
 * with its types, and tcpstate's fields after them, so a reader that works as zeek-cut does reads
 * it, and Zeek's columns sit where a Zeek log has them.
 */
class ZeekLogFormatTest {
    /** Zeek's conn.log header, as its ASCII writer writes it (core.tcp.miss-end-data/conn.log in Zeek's tests). */
    private static final List<String> ZEEK_HEADER = List.of("#separator \\x09", "#set_separator\t,",
            "#empty_field\t(empty)", "#unset_field\t-", "#path\tconn");
    private static final String ZEEK_FIELDS = "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\t"
            + "duration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\t"
            + "orig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto";
    private static final String ZEEK_TYPES = "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\t"
            + "count\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount";
    private static final Path BASELINES = Path.of("../shared/corpus/zeek/baselines");

    private static String zeekLog(String... samples) {
        List<String> args = new ArrayList<>(List.of("connections", "--format", "zeek", "--uid-seed", "7"));
        Arrays.stream(samples).map(s -> Environment.samples().resolve(s).toString()).forEach(args::add);
        Result result = run(args.toArray(String[]::new));
        assertThat(result.code()).as(result.err()).isZero();
        return result.out();
    }

    @Test
    void theHeaderIsZeeksLineForLine() {
        List<String> lines = zeekLog("client-close.pcap").lines().toList();
        assertThat(lines.subList(0, 5)).containsExactlyElementsOf(ZEEK_HEADER);
        assertThat(lines.get(5)).matches("#open\t\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d");
        assertThat(lines.get(6)).startsWith("#fields\t" + ZEEK_FIELDS + "\t");
        assertThat(lines.get(7)).startsWith("#types\t" + ZEEK_TYPES + "\t");
        assertThat(lines.get(lines.size() - 1)).matches("#close\t\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d");
        // Zeek's community-id-logging policy appends community_id first; tcpstate's own fields follow
        assertThat(lines.get(6)).startsWith("#fields\t" + ZEEK_FIELDS + "\tcommunity_id\toutcome\torig_state\t");
    }

    /** A row at fixed columns, as Zeek writes it: six decimals, '-' for unset, T/F. */
    @Test
    void aRowHasZeeksValuesInZeeksColumns() {
        String row = zeekLog("client-close.pcap").lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        String[] c = row.split("\t", -1);
        assertThat(c[0]).isEqualTo("1795433850.002682"); // ts
        assertThat(c[1]).matches("C[0-9a-zA-Z]{17}"); // uid
        assertThat(Arrays.copyOfRange(c, 2, 8)).containsExactly("10.200.0.1", "40000", "10.200.0.2", "8080", "tcp",
                "-"); // id, proto, service
        assertThat(c[8]).isEqualTo("0.202071"); // duration
        assertThat(c[11]).isEqualTo("SF"); // conn_state: column 12
        assertThat(c[12]).isEqualTo("-"); // local_orig
        assertThat(c[13]).isEqualTo("-"); // local_resp
        assertThat(c[15]).isEqualTo("ShADadFf"); // history
        assertThat(c[20]).isEqualTo("-"); // tunnel_parents
        assertThat(c[21]).isEqualTo("6"); // ip_proto
        assertThat(c[22]).isEqualTo("1:Eg5WjIzNoVcFULSmgGcthZKFhTs="); // community_id
        assertThat(c[23]).isEqualTo("complete"); // outcome
    }

    /**
     * Reads the log as zeek-cut does: the separator from {@code #separator} (a \x escape), the
     * column names from {@code #fields}, every other {@code #} line skipped; picks columns by name.
     */
    static List<Map<String, String>> zeekCut(String log) {
        String separator = "\t";
        List<String> names = List.of();
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.startsWith("#separator ")) {
                String escaped = line.substring("#separator ".length());
                assertThat(escaped).matches("\\\\x[0-9a-fA-F]{2}");
                separator = String.valueOf((char) Integer.parseInt(escaped.substring(2), 16));
            } else if (line.startsWith("#fields" + separator)) {
                names = List.of(line.split(java.util.regex.Pattern.quote(separator), -1)).subList(1,
                        line.split(java.util.regex.Pattern.quote(separator), -1).length);
            } else if (!line.startsWith("#")) {
                String[] values = line.split(java.util.regex.Pattern.quote(separator), -1);
                assertThat(values).hasSameSizeAs(names.toArray());
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < values.length; i++) {
                    row.put(names.get(i), values[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void aZeekCutReaderReadsTheSameRecordsAsNdjson() throws IOException {
        String[] samples = {"time-wait-reuse.pcap", "ipv6-client-close.pcap", "refused.pcap", "firewalled-syn.pcap"};
        List<Map<String, String>> rows = zeekCut(zeekLog(samples));
        List<String> args = new ArrayList<>(List.of("connections", "--format", "ndjson", "--uid-seed", "7"));
        Arrays.stream(samples).map(s -> Environment.samples().resolve(s).toString()).forEach(args::add);
        List<JsonNode> records = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : run(args.toArray(String[]::new)).out().lines().toList()) {
            records.add(json.readTree(line));
        }
        assertThat(rows).hasSameSizeAs(records).hasSizeGreaterThan(3);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode record = records.get(i);
            for (String name : List.of("uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "conn_state",
                    "history", "orig_pkts", "resp_ip_bytes", "community_id", "outcome", "continues")) {
                String expected = record.has(name) ? record.get(name).asText() : "-";
                assertThat(rows.get(i).get(name)).as("%s of row %d", name, i).isEqualTo(expected);
            }
        }
    }

    /** Against Zeek's own conn.log baselines, when Zeek's corpus sits beside this checkout. */
    @Test
    void theHeaderAndZeeksColumnsMatchEveryZeekBaseline() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(BASELINES), "the Zeek corpus is not beside this checkout");
        List<String> ours = zeekLog("client-close.pcap").lines().toList();
        List<Path> logs;
        try (Stream<Path> files = Files.walk(BASELINES)) {
            logs = files.filter(f -> f.getFileName().toString().equals("conn.log")).sorted().toList();
        }
        List<String> ourNames = List.of(ours.get(6).split("\t"));
        List<String> ourTypes = List.of(ours.get(7).split("\t"));
        int full = 0;
        for (Path log : logs) {
            // btest-diff's first line is its own; some tests keep only some columns (zeek-cut -m), without a header
            List<String> zeek = Files.readAllLines(log).stream().dropWhile(l -> l.startsWith("### ")).toList();
            if (zeek.isEmpty() || !zeek.get(0).startsWith("#separator")) {
                continue;
            }
            assertThat(ours.subList(0, 5)).as("%s", log).isEqualTo(zeek.subList(0, 5));
            assertThat(zeek.get(5)).as("%s", log).startsWith("#open");
            assertThat(zeek.get(zeek.size() - 1)).as("%s", log).startsWith("#close");
            List<String> names = List.of(zeek.get(6).split("\t"));
            List<String> types = List.of(zeek.get(7).split("\t"));
            for (int i = 1; i < names.size(); i++) {
                int at = ourNames.indexOf(names.get(i));
                assertThat(at).as("%s: %s", log, names.get(i)).isPositive();
                assertThat(ourTypes.get(at)).as("%s: type of %s", log, names.get(i)).isEqualTo(types.get(i));
            }
            if (names.contains("local_orig")) { // the whole log: every column where Zeek has it
                assertThat(ourNames.subList(0, names.size())).as("%s", log).isEqualTo(names);
                assertThat(ourTypes.subList(0, types.size())).as("%s", log).isEqualTo(types);
                full++;
            }
        }
        assertThat(full).as("whole conn.logs among the baselines").isGreaterThanOrEqualTo(10);
    }
}
