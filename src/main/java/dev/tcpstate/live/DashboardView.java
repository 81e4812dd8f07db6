package dev.tcpstate.live;

import java.util.Locale;

/**
 * What the person at the dashboard chose: the list's sort and filter, the selected row, pause,
 * and which screen is shown. Immutable; each key gives a new one.
 */
public record DashboardView(String source, Sort sort, String filter, boolean editingFilter, int selected,
        boolean paused, Screen screen, boolean unicode) {

    /** How the connection list is ordered. */
    public enum Sort {
        NEWEST, STATE, SERVICE, BYTES;

        public Sort next() {
            return values()[(ordinal() + 1) % values().length];
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The overview, one connection's details, or the keys. */
    public enum Screen { OVERVIEW, DETAIL, HELP }

    public static DashboardView start(String source, boolean unicode) {
        return new DashboardView(source, Sort.NEWEST, "", false, 0, false, Screen.OVERVIEW, unicode);
    }

    public DashboardView withSort(Sort next) {
        return new DashboardView(source, next, filter, editingFilter, 0, paused, screen, unicode);
    }

    public DashboardView withFilter(String text, boolean editing) {
        return new DashboardView(source, sort, text, editing, 0, paused, screen, unicode);
    }

    public DashboardView withSelected(int row) {
        return new DashboardView(source, sort, filter, editingFilter, Math.max(0, row), paused, screen, unicode);
    }

    public DashboardView withPaused(boolean pause) {
        return new DashboardView(source, sort, filter, editingFilter, selected, pause, screen, unicode);
    }

    public DashboardView withScreen(Screen next) {
        return new DashboardView(source, sort, filter, editingFilter, selected, paused, next, unicode);
    }
}
