package dev.tcpstate.report;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A minimal streaming JSON writer: objects, arrays, strings, numbers, booleans; commas placed
 * automatically. Enough for reports without a JSON library on the classpath.
 */
public final class JsonWriter {
    private final Appendable out;
    /** Per nesting level: whether the next value needs a comma before it. */
    private final boolean[] needsComma = new boolean[64];
    private int depth;
    private boolean afterName;

    public JsonWriter(Appendable out) {
        this.out = out;
    }

    public JsonWriter beginObject() {
        return open('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        return open('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    public JsonWriter name(String name) {
        separate();
        writeString(name);
        raw(":");
        afterName = true;
        return this;
    }

    public JsonWriter value(String value) {
        separate();
        writeString(value);
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        raw(Long.toString(value));
        return this;
    }

    public JsonWriter value(boolean value) {
        separate();
        raw(Boolean.toString(value));
        return this;
    }

    /** A decimal number written as given (e.g. a formatted timestamp); must be valid JSON. */
    public JsonWriter number(String decimal) {
        separate();
        raw(decimal);
        return this;
    }

    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    private JsonWriter open(char bracket) {
        separate();
        raw(String.valueOf(bracket));
        needsComma[++depth] = false;
        return this;
    }

    private JsonWriter close(char bracket) {
        depth--;
        raw(String.valueOf(bracket));
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            needsComma[depth] = true;
            return;
        }
        if (needsComma[depth]) {
            raw(",");
        }
        needsComma[depth] = true;
    }

    private void writeString(String text) {
        if (plain(text)) {
            // the usual case (names, addresses, states): straight through, no copy
            try {
                out.append('"').append(text).append('"');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        StringBuilder quoted = new StringBuilder(text.length() + 8);
        quote(text, quoted);
        raw(quoted.toString());
    }

    /** Whether {@code text} needs no escape in a JSON string. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Appends {@code text} as a JSON string, quoted and escaped. */
    static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void raw(String text) {
        try {
            out.append(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
