package dev.tcpstate.report;

import dev.tcpstate.flow.ConnectionRecord;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code tcpstate connections} in every format: ndjson (one object a line), json (one array),
 * csv (header row, RFC 4180 quoting), zeek (conn.log TSV with {@code #fields}, which zeek-cut
 * reads) and text (a table for people, see {@link ConnectionsTable}).
 */
public final class ConnectionsRenderer {
    private ConnectionsRenderer() {
    }

    public static void ndjson(List<ConnectionRecord> records, PrintWriter out) {
        for (ConnectionRecord record : records) {
            StringBuilder line = new StringBuilder(512);
            ConnectionFields.json(record, new JsonWriter(line));
            out.println(line);
        }
        out.flush();
    }

    public static void json(List<ConnectionRecord> records, PrintWriter out) {
        JsonWriter json = new JsonWriter(out).beginArray();
        for (ConnectionRecord record : records) {
            ConnectionFields.json(record, json);
        }
        json.endArray();
        out.println();
        out.flush();
    }

    public static void csv(List<ConnectionRecord> records, PrintWriter out) {
        out.println(String.join(",", ConnectionFields.ALL.stream().map(ConnectionFields.Field::key).toList()));
        for (ConnectionRecord record : records) {
            StringBuilder line = new StringBuilder(256);
            for (ConnectionFields.Field field : ConnectionFields.ALL) {
                if (line.length() > 0) {
                    line.append(',');
                }
                line.append(csvQuote(ConnectionFields.text(field.value().apply(record), "", "true", "false")));
            }
            out.println(line);
        }
        out.flush();
    }

    /** Zeek's ASCII log format: tab-separated, {@code -} for unset, {@code (empty)} for empty. */
    public static void zeek(List<ConnectionRecord> records, PrintWriter out) {
        out.print("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n");
        out.print("#fields\t" + String.join("\t", ConnectionFields.ALL.stream().map(ConnectionFields.Field::key)
                .toList()) + "\n");
        out.print("#types\t" + String.join("\t", ConnectionFields.ALL.stream().map(ConnectionFields.Field::zeekType)
                .toList()) + "\n");
        for (ConnectionRecord record : records) {
            StringBuilder line = new StringBuilder(256);
            for (ConnectionFields.Field field : ConnectionFields.ALL) {
                if (line.length() > 0) {
                    line.append('\t');
                }
                String text = ConnectionFields.text(field.value().apply(record), "-", "T", "F");
                line.append(text.isEmpty() ? "(empty)" : text);
            }
            out.print(line.append('\n'));
        }
        out.flush();
    }

    private static String csvQuote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
