package dev.tcpstate.flow;

import dev.tcpstate.decode.TcpFlags;
import dev.tcpstate.decode.TcpSegment;
import dev.tcpstate.state.ConnectionMachine;
import dev.tcpstate.state.Side;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps the current connection instance of every four-tuple. A SYN with a new ISN on a tuple
 * whose instance is over (reset, closed, or in TIME-WAIT) starts a new instance; an instance idle
 * for longer than its timeout (packet time) is finished. Finished instances go to the sink.
 */
public final class ConnectionTracker {
    /**
     * @param timeWaitNanos 2 × MSL
     * @param attemptTimeoutNanos idle time after which a connection that never got established ends
     * @param idleTimeoutNanos idle time after which any other connection ends
     */
    public record Settings(long timeWaitNanos, long attemptTimeoutNanos, long idleTimeoutNanos) {
        /** Linux's TIME-WAIT (MSL 30 s) and Zeek's timeouts: 5 s for attempts, 5 min otherwise. */
        public static Settings defaults() {
            return new Settings(60_000_000_000L, 5_000_000_000L, 300_000_000_000L);
        }
    }

    /** How often (packet time) idle connections are looked for. */
    private static final long SWEEP_INTERVAL = 1_000_000_000L;

    private final Settings settings;
    private final Consumer<Connection> finished;
    private final FlowTable<Connection> table = new FlowTable<>(1024);
    private long nextId = 1;
    private long nextSweep = Long.MIN_VALUE;

    public ConnectionTracker(Settings settings, Consumer<Connection> finished) {
        this.settings = settings;
        this.finished = finished;
    }

    /** Feeds one decoded segment. Allocates only when a connection instance begins. */
    public void segment(TcpSegment segment) {
        long time = segment.timestampNanos();
        if (time >= nextSweep) {
            sweep(time);
            nextSweep = time + SWEEP_INTERVAL;
        }
        Connection connection = table.get(segment);
        if (connection == null) {
            connection = open(segment, 1, false);
            table.put(segment, connection);
        } else if (startsNewInstance(connection, segment)) {
            Connection next = open(segment, connection.instance() + 1, inTimeWait(connection));
            table.put(segment, next);
            end(connection, time);
            connection = next;
        }
        connection.add(segment);
    }

    /** The capture is over: every instance still open ends with the states it has now. */
    public void finish(long endNanos) {
        List<Connection> open = table.values();
        open.sort(Comparator.comparingLong(Connection::id));
        for (Connection connection : open) {
            end(connection, endNanos);
        }
        table.removeIf(connection -> true);
    }

    /** Connections currently tracked. */
    public int size() {
        return table.size();
    }

    private Connection open(TcpSegment segment, int instance, boolean reusedInTimeWait) {
        int synAck = segment.flags() & (TcpFlags.SYN | TcpFlags.ACK);
        // A SYN's sender originates; a SYN-ACK's receiver did (Zeek flips the same way); otherwise
        // the capture began mid-connection and the first sender is taken as the originator.
        boolean fromOriginator = synAck != (TcpFlags.SYN | TcpFlags.ACK);
        boolean midstream = (segment.flags() & TcpFlags.SYN) == 0;
        return new Connection(nextId++, instance, reusedInTimeWait, segment, fromOriginator, midstream,
                new ConnectionMachine(settings.timeWaitNanos(), midstream));
    }

    private static boolean startsNewInstance(Connection connection, TcpSegment segment) {
        if ((segment.flags() & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) != TcpFlags.SYN) {
            return false;
        }
        ConnectionMachine machine = connection.machine();
        if (!machine.over()) {
            return false;
        }
        Side side = connection.senderOf(segment);
        return machine.isn(side).isEmpty() || machine.isn(side).getAsInt() != segment.sequence();
    }

    private static boolean inTimeWait(Connection connection) {
        ConnectionMachine machine = connection.machine();
        return machine.timeWaitSince(Side.ORIGINATOR).isPresent() || machine.timeWaitSince(Side.RESPONDER).isPresent();
    }

    private void sweep(long now) {
        for (Connection connection : table.removeIf(connection -> idleTooLong(connection, now))) {
            end(connection, connection.lastNanos() + timeout(connection));
        }
    }

    private boolean idleTooLong(Connection connection, long now) {
        return now - connection.lastNanos() > timeout(connection);
    }

    private long timeout(Connection connection) {
        return connection.machine().everEstablished() ? settings.idleTimeoutNanos() : settings.attemptTimeoutNanos();
    }

    private void end(Connection connection, long atNanos) {
        connection.machine().finish(atNanos);
        finished.accept(connection);
    }
}
