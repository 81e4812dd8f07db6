package dev.tcpstate.detect;

import java.util.Locale;

/** How much a finding matters, least first: {@code check --fail-on} compares against it. */
public enum Severity {
    NOTE, WARNING, ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
