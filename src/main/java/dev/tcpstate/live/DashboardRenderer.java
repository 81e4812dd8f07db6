package dev.tcpstate.live;

import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.detect.Finding;
import dev.tcpstate.detect.FindingType;
import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.report.Sparkline;
import dev.tcpstate.report.TimeFormat;
import dev.tcpstate.state.TcpState;
import dev.tcpstate.state.Transition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard as lines of text for a snapshot, a view and a terminal size: exactly
 * {@code height} lines, none wider than {@code width}. Pure, so it is tested without a terminal.
 * The overview stacks, top to bottom: status, endpoint states, rates and failures, SYN rate per
 * service, TIME-WAIT per host, top talkers, findings, then the connection list in what is left,
 * and a help line. Sections shrink before the list disappears.
 */
public final class DashboardRenderer {
    private static final int SERVICE_ROWS = 3;
    private static final int HOST_ROWS = 3;
    private static final int FINDING_ROWS = 3;

    private DashboardRenderer() {
    }

    /** The connections the list shows, in the view's order and filter (the selection indexes it). */
    public static List<ConnectionRecord> rows(LiveSnapshot snapshot, DashboardView view) {
        Comparator<ConnectionRecord> order = switch (view.sort()) {
            case NEWEST -> Comparator.comparingLong(ConnectionRecord::tsNanos).reversed();
            case STATE -> Comparator.comparing((ConnectionRecord r) -> r.originatorState().ordinal())
                    .thenComparing(r -> r.responderState().ordinal());
            case SERVICE -> Comparator.comparing(ConnectionRecord::service);
            case BYTES -> Comparator.comparingLong((ConnectionRecord r) -> r.originatorBytes().orElse(0)
                    + r.responderBytes().orElse(0)).reversed();
        };
        String filter = view.filter().toLowerCase(Locale.ROOT);
        return snapshot.connections().stream().filter(r -> filter.isEmpty() || line(r, 500).toLowerCase(Locale.ROOT)
                .contains(filter)).sorted(order.thenComparingLong(ConnectionRecord::id)).toList();
    }

    public static List<String> render(LiveSnapshot snapshot, DashboardView view, int width, int height,
            TimeFormat times) {
        List<String> lines = switch (view.screen()) {
            case OVERVIEW -> overview(snapshot, view, width, height, times);
            case DETAIL -> detail(snapshot, view, width, height);
            case HELP -> help(view, width, height);
        };
        List<String> fitted = new ArrayList<>(height);
        for (int i = 0; i < height; i++) {
            String line = i < lines.size() ? lines.get(i) : "";
            fitted.add(line.length() > width ? line.substring(0, Math.max(0, width - 1)) + (view.unicode() ? "…" : "~")
                    : line);
        }
        return fitted;
    }

