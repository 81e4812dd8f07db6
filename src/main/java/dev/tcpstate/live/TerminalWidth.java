package dev.tcpstate.live;

import java.io.IOException;
import java.util.OptionalInt;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The width of the terminal standard output goes to, asked of the terminal itself (bash does not
 * export {@code COLUMNS}, so a wide terminal would otherwise get 80 columns).
 */
public final class TerminalWidth {
    private TerminalWidth() {
    }

    /** The terminal's columns, or empty when standard output is not a terminal (a pipe, a file). */
    public static OptionalInt ofStandardOutput() {
        if (System.console() == null) {
            return OptionalInt.empty();
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            int width = terminal.getWidth();
            return width > 0 ? OptionalInt.of(width) : OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
