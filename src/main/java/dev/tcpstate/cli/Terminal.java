package dev.tcpstate.cli;

import java.nio.charset.Charset;

/** What text output may assume of the terminal: its width, and whether it shows block characters. */
final class Terminal {
    private Terminal() {
    }

    /**
     * {@code --width} when given, else the terminal's own width when standard output is one, else
     * $COLUMNS, else 80; never below 40.
     */
    static int width(Integer option) {
        if (option != null) {
            return Math.max(40, option);
        }
        java.util.OptionalInt terminal = dev.tcpstate.live.TerminalWidth.ofStandardOutput();
        if (terminal.isPresent()) {
            return Math.max(40, terminal.getAsInt());
        }
        try {
            return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80")));
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /**
     * Whether standard output can show the sparkline blocks: tcpstate writes it in the default
     * charset, which cannot under LANG=C.
     */
    static boolean unicode() {
        return Charset.defaultCharset().newEncoder().canEncode('█');
    }
}
