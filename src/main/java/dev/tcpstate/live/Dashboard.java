package dev.tcpstate.live;

import dev.tcpstate.analysis.LiveSnapshot;
import dev.tcpstate.flow.ConnectionRecord;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The full-screen dashboard (jline): draws the latest snapshot ({@link DashboardRenderer}) on the
 * alternate screen, follows resizes, and handles keys on the UI thread. It only reads the
 * snapshots the analysis thread publishes, and tells it which connection to detail. The
 * terminal is restored on every way out: q, Ctrl-C, the capture ending, an error.
 */
public final class Dashboard {
    private static final int REFRESH_MILLIS = 100;

    private final AtomicReference<LiveSnapshot> latest = new AtomicReference<>();
    private final AtomicReference<String> selectedUid = new AtomicReference<>();
    private final dev.tcpstate.report.TimeFormat times;
    private volatile boolean quit;

    /** @param times the zone of the clock at the top */
    public Dashboard(dev.tcpstate.report.TimeFormat times) {
        this.times = times;
    }

    /** Where the analysis thread publishes each snapshot. */
    public void publish(LiveSnapshot snapshot) {
        latest.set(snapshot);
    }

    /** The connection the screen drills into, for the analysis thread's next snapshot (null: none). */
    public String selectedUid() {
        return selectedUid.get();
    }

    /** Ends the screen from another thread (the capture ended). */
    public void close() {
        quit = true;
    }

    /**
     * Runs the screen on the calling thread until q, Ctrl-C or {@link #close()}; then restores the
     * terminal. {@code onQuit} is called once when the person quits.
     */
    public void run(String source, Runnable onQuit) throws IOException {
        // jline would log its own fallback warnings to stderr; tcpstate says what matters itself
        java.util.logging.Logger.getLogger("org.jline").setLevel(java.util.logging.Level.OFF);
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                onQuit.run();
                throw new IllegalArgumentException("--format dashboard needs a terminal (standard input and output); "
                        + "use --format text or ndjson");
            }
            Attributes saved = terminal.enterRawMode();
            terminal.handle(Terminal.Signal.INT, signal -> quit = true);
            boolean unicode = terminal.encoding().newEncoder().canEncode('█');
            DashboardView view = DashboardView.start(source, unicode);
            try {
                terminal.puts(Capability.enter_ca_mode);
                terminal.puts(Capability.cursor_invisible);
                terminal.flush();
                Display display = new Display(terminal, true);
                NonBlockingReader reader = terminal.reader();
                LiveSnapshot shown = null;
                Size size = null;
                DashboardView drawn = null;
                while (!quit) {
                    int key = reader.read(REFRESH_MILLIS);
                    if (key >= 0) {
                        view = key(view, key, reader);
                    }
                    if (quit) {
                        break;
                    }
                    LiveSnapshot snapshot = view.paused() && shown != null ? shown : latest.get();
                    Size now = terminal.getSize();
                    if (now.getRows() <= 0 || now.getColumns() <= 0) {
                        now = new Size(80, 24); // a terminal that does not say its size
                    }
                    if (snapshot != null && (snapshot != shown || !now.equals(size) || !view.equals(drawn))) {
                        if (!now.equals(size)) {
                            display.clear();
                            display.resize(now.getRows(), now.getColumns());
                        }
                        List<String> lines = DashboardRenderer.render(snapshot, view, Math.max(20, now.getColumns()),
                                Math.max(5, now.getRows()), times);
                        // Display.update edits the list it is given
                        display.update(new java.util.ArrayList<>(lines.stream().map(AttributedString::new).toList()), 0);
                        terminal.flush();
                        shown = snapshot;
                        size = now;
                        drawn = view;
                        if (view.screen() == DashboardView.Screen.OVERVIEW) {
                            List<ConnectionRecord> rows = DashboardRenderer.rows(snapshot, view);
                            selectedUid.set(rows.isEmpty() ? null : rows.get(Math.min(view.selected(), rows.size() - 1)).uid());
                        }
                    }
                }
            } finally {
                terminal.puts(Capability.cursor_visible);
                terminal.puts(Capability.exit_ca_mode);
                terminal.flush();
                terminal.setAttributes(saved);
                onQuit.run();
            }
        }
    }

    /** One key (escape sequences read on) applied to the view. */
    private DashboardView key(DashboardView view, int key, NonBlockingReader reader) throws IOException {
        if (view.editingFilter()) {
            return switch (key) {
                case 13, 10 -> view.withFilter(view.filter(), false);
                case 27 -> view.withFilter("", false);
                case 127, 8 -> view.withFilter(view.filter().isEmpty() ? "" : view.filter().substring(0,
                        view.filter().length() - 1), true);
                default -> key >= 32 ? view.withFilter(view.filter() + (char) key, true) : view;
            };
        }
        return switch (key) {
            case 'q', 3 -> {
                quit = true;
                yield view;
            }
            case 'p' -> view.withPaused(!view.paused());
            case 's' -> view.withSort(view.sort().next());
            case '/' -> view.withFilter(view.filter(), true);
            case 'h', '?' -> view.withScreen(DashboardView.Screen.HELP);
            case 13, 10 -> view.withScreen(DashboardView.Screen.DETAIL);
            case 'j' -> view.withSelected(view.selected() + 1);
            case 'k' -> view.withSelected(view.selected() - 1);
            case 27 -> escape(view, reader);
            default -> view;
        };
    }

    /** Esc alone goes back; arrows and page keys move the selection. */
    private static DashboardView escape(DashboardView view, NonBlockingReader reader) throws IOException {
        int next = reader.read(20);
        if (next != '[' && next != 'O') {
            return view.screen() != DashboardView.Screen.OVERVIEW ? view.withScreen(DashboardView.Screen.OVERVIEW)
                    : view.withFilter("", false);
        }
        int code = reader.read(20);
        return switch (code) {
            case 'A' -> view.withSelected(view.selected() - 1);
            case 'B' -> view.withSelected(view.selected() + 1);
            case '5' -> {
                reader.read(20); // '~'
                yield view.withSelected(view.selected() - 10);
            }
            case '6' -> {
                reader.read(20);
                yield view.withSelected(view.selected() + 10);
            }
            default -> view;
        };
    }
}