    private static List<String> overview(LiveSnapshot s, DashboardView view, int width, int height,
            TimeFormat times) {
        List<String> top = new ArrayList<>();
        LiveSnapshot.CaptureCounts c = s.capture();
        // frames analysed, and what was lost before analysis; libpcap's own "received" is left out:
        // on lo it counts each frame twice, which read as a contradiction beside tcpstate's count
        top.add(String.format(Locale.ROOT, "tcpstate watch %s  %s  %,d frames  dropped %,d%s%s",
                view.source(), times.clockSeconds(s.nowNanos()), s.summary().frames(), c.dropped(),
                c.droppedSinceNanos() == Long.MIN_VALUE ? "" : " since " + times.clockSeconds(c.droppedSinceNanos()),
                view.paused() ? "  [PAUSED]" : ""));
        StringBuilder states = new StringBuilder("states ");
        for (TcpState state : TcpState.values()) {
            Integer n = s.endpointStates().get(state);
            if (n != null && n > 0 && state != TcpState.CLOSED) {
                states.append(' ').append(brief(state)).append(' ').append(n);
            }
        }
        top.add(states.length() == 7 ? "states  (no open connection)" : states.toString());
        top.add(String.format(Locale.ROOT, "new/s %.1f  open %,d  closed %,d  findings %d", s.newPerSecond(),
                s.openConnections(), s.closedConnections(), s.findings().size()));
        StringBuilder failures = new StringBuilder("failed handshakes:");
        for (FindingType type : List.of(FindingType.HANDSHAKE_UNANSWERED, FindingType.HANDSHAKE_REFUSED,
                FindingType.HANDSHAKE_NO_FINAL_ACK, FindingType.HANDSHAKE_RESET, FindingType.HANDSHAKE_BAD_SYN_ACK)) {
            failures.append(' ').append(type.title().substring("handshake-".length()).replace("bad-syn-ack", "bad-ack"))
                    .append(' ').append(s.handshakeFailures().getOrDefault(type, 0));
        }
        top.add(failures.toString());

        List<String> services = new ArrayList<>();
        services.add(String.format(Locale.ROOT, "%-30s %8s %8s %6s", "SYN RATE (service)", "avg/s", "attempts", "done"));
        s.synRates().stream().limit(SERVICE_ROWS).forEach(r -> services.add(String.format(Locale.ROOT,
                "%-30s %8.1f %8d %6d%s", r.service(), r.perSecond(), r.attempts(), r.completed(), r.flood() ? "  FLOOD" : "")));
        List<String> hosts = new ArrayList<>();
        hosts.add("TIME-WAIT (host)");
        s.timeWait().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).limit(HOST_ROWS).forEach(e -> {
                    List<Integer> history = s.timeWaitHistory().getOrDefault(e.getKey(), List.of());
                    double[] series = history.stream().mapToDouble(Integer::doubleValue).toArray();
                    int spark = Math.max(0, Math.min(series.length, width - 40));
                    double[] tail = java.util.Arrays.copyOfRange(series, series.length - spark, series.length);
                    hosts.add(String.format(Locale.ROOT, "  %-28s %7d  %s", e.getKey(), e.getValue(),
                            Sparkline.of(tail, view.unicode())));
                });
        List<String> talkers = new ArrayList<>();
        talkers.add("TOP TALKERS");
        s.topTalkers().stream().limit(HOST_ROWS).forEach(t -> talkers.add(String.format(Locale.ROOT,
                "  %-28s %10s %6d conns", t.host(), bytes(t.bytes()), t.connections())));
        List<String> halfOpen = new ArrayList<>();
        halfOpen.add(String.format(Locale.ROOT, "HALF-OPEN %,d (SYN-SENT, SYN-RECEIVED, peer gone)", s.halfOpen().size()));
        s.halfOpen().stream().limit(HOST_ROWS).forEach(r -> halfOpen.add("  " + line(r, width - 2)));
        List<String> findings = new ArrayList<>();
        findings.add("FINDINGS");
        s.findings().stream().limit(FINDING_ROWS).forEach(f -> findings.add("  " + finding(f)));
        if (s.findings().isEmpty()) {
            findings.add("  none");
        }

