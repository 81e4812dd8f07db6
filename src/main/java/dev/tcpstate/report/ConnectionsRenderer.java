package dev.tcpstate.report;

import dev.tcpstate.flow.ConnectionRecord;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code tcpstate connections} in every format: ndjson (one object a line), json (one array),
 * csv (header row, RFC 4180 quoting), zeek (Zeek's conn.log, header and all, which zeek-cut and
 * Zeek log readers read) and text (a table for people, see {@link ConnectionsTable}). Each writes a
 * record as it comes, so a stream of records is never held.
 */
public final class ConnectionsRenderer {
    private ConnectionsRenderer() {
    }

    /** Writes records one at a time as they come, then what closes the output. */
    public interface Writer {
        void write(ConnectionRecord record);

        /** After the last record: closes what the format opened, and flushes. */
        void finish();
    }

    /** Zeek's {@code #open}/{@code #close} stamp: local wall-clock time, as its ASCII writer's Timestamp(). */
    private static final DateTimeFormatter ZEEK_STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    /** One object a line. */
    public static Writer ndjson(PrintWriter out) {
        return ndjson(ConnectionFields.DEFAULT, out);
    }

    public static Writer ndjson(ConnectionFields fields, PrintWriter out) {
        return new Writer() {
            private final StringBuilder line = new StringBuilder(512);

            public void write(ConnectionRecord record) {
                line.setLength(0);
                fields.line(record, line);
                out.append(line).println();
            }

            public void finish() {
                out.flush();
            }
        };
    }

    /** One JSON array; each element is written as it comes. */
    public static Writer json(PrintWriter out) {
        return json(ConnectionFields.DEFAULT, out);
    }

    public static Writer json(ConnectionFields fields, PrintWriter out) {
        JsonWriter json = new JsonWriter(out).beginArray();
        return new Writer() {
            public void write(ConnectionRecord record) {
                fields.object(record, json);
            }

            public void finish() {
                json.endArray();
                out.println();
                out.flush();
            }
        };
    }

    /** A header row, then a row per record (RFC 4180 quoting). */
    public static Writer csv(PrintWriter out) {
        return csv(ConnectionFields.DEFAULT, out);
    }

    public static Writer csv(ConnectionFields fields, PrintWriter out) {
        out.println(String.join(",", fields.all().stream().map(ConnectionFields.Field::key).toList()));
        return new Writer() {
            public void write(ConnectionRecord record) {
                StringBuilder line = new StringBuilder(256);
                for (ConnectionFields.Field field : fields.all()) {
                    if (line.length() > 0) {
                        line.append(',');
                    }
                    line.append(csvQuote(ConnectionFields.text(field.value().apply(record), "", "true", "false")));
                }
                out.println(line);
            }

            public void finish() {
                out.flush();
            }
        };
    }

    /** Zeek's conn.log, stamped with the time now. */
    public static Writer zeek(PrintWriter out) {
        return zeek(ConnectionFields.DEFAULT, () -> ZonedDateTime.now(ZoneId.systemDefault()), out);
    }

    /**
     * Zeek's ASCII log, as its writer writes conn.log: the header lines ({@code #open} and
     * {@code #close} stamped by {@code clock}), tab-separated rows, {@code -} for an unset field,
     * {@code (empty)} for an empty one, times and intervals with six decimals, booleans T and F.
     */
    public static Writer zeek(ConnectionFields fields, Supplier<ZonedDateTime> clock, PrintWriter out) {
        // Zeek writes "#separator" with a space and escapes the tab; every other header line uses the separator
        out.print("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n");
        out.print("#open\t" + ZEEK_STAMP.format(clock.get()) + "\n");
        out.print("#fields\t" + String.join("\t", fields.all().stream().map(ConnectionFields.Field::key).toList())
                + "\n");
        out.print("#types\t" + String.join("\t", fields.all().stream().map(ConnectionFields.Field::zeekType)
                .toList()) + "\n");
        return new Writer() {
            public void write(ConnectionRecord record) {
                StringBuilder line = new StringBuilder(256);
                for (ConnectionFields.Field field : fields.all()) {
                    if (line.length() > 0) {
                        line.append('\t');
                    }
                    String text = ConnectionFields.text(field.zeekValue().apply(record), "-", "T", "F");
                    line.append(text.isEmpty() ? "(empty)" : text);
                }
                out.print(line.append('\n'));
            }

            public void finish() {
                out.print("#close\t" + ZEEK_STAMP.format(clock.get()) + "\n");
                out.flush();
            }
        };
    }

    /** All of {@code records} through {@code writer}. */
    public static void write(List<ConnectionRecord> records, Writer writer) {
        records.forEach(writer::write);
        writer.finish();
    }

    public static void ndjson(List<ConnectionRecord> records, PrintWriter out) {
        write(records, ndjson(out));
    }

    public static void json(List<ConnectionRecord> records, PrintWriter out) {
        write(records, json(out));
    }

    public static void csv(List<ConnectionRecord> records, PrintWriter out) {
        write(records, csv(out));
    }

    public static void zeek(List<ConnectionRecord> records, PrintWriter out) {
        write(records, zeek(out));
    }

    private static String csvQuote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
