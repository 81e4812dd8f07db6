package dev.tcpstate.report;

import dev.tcpstate.flow.ConnectionRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code tcpstate connections} for people: one line per connection, the uid first (to copy into
 * {@code ladder --conn}), then the endpoints, then columns by priority until the terminal width is
 * used up (80 columns shows Zeek's verdict, tcpstate's outcome and both endpoints' states in ss's
 * short names; 200 columns shows everything), and a summary line. The uid and the endpoints are
 * never cut: a row too wide for them runs past the width instead.
 */
public final class ConnectionsTable {
    private static final String GAP = "  ";
    /** The uid and the endpoints: shown whole at any width. */
    private static final int MANDATORY = 2;

    private record Column(String title, BiFunction<ConnectionRecord, TimeFormat, String> value, boolean right) {
        Column(String title, Function<ConnectionRecord, String> value, boolean right) {
            this(title, (record, times) -> value.apply(record), right);
        }
    }

    /** Columns by priority: the first is always shown, the others while they fit. */
    private static final List<Column> COLUMNS = List.of(
            new Column("UID", ConnectionRecord::uid, false),
            new Column("CONNECTION", r -> ConnectionRecord.endpoint(r.originatorAddress(), r.originatorPort()) + " > "
                    + r.service(), false),
            new Column("ZEEK", ConnectionRecord::connState, false),
            new Column("OUTCOME", r -> r.outcome().label(), false),
            new Column("END STATES", r -> brief(r.originatorState().label()) + "/" + brief(r.responderState().label()), false),
            new Column("START", (r, times) -> times.clock(r.tsNanos()), false),
            new Column("SYN RETRIES", r -> Integer.toString(r.synRetries()), true),
            new Column("DURATION", r -> r.durationNanos().isPresent()
                    ? String.format(Locale.ROOT, "%.3f", r.durationNanos().getAsLong() / 1e9) : "-", true),
            new Column("RTT MS", r -> r.handshakeRttNanos().isPresent()
                    ? String.format(Locale.ROOT, "%.3f", r.handshakeRttNanos().getAsLong() / 1e6) : "-", true),
            new Column("PKTS", r -> r.originatorPackets() + "/" + r.responderPackets(), true),
            new Column("BYTES", r -> r.originatorBytes().isPresent()
                    ? r.originatorBytes().getAsLong() + "/" + r.responderBytes().getAsLong() : "-", true),
            new Column("HISTORY", r -> r.history().isEmpty() ? "-" : r.history(), false));

    private ConnectionsTable() {
    }

    /** Rows read before the columns are sized; rows after them are cut to those widths. */
    static final int SIZING_ROWS = 1_000;

    public static void render(List<ConnectionRecord> records, int width, TimeFormat times, PrintWriter out) {
        ConnectionsRenderer.write(records, writer(width, times, out));
    }

    /**
     * A table written as records come: the first {@link #SIZING_ROWS} rows size the columns, then
     * every row goes out at once (longer values later are cut with {@code …}), and a summary line
     * ends it. So a table of millions of connections holds a thousand rows, not millions.
     */
    public static ConnectionsRenderer.Writer writer(int width, TimeFormat times, PrintWriter out) {
        return new ConnectionsRenderer.Writer() {
            private final List<String[]> sizing = new ArrayList<>();
            private final Map<String, Long> outcomes = new TreeMap<>();
            private long rows;
            private long continuing;
            private int[] widths;
            private int shown;

            @Override
            public void write(ConnectionRecord record) {
                rows++;
                outcomes.merge(record.outcome().label(), 1L, Long::sum);
                continuing += record.continuesUid().isPresent() ? 1 : 0;
                String[] row = row(record, times);
                if (widths != null) {
                    out.println(line(row, widths, shown));
                    return;
                }
                sizing.add(row);
                if (sizing.size() == SIZING_ROWS) {
                    size();
                }
            }

            private void size() {
                widths = new int[COLUMNS.size()];
                for (int c = 0; c < COLUMNS.size(); c++) {
                    widths[c] = COLUMNS.get(c).title().length();
                }
                for (String[] row : sizing) {
                    for (int c = 0; c < COLUMNS.size(); c++) {
                        widths[c] = Math.max(widths[c], row[c].length());
                    }
                }
                // The MANDATORY columns always show, whole; the others are taken in priority
                // order while they fit.
                shown = MANDATORY;
                int used = widths[0];
                for (int c = 1; c < MANDATORY; c++) {
                    used += GAP.length() + widths[c];
                }
                while (shown < COLUMNS.size() && used + GAP.length() + widths[shown] <= width) {
                    used += GAP.length() + widths[shown];
                    shown++;
                }
                out.println(line(titles(), widths, shown));
                for (String[] row : sizing) {
                    out.println(line(row, widths, shown));
                }
                sizing.clear();
            }

            @Override
            public void finish() {
                if (widths == null) {
                    size();
                }
                out.println(summary(rows, outcomes, continuing));
                out.flush();
            }
        };
    }

    private static String[] row(ConnectionRecord record, TimeFormat times) {
        String[] row = new String[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            row[c] = COLUMNS.get(c).value().apply(record, times);
        }
        return row;
    }

    private static String[] titles() {
        return COLUMNS.stream().map(Column::title).toArray(String[]::new);
    }

    private static String line(String[] row, int[] widths, int shown) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < shown; c++) {
            String text = row[c];
            if (text.length() > widths[c] && c >= MANDATORY) {
                text = text.substring(0, widths[c] - 1) + "…";
            }
            if (c > 0) {
                line.append(GAP);
            }
            boolean last = c == shown - 1;
            int pad = Math.max(0, widths[c] - text.length()); // a whole uid or address may be wider
            if (COLUMNS.get(c).right()) {
                line.append(" ".repeat(pad)).append(text);
            } else {
                line.append(text);
                if (!last) {
                    line.append(" ".repeat(pad));
                }
            }
        }
        return line.toString();
    }

    private static String summary(long rows, Map<String, Long> outcomes, long continuing) {
        StringBuilder text = new StringBuilder().append(rows).append(rows == 1 ? " connection" : " connections");
        if (!outcomes.isEmpty()) {
            text.append(": ");
            outcomes.forEach((outcome, count) -> text.append(count).append(' ').append(outcome).append(", "));
            text.setLength(text.length() - 2);
        }
        if (continuing > 0) {
            text.append(System.lineSeparator()).append(continuing)
                    .append(continuing == 1 ? " record continues" : " records continue")
                    .append(" the one before: the same sockets (see 'continues')");
        }
        return text.toString();
    }

    /** ss's short names for the two long states, so four columns fit 80 characters. */
    private static String brief(String state) {
        return switch (state) {
            case "established" -> "estab";
            case "syn-received" -> "syn-recv";
            default -> state;
        };
    }
}
