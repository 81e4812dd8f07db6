package dev.tcpstate.detect;

/**
 * Every threshold of every detector, with the defaults docs/findings.md explains. Times are
 * nanoseconds of packet time.
 *
 * @param minHandshakeFailures failures of one class at one service before it is a finding
 * @param handshakeErrorRatio share of a service's attempts failing in one class that makes the finding an error
 * @param handshakeErrorMinimum ...provided at least this many failed
 * @param halfOpenMinimum half-open connections (of either kind) at one service before it is a finding
 * @param floodWindowNanos the sliding window over which SYN rates are measured
 * @param floodMinRate half-open attempts per second (over the window) that make a flood...
 * @param floodMaxCompletion ...when at most this share of the window's attempts completed
 * @param floodMinHalfOpen no flood of either kind with fewer half-open attempts than this
 * @param cusumIntervalNanos the CUSUM detector's observation interval
 * @param cusumOffset {@code a} of Wang, Zhang and Shin: the drift allowed per interval, in units of the average closes
 * @param cusumThreshold {@code N}: the cumulative sum that raises the alarm
 * @param backscatterMinHosts distinct addresses one host sent unsolicited SYN-ACKs/RSTs to before it is backscatter
 * @param timeWaitNanos 2 × MSL: how long an endpoint stays in TIME-WAIT
 * @param timeWaitMinimum TIME-WAIT peak at one host before it is a finding (a note)
 * @param timeWaitWarning ...and a warning from this peak on
 * @param ephemeralPortLow first port of the ephemeral range (Linux 32768)
 * @param ephemeralPortHigh last port of the ephemeral range (Linux 60999)
 * @param portShareWarning share of the ephemeral range in use towards one destination for a warning
 * @param portShareError ...and for an error
 */
public record DetectorSettings(int minHandshakeFailures, double handshakeErrorRatio, int handshakeErrorMinimum,
        int halfOpenMinimum, long floodWindowNanos, double floodMinRate, double floodMaxCompletion, int floodMinHalfOpen,
        long cusumIntervalNanos, double cusumOffset, double cusumThreshold, int backscatterMinHosts,
        long timeWaitNanos, int timeWaitMinimum, int timeWaitWarning, int ephemeralPortLow, int ephemeralPortHigh,
        double portShareWarning, double portShareError) {
    private static final long SECOND = 1_000_000_000L;

    public static final DetectorSettings DEFAULTS = new DetectorSettings(1, 0.5, 10, 1, 10 * SECOND, 100, 0.10, 50,
            10 * SECOND, 1.0, 1.05, 20, 60 * SECOND, 100, 10_000, 32768, 60999, 0.25, 0.9);

    /** How many ports the ephemeral range has. */
    public int ephemeralPorts() {
        return ephemeralPortHigh - ephemeralPortLow + 1;
    }

    public DetectorSettings withTimeWaitNanos(long nanos) {
        return new DetectorSettings(minHandshakeFailures, handshakeErrorRatio, handshakeErrorMinimum, halfOpenMinimum,
                floodWindowNanos, floodMinRate, floodMaxCompletion, floodMinHalfOpen, cusumIntervalNanos, cusumOffset,
                cusumThreshold, backscatterMinHosts, nanos, timeWaitMinimum, timeWaitWarning, ephemeralPortLow,
                ephemeralPortHigh, portShareWarning, portShareError);
    }
}
