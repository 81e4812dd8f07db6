package dev.tcpstate.flow;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of each history string. A capture's millions of records have a few hundred
 * distinct histories ({@code S}, {@code ShADadFf}, ...), so records keep the shared one. The table
 * is bounded: past {@link #LIMIT} distinct histories (hostile input), records keep their own.
 */
final class Histories {
    static final int LIMIT = 16_384;
    private static final ConcurrentHashMap<String, String> SHARED = new ConcurrentHashMap<>();

    private Histories() {
    }

    static String shared(String history) {
        String known = SHARED.get(history);
        if (known != null) {
            return known;
        }
        if (SHARED.size() >= LIMIT) {
            return history;
        }
        known = SHARED.putIfAbsent(history, history);
        return known == null ? history : known;
    }
}
