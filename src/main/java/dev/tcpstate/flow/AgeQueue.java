package dev.tcpstate.flow;

/**
 * Connections in the order they were made, linked through fields of their own: adding, removing
 * any one and taking the oldest are O(1) and allocate nothing, so a flood's millions of
 * short-lived attempts cost no queue scans. A connection can be in two queues at once (all
 * connections, and those still in their handshake), each using its own pair of links.
 */
final class AgeQueue {
    /** Which links this queue uses: the attempts' pair or the all-connections pair. */
    private final boolean attempts;
    private Connection oldest;
    private Connection newest;
    private int size;

    /** @param attempts whether this is the queue of attempts (else of all connections) */
    AgeQueue(boolean attempts) {
        this.attempts = attempts;
    }

    void add(Connection connection) {
        if (contains(connection)) {
            return;
        }
        setOlder(connection, newest);
        setNewer(connection, null);
        if (newest == null) {
            oldest = connection;
        } else {
            setNewer(newest, connection);
        }
        newest = connection;
        setIn(connection, true);
        size++;
    }

    /** Takes {@code connection} out if it is in. */
    void remove(Connection connection) {
        if (!contains(connection)) {
            return;
        }
        Connection older = older(connection);
        Connection newer = newer(connection);
        if (older == null) {
            oldest = newer;
        } else {
            setNewer(older, newer);
        }
        if (newer == null) {
            newest = older;
        } else {
            setOlder(newer, older);
        }
        setOlder(connection, null);
        setNewer(connection, null);
        setIn(connection, false);
        size--;
    }

    /** The oldest connection, or null when empty. */
    Connection oldest() {
        return oldest;
    }

    /** The next newer connection after {@code connection}, or null. */
    Connection newer(Connection connection) {
        return attempts ? connection.newerAttempt : connection.newerByAge;
    }

    int size() {
        return size;
    }

    void clear() {
        while (oldest != null) {
            remove(oldest);
        }
    }

    private boolean contains(Connection connection) {
        return attempts ? connection.inAttempts : connection.inByAge;
    }

    private Connection older(Connection connection) {
        return attempts ? connection.olderAttempt : connection.olderByAge;
    }

    private void setOlder(Connection connection, Connection older) {
        if (attempts) {
            connection.olderAttempt = older;
        } else {
            connection.olderByAge = older;
        }
    }

    private void setNewer(Connection connection, Connection newer) {
        if (attempts) {
            connection.newerAttempt = newer;
        } else {
            connection.newerByAge = newer;
        }
    }

    private void setIn(Connection connection, boolean in) {
        if (attempts) {
            connection.inAttempts = in;
        } else {
            connection.inByAge = in;
        }
    }
}
