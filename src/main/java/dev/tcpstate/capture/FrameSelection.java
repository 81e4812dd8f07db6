package dev.tcpstate.capture;

/**
 * Which frames of the captures to analyse, as tcpdump and tshark choose them when reading a file:
 * a BPF filter expression ({@code -f}), a time range ({@code --since}, {@code --until}) and at
 * most {@code count} frames ({@code -c}, counted after the filter, as tcpdump counts).
 *
 * @param filter libpcap filter expression, or null for every frame
 * @param sinceNanos first timestamp kept (inclusive), MIN_VALUE for no bound
 * @param untilNanos timestamps from this one on are dropped (exclusive), MAX_VALUE for no bound
 * @param count frames kept at most, MAX_VALUE for all
 */
public record FrameSelection(String filter, long sinceNanos, long untilNanos, long count) {
    public static final FrameSelection ALL = new FrameSelection(null, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

    public FrameSelection {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (untilNanos <= sinceNanos) {
            throw new IllegalArgumentException("the time range is empty: --until must come after --since");
        }
        if (filter != null && filter.isBlank()) {
            filter = null;
        }
    }

    /** Whether every frame is kept (no wrapping needed). */
    public boolean all() {
        return filter == null && sinceNanos == Long.MIN_VALUE && untilNanos == Long.MAX_VALUE && count == Long.MAX_VALUE;
    }
}