        List<String> bottom = List.of(view.editingFilter() ? "filter: " + view.filter() + "_  (Enter applies, Esc clears)"
                : "q quit  p pause  s sort  / filter  " + (view.unicode() ? "↑↓" : "Up/Down") + " select  Enter details  h help");
        // the list needs a header and at least 3 rows; optional sections go first when space is short
        List<List<String>> optional = new ArrayList<>(List.of(services, findings, halfOpen, hosts, talkers));
        int fixed = top.size() + bottom.size();
        int optionalLines = optional.stream().mapToInt(List::size).sum();
        while (!optional.isEmpty() && fixed + optionalLines + 4 > height) {
            List<String> dropped = optional.remove(optional.size() - 1);
            optionalLines -= dropped.size();
        }
        List<String> lines = new ArrayList<>(top);
        optional.forEach(lines::addAll);
        int listRows = height - lines.size() - bottom.size() - 1;
        List<ConnectionRecord> rows = rows(s, view);
        lines.add(String.format(Locale.ROOT, "CONNECTIONS %,d (sort: %s%s)", rows.size(), view.sort().label(),
                view.filter().isEmpty() ? "" : ", filter: " + view.filter()));
        lines.add("  " + String.format(Locale.ROOT, "%-18s %-45s %-11s %-11s %-12s %s", "UID", "CONNECTION (A > B)",
                "A STATE", "B STATE", "OUTCOME", "HISTORY"));
        listRows--;
        int selected = Math.min(view.selected(), Math.max(0, rows.size() - 1));
        int first = Math.max(0, selected - listRows + 1);
        for (int i = first; i < Math.min(rows.size(), first + listRows); i++) {
            lines.add((i == selected ? "> " : "  ") + line(rows.get(i), width - 2));
        }
        while (lines.size() < height - bottom.size()) {
            lines.add("");
        }
        lines.addAll(bottom);
        return lines;
    }

    private static List<String> detail(LiveSnapshot s, DashboardView view, int width, int height) {
        List<String> lines = new ArrayList<>();
        if (s.selected().isEmpty()) {
            lines.add("The connection is gone (closed connections leave the live table). Esc goes back.");
            return lines;
        }
        ConnectionRecord r = s.selected().get().record();
        lines.add("connection " + r.uid() + ": A " + ConnectionRecord.endpoint(r.originatorAddress(), r.originatorPort())
                + " > B " + r.service());
        lines.add("zeek " + r.connState() + " " + r.history() + "  outcome " + r.outcome().label() + "  now A "
                + r.originatorState().rfcName() + ", B " + r.responderState().rfcName());
        lines.add(String.format(Locale.ROOT, "packets %d/%d  SYN retries %d  retransmits %d%s", r.originatorPackets(),
                r.responderPackets(), r.synRetries(), r.retransmits(), r.handshakeRttNanos().isPresent()
                        ? String.format(Locale.ROOT, "  handshake RTT %.3f ms", r.handshakeRttNanos().getAsLong() / 1e6) : ""));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "%-11s %-14s %-14s %s", "TIME", "TCP A", "TCP B", "CAUSE"));
        TcpState a = r.midstream() ? TcpState.UNKNOWN : TcpState.CLOSED;
        TcpState b = a;
        for (Transition t : s.selected().get().transitions()) {
            if (t.side() == dev.tcpstate.state.Side.ORIGINATOR) {
                a = t.to();
            } else {
                b = t.to();
            }
            lines.add(String.format(Locale.ROOT, "+%-10.6f %-14s %-14s %s", (t.timestampNanos() - r.tsNanos()) / 1e9,
                    a.rfcName(), b.rfcName(), (t.side() == dev.tcpstate.state.Side.ORIGINATOR ? "A: " : "B: ") + t.cause()));
        }
        if (lines.size() > height - 1) {
            List<String> kept = new ArrayList<>(lines.subList(0, 5));
            kept.addAll(lines.subList(lines.size() - (height - 6), lines.size()));
            lines = kept;
        }
        while (lines.size() < height - 1) {
            lines.add("");
        }
        lines.add("Esc back  q quit");
        return lines;
    }

    private static List<String> help(DashboardView view, int width, int height) {
        List<String> lines = new ArrayList<>(List.of("tcpstate watch: keys", "",
                "  q, Ctrl-C   quit: stop capturing and print the final report",
                "  p           pause the screen (capture and analysis go on)",
                "  s           sort the connection list: newest, state, service, bytes",
                "  /           filter the list by any text in its lines; Esc clears",
                "  Up, Down    select a connection;  PgUp, PgDn  move by a page",
                "  Enter       the selected connection's details and state changes",
                "  Esc         back to the overview",
                "  h, ?        this help", "",
                "States count both endpoints of every open connection; TIME-WAIT per host counts its endpoints",
                "in TIME-WAIT (2xMSL); SYN RATE: attempts/s per service, flood window average."));
        while (lines.size() < height - 1) {
            lines.add("");
        }
        lines.add("Esc back  q quit");
        return lines;
    }

    /** One connection in a line: uid, endpoints, both states, outcome, history. */
    static String line(ConnectionRecord r, int width) {
        return String.format(Locale.ROOT, "%-18s %-45s %-11s %-11s %-12s %s", r.uid(),
                ConnectionRecord.endpoint(r.originatorAddress(), r.originatorPort()) + " > " + r.service(),
                brief(r.originatorState()), brief(r.responderState()), r.outcome().label(), r.history());
    }

    private static String finding(Finding f) {
        return f.severity().label().toUpperCase(Locale.ROOT) + " " + f.type().id() + " " + f.type().title() + " "
                + f.subject() + ": " + f.message();
    }

    private static String brief(TcpState state) {
        return switch (state) {
            case ESTABLISHED -> "ESTAB";
            case SYN_RECEIVED -> "SYN-RECV";
            default -> state.rfcName();
        };
    }

    private static String bytes(long n) {
        if (n >= 1 << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1 << 30));
        }
        if (n >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
        }
        if (n >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }
}
