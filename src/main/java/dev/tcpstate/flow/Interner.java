package dev.tcpstate.flow;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of each value that many records repeat (histories such as {@code ShADadFf}, a
 * flood's identical record details). Bounded: past {@code limit} distinct values (hostile input)
 * values are no longer shared, so the table cannot grow without end.
 *
 * @param <T> an immutable value type with equals and hashCode
 */
final class Interner<T> {
    private final int limit;
    private final ConcurrentHashMap<T, T> shared = new ConcurrentHashMap<>();

    Interner(int limit) {
        this.limit = limit;
    }

    /** The shared copy equal to {@code value}: {@code value} itself when it is the first, or the table is full. */
    T intern(T value) {
        T known = shared.get(value);
        if (known != null) {
            return known;
        }
        if (shared.size() >= limit) {
            return value;
        }
        known = shared.putIfAbsent(value, value);
        return known == null ? value : known;
    }
}
