package dev.tcpstate.analysis;

import dev.tcpstate.detect.FindingType;
import dev.tcpstate.detect.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@code tcpstate check} fails on. Each limit is optional; {@code failOn} is the least
 * severity that fails; {@code allowed} finding types never fail a rule.
 */
public record CheckRules(OptionalLong maxHandshakeFailures, OptionalLong maxHalfOpen, OptionalLong maxTimeWait,
        boolean failOnFlood, Optional<Severity> failOn, Set<FindingType> allowed) {

    /** The rules with nothing set but {@code --fail-on error}. */
    public static final CheckRules DEFAULTS = new CheckRules(OptionalLong.empty(), OptionalLong.empty(),
            OptionalLong.empty(), false, Optional.of(Severity.ERROR), Set.of());

    public CheckRules {
        allowed = allowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowed));
    }

    /**
     * Reads a rules file: one {@code key = value} a line, {@code #} comments, keys as the options
     * without dashes: {@code max-handshake-failures}, {@code max-half-open}, {@code max-time-wait},
     * {@code fail-on-flood} (true/false), {@code fail-on} (note, warning, error, none), {@code allow}
     * (ids or names, comma-separated). Errors name the file and line.
     */
    public static CheckRules read(Path file, CheckRules base) throws IOException {
        CheckRules rules = base;
        List<String> lines = Files.readAllLines(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            String where = file + ": line " + (n + 1) + ": ";
            if (equals < 0) {
                throw new IllegalArgumentException(where + "'" + line + "' (expected: key = value)");
            }
            try {
                rules = rules.with(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
        }
        return rules;
    }

    /** These rules with one more set, by the key a rules file and the options share. */
    public CheckRules with(String key, String value) {
        return switch (key) {
            case "max-handshake-failures" -> new CheckRules(limit(key, value), maxHalfOpen, maxTimeWait, failOnFlood,
                    failOn, allowed);
            case "max-half-open" -> new CheckRules(maxHandshakeFailures, limit(key, value), maxTimeWait, failOnFlood,
                    failOn, allowed);
            case "max-time-wait" -> new CheckRules(maxHandshakeFailures, maxHalfOpen, limit(key, value), failOnFlood,
                    failOn, allowed);
            case "fail-on-flood" -> new CheckRules(maxHandshakeFailures, maxHalfOpen, maxTimeWait, bool(key, value),
                    failOn, allowed);
            case "fail-on" -> new CheckRules(maxHandshakeFailures, maxHalfOpen, maxTimeWait, failOnFlood,
                    severity(value), allowed);
            case "allow" -> {
                Set<FindingType> more = EnumSet.noneOf(FindingType.class);
                more.addAll(allowed);
                for (String id : value.split(",")) {
                    more.add(FindingType.find(id.strip()).orElseThrow(() -> new IllegalArgumentException(
                            "allow " + id.strip() + " (expected: a finding id or name, e.g. TS204 or connection-reset)")));
                }
                yield new CheckRules(maxHandshakeFailures, maxHalfOpen, maxTimeWait, failOnFlood, failOn, more);
            }
            default -> throw new IllegalArgumentException("unknown rule '" + key + "' (expected: max-handshake-failures, "
                    + "max-half-open, max-time-wait, fail-on-flood, fail-on or allow)");
        };
    }

    private static OptionalLong limit(String key, String value) {
        try {
            long limit = Long.parseLong(value);
            if (limit >= 0) {
                return OptionalLong.of(limit);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " " + value + " (expected: a count, 0 or more)");
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException(key + " " + value + " (expected: true or false)");
        };
    }

    private static Optional<Severity> severity(String value) {
        if (value.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        for (Severity severity : Severity.values()) {
            if (severity.label().equalsIgnoreCase(value)) {
                return Optional.of(severity);
            }
        }
        throw new IllegalArgumentException("fail-on " + value + " (expected: note, warning, error or none)");
    }
}
