package dev.tcpstate.cli;

import java.nio.charset.Charset;

/** What text output may assume of the terminal: its width, and whether it shows block characters. */
final class Terminal {
    private Terminal() {
    }

    /** {@code --width} when given, else $COLUMNS, else 80; never below 40. */
    static int width(Integer option) {
        if (option != null) {
            return Math.max(40, option);
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
