package dev.tcpstate.live;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.utils.Signals;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP stop {@code watch} the way {@code --duration} does: the
 * session drains what was captured, closes the {@code --write} file and the report is printed,
 * and the process exits with the command's own code (0, as tcpdump does). Signal handlers rather
 * than a shutdown hook, because once the JVM is shutting down it exits (130, 143) as soon as the
 * hooks return, racing whatever the main thread still prints.
 *
 * <p>The first signal restores the previous handlers, so a second one ends the process the JVM's
 * way at once (exit 130 for SIGINT, 143 for SIGTERM), without the report. The {@code --write}
 * file then lacks at most its unflushed frames; it still ends on a whole record.
 *
 * <p>jline's {@link Signals} registers the handlers (through {@code sun.misc.Signal}, which javac
 * would otherwise warn about); the dashboard's terminal takes SIGINT over while it is open and
 * gives it back when it closes. A signal the process ignores (nohup's SIGHUP) stays ignored.
 */
public final class StopSignals implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private final Map<String, Object> previous = new LinkedHashMap<>();
    private final AtomicBoolean restored = new AtomicBoolean();

    private StopSignals() {
    }

    /** Until {@link #close()}, the first of these signals calls {@code stop} (on the JVM's signal thread). */
    public static StopSignals install(Runnable stop) {
        StopSignals signals = new StopSignals();
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable handler = () -> {
            if (stopped.compareAndSet(false, true)) {
                signals.close();
                stop.run();
            }
        };
        for (String name : SIGNALS) {
            signals.previous.put(name, Signals.register(name, handler));
        }
        return signals;
    }

    /** Puts the previous handlers back (once). */
    @Override
    public void close() {
        if (restored.compareAndSet(false, true)) {
            previous.forEach(Signals::unregister);
        }
    }
}
