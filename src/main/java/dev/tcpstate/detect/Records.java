package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.flow.UidList;
import dev.tcpstate.state.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the detectors ask of records: which are handshake attempts, grouping, evidence. */
final class Records {
    /** Evidence connections per finding: enough to look at, few enough to read. */
    static final int EVIDENCE = 5;

    private Records() {
    }

    /**
     * A connection attempt a client made: a record that saw its SYN, counted once even when Zeek's
     * attempt timer split it (only its last record, which holds the whole attempt's outcome).
     */
    static boolean isAttempt(ConnectionRecord record) {
        return !record.midstream() && !record.continuedLater();
    }

    /** The handshake completed (possibly before a reset or close). */
    static boolean completed(ConnectionRecord record) {
        return switch (record.outcome()) {
            case UNANSWERED, REFUSED, NO_FINAL_ACK, RESET_IN_HANDSHAKE -> false;
            default -> true;
        };
    }

    static boolean is(ConnectionRecord record, Outcome outcome) {
        return record.outcome() == outcome;
    }

    /**
     * Services counted one by one, at most: past it every new service is counted together with
     * the others past it, as {@link #OTHER_SERVICES}. A scan of every port of many hosts would
     * otherwise make state (and a finding) per port; the first this many keep theirs.
     */
    static final int MAX_SERVICES = 65_536;

    /** The subject of what services past {@link #MAX_SERVICES} count together. */
    static final String OTHER_SERVICES = "(other services)";

    /** A service (the responder's address and port) by number, as a map key. */
    record ServiceKey(long high, long low, int port) {
        /** The key of the services counted together. */
        static final ServiceKey OTHERS = new ServiceKey(-1, -1, -1);

        static ServiceKey of(ConnectionRecord record) {
            return new ServiceKey(record.responderHigh(), record.responderLow(), record.responderPort());
        }

        // written out: a record's generated ones go through method handles, and every final record asks
        @Override
        public boolean equals(Object other) {
            return other instanceof ServiceKey key && key.low == low && key.port == port && key.high == high;
        }

        @Override
        public int hashCode() {
            return mix(high, low, port);
        }
    }

    /** A well-spread hash of two longs and an int (for keys made per record). */
    static int mix(long high, long low, int extra) {
        long h = (low * 0x9E37_79B9_7F4A_7C15L ^ high) * 0xC2B2_AE3D_27D4_EB4FL + extra;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * The state {@code services} keeps for the record's service, made by {@code make} (given the
     * service's name) when it is new: past {@link #MAX_SERVICES} services, new ones share the
     * state of {@link #OTHER_SERVICES}.
     */
    static <V> V service(java.util.Map<ServiceKey, V> services, ConnectionRecord record, Function<String, V> make) {
        ServiceKey key = ServiceKey.of(record);
        V state = services.get(key);
        if (state != null) {
            return state;
        }
        if (services.size() >= MAX_SERVICES) {
            return services.computeIfAbsent(ServiceKey.OTHERS, others -> make.apply(OTHER_SERVICES));
        }
        state = make.apply(record.service());
        services.put(key, state);
        return state;
    }

    /** Hosts counted one by one, at most, as services are ({@link #MAX_SERVICES}). */
    static final int MAX_HOSTS = 65_536;

    /** The subject of what hosts past {@link #MAX_HOSTS} count together. */
    static final String OTHER_HOSTS = "(other hosts)";

    /** A host by number, as a map key. */
    record HostKey(long high, long low) {
        /** The key of the hosts counted together. */
        static final HostKey OTHERS = new HostKey(-1, -1);

        @Override
        public boolean equals(Object other) {
            return other instanceof HostKey key && key.low == low && key.high == high;
        }

        @Override
        public int hashCode() {
            return mix(high, low, 0);
        }
    }

    /**
     * The state {@code hosts} keeps for the host {@code high}/{@code low}, made by {@code make}
     * (given the host's address) when it is new: past {@link #MAX_HOSTS} hosts, new ones share the
     * state of {@link #OTHER_HOSTS}.
     */
    static <V> V host(java.util.Map<HostKey, V> hosts, long high, long low, Function<String, V> make) {
        HostKey key = new HostKey(high, low);
        V state = hosts.get(key);
        if (state != null) {
            return state;
        }
        if (hosts.size() >= MAX_HOSTS) {
            return hosts.computeIfAbsent(HostKey.OTHERS, others -> make.apply(OTHER_HOSTS));
        }
        state = make.apply(dev.tcpstate.decode.IpAddresses.format(high, low));
        hosts.put(key, state);
        return state;
    }

    static Finding.Evidence evidence(ConnectionRecord record) {
        return new Finding.Evidence(record.uid(),
                ConnectionRecord.endpoint(record.originatorAddress(), record.originatorPort()) + " > " + record.service(),
                record.tsNanos(), record.outcome().label());
    }

    /** {@code n} followed by the noun, plural unless n is 1 ({@code "1 SYN"}, {@code "3 SYNs"}). */
    static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    static String count(long n, String one, String many) {
        return number(n) + " " + (n == 1 ? one : many);
    }

    /**
     * A count with thousands separators, as in the rest of the report ({@code %,d} in the root
     * locale, written out: findings are built every second live, thousands of them at a time).
     */
    static String number(long n) {
        String digits = Long.toString(Math.abs(n));
        StringBuilder out = new StringBuilder(digits.length() + digits.length() / 3 + 1);
        if (n < 0) {
            out.append('-');
        }
        int first = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        out.append(digits, 0, first);
        for (int i = first; i < digits.length(); i += 3) {
            out.append(',').append(digits, i, i + 3);
        }
        return out.toString();
    }

    static String percent(double ratio) {
        return Math.round(ratio * 100) + " %";
    }
}
