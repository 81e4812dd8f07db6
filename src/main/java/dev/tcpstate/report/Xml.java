package dev.tcpstate.report;

/** Escaping for the XML tcpstate writes (JUnit reports, SVG). */
final class Xml {
    private Xml() {
    }

    /** XML text and attribute escaping; characters XML 1.0 cannot hold become spaces. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
