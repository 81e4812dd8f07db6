package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SYN floods per destination service (DESIGN.md section 7). Counts half-open attempts, not raw
 * SYNs, so a busy healthy server does not alarm:
 * <ul>
 * <li>threshold alarm (TS301): over a sliding window, half-open attempts per second at or above a
 * rate while at most a small share of the window's attempts completed;</li>
 * <li>CUSUM change detector (TS302) for slow floods, after Wang, Zhang and Shin (INFOCOM 2002):
 * per interval, (SYNs − connections closed by FIN/RST) over the average closes, minus a drift
 * allowance, summed while positive; an alarm when the sum passes a threshold. Not reported where
 * TS301 already is;</li>
 * <li>backscatter (TS303): SYN-ACKs or RSTs that answer nothing the capture saw, from one host
 * towards many addresses.</li>
 * </ul>
 */
final class SynFloodDetector {
    /** Past this long after a SYN-ACK, Linux would have sent it again (1 s initial RTO, doubled). */
    private static final long SYN_ACK_RETRY_DUE = 3_000_000_000L;

    private final DetectorSettings settings;

    SynFloodDetector(DetectorSettings settings) {
        this.settings = settings;
    }

    /** Attempts left hanging: no answer, or a SYN-ACK nobody acknowledged, or reset before completing. */
    static boolean halfOpen(ConnectionRecord attempt) {
        return !Records.completed(attempt) && attempt.outcome() != Outcome.REFUSED;
    }

    /**
     * @param records every record, in time order
     * @param services the same per service
     */
    List<Finding> detect(List<ConnectionRecord> records, Map<String, List<ConnectionRecord>> services,
            long captureStart, long captureEnd) {
        List<Finding> findings = new ArrayList<>();
        services.forEach((service, connections) -> {
            // a stable sort: attempts that began together stay in time order
            List<ConnectionRecord> serviceAttempts = connections.stream().filter(Records::isAttempt)
                    .sorted(Comparator.comparingLong(ConnectionRecord::attemptStartNanos)).toList();
            if (serviceAttempts.isEmpty()) {
                return;
            }
            List<ConnectionRecord> closed = connections.stream().filter(SynFloodDetector::closedByFinOrRst).toList();
            List<Finding> floods = thresholdAlarm(service, serviceAttempts, captureEnd);
            findings.addAll(floods);
            findings.addAll(cusum(service, serviceAttempts, closed, floods, captureStart, captureEnd));
        });
        findings.addAll(backscatter(records));
        return findings;
    }

    private List<Finding> thresholdAlarm(String service, List<ConnectionRecord> attempts, long captureEnd) {
        long window = settings.floodWindowNanos();
        double windowSeconds = window / 1e9;
        List<int[]> episodes = new ArrayList<>(); // [first, last] attempt index
        int from = 0;
        int halfOpen = 0;
        int completed = 0;
        int peak = 0;
        for (int i = 0; i < attempts.size(); i++) {
            ConnectionRecord attempt = attempts.get(i);
            halfOpen += halfOpen(attempt) ? 1 : 0;
            completed += Records.completed(attempt) ? 1 : 0;
            while (attempts.get(from).attemptStartNanos() <= attempt.attemptStartNanos() - window) {
                halfOpen -= halfOpen(attempts.get(from)) ? 1 : 0;
                completed -= Records.completed(attempts.get(from)) ? 1 : 0;
                from++;
            }
            int inWindow = i - from + 1;
            boolean alarm = halfOpen / windowSeconds >= settings.floodMinRate()
                    && (double) completed / inWindow <= settings.floodMaxCompletion();
            if (alarm) {
                int[] last = episodes.isEmpty() ? null : episodes.get(episodes.size() - 1);
                if (last != null && from <= last[1] + 1) {
                    last[1] = i;
                } else {
                    episodes.add(new int[] {from, i});
                }
                peak = Math.max(peak, halfOpen);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (int[] episode : episodes) {
            List<ConnectionRecord> flood = attempts.subList(episode[0], episode[1] + 1);
            if (flood.stream().filter(SynFloodDetector::halfOpen).count() >= settings.floodMinHalfOpen()) {
                findings.add(flood(FindingType.SYN_FLOOD, Severity.ERROR, service, flood, attempts, captureEnd,
                        peak / windowSeconds));
            }
        }
        return findings;
    }

    private Finding flood(FindingType type, Severity severity, String service, List<ConnectionRecord> flood,
            List<ConnectionRecord> allAttempts, long captureEnd, double peakRate) {
        long syns = flood.stream().mapToLong(attempt -> 1L + attempt.synRetries()).sum();
        List<ConnectionRecord> hanging = flood.stream().filter(SynFloodDetector::halfOpen).toList();
        long completed = flood.stream().filter(Records::completed).count();
        AddressSet sources = new AddressSet();
        flood.forEach(attempt -> sources.add(attempt.originatorHigh(), attempt.originatorLow()));
        AddressSet everCompleted = new AddressSet();
        allAttempts.stream().filter(Records::completed)
                .forEach(attempt -> everCompleted.add(attempt.originatorHigh(), attempt.originatorLow()));
        long[] spoofed = {0};
        sources.forEach((high, low) -> everCompleted.contains(high, low) ? 0 : spoofed[0]++);
        long spoofedLooking = spoofed[0];
        long synAckRetries = hanging.stream().mapToLong(ConnectionRecord::synAckRetries).sum();
        long cookieSigns = hanging.stream().filter(attempt -> attempt.outcome() == Outcome.NO_FINAL_ACK
                && attempt.synAckRetries() == 0 && attempt.attemptStartNanos() + SYN_ACK_RETRY_DUE <= captureEnd).count();
        long start = flood.get(0).attemptStartNanos();
        long end = flood.get(flood.size() - 1).attemptStartNanos();
        double ratio = (double) completed / flood.size();
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("syns", syns);
        counts.put("attempts", flood.size());
        counts.put("half_open", hanging.size());
        counts.put("completed", completed);
        counts.put("completion_ratio", HandshakeFailureDetector.round(ratio));
        counts.put("peak_half_open_per_second", HandshakeFailureDetector.round(peakRate));
        counts.put("sources", sources.size());
        counts.put("spoofed_looking_sources", spoofedLooking);
        counts.put("syn_ack_retries", synAckRetries);
        counts.put("syn_cookie_signs", cookieSigns);
        String message = service + " got " + Records.count(syns, "SYN") + " in "
                + String.format(java.util.Locale.ROOT, "%.1f s", (end - start) / 1e9) + " ("
                + Records.count(hanging.size(), "half-open attempt") + ", peak "
                + String.format(java.util.Locale.ROOT, "%.0f", peakRate) + "/s); only " + Records.percent(ratio)
                + " completed; " + Records.count(sources.size(), "source") + ", " + Records.number(spoofedLooking)
                + " of which never completed a handshake" + (cookieSigns > 0
                        ? "; " + Records.number(cookieSigns) + " SYN-ACKs never sent again suggest SYN cookies" : "") + ".";
        return new Finding(type, severity, service, start, Math.max(end, Records.last(flood)), counts,
                Records.uids(hanging), Records.evidence(hanging), message);
    }

    /** @param closed the service's connections closed by a FIN or RST */
    private List<Finding> cusum(String service, List<ConnectionRecord> attempts, List<ConnectionRecord> closed,
            List<Finding> floods, long captureStart, long captureEnd) {
        long interval = settings.cusumIntervalNanos();
        long last = Math.max(Records.last(attempts), attempts.get(attempts.size() - 1).attemptStartNanos());
        int intervals = (int) Math.min(1_000_000, (last - captureStart) / interval + 1);
        long[] syns = new long[intervals];
        long[] closes = new long[intervals];
        long[] hanging = new long[intervals];
        for (ConnectionRecord attempt : attempts) {
            int bucket = bucket(attempt.attemptStartNanos(), captureStart, interval, intervals);
            syns[bucket]++;
            hanging[bucket] += halfOpen(attempt) ? 1 : 0;
        }
        for (ConnectionRecord record : closed) {
            closes[bucket(record.endNanos(), captureStart, interval, intervals)]++;
        }
        // y[n]: the cumulative sum after interval n
        double[] y = new double[intervals];
        double average = closes[0];
        double sum = 0;
        for (int n = 0; n < intervals; n++) {
            double x = (syns[n] - closes[n]) / Math.max(1.0, average) - settings.cusumOffset();
            sum = Math.max(0, sum + x);
            y[n] = sum;
            average = 0.5 * average + 0.5 * closes[n];
        }
        // an episode: a run of intervals with a positive sum that passed the threshold
        List<Finding> findings = new ArrayList<>();
        int n = 0;
        while (n < intervals) {
            if (y[n] == 0) {
                n++;
                continue;
            }
            int first = n;
            boolean alarm = false;
            long peak = 0;
            while (n < intervals && y[n] > 0) {
                alarm |= y[n] > settings.cusumThreshold();
                peak = Math.max(peak, hanging[n]);
                n++;
            }
            long from = captureStart + first * interval;
            long to = captureStart + (long) n * interval;
            List<ConnectionRecord> episode = attempts.stream()
                    .filter(a -> a.attemptStartNanos() >= from && a.attemptStartNanos() < to).toList();
            boolean covered = floods.stream().anyMatch(f -> f.startNanos() < to && f.endNanos() >= from);
            if (alarm && !covered && !episode.isEmpty()
                    && episode.stream().filter(SynFloodDetector::halfOpen).count() >= settings.floodMinHalfOpen()) {
                findings.add(flood(FindingType.SYN_FLOOD_SLOW, Severity.WARNING, service, episode, attempts,
                        captureEnd, peak / (interval / 1e9)));
            }
        }
        return findings;
    }

    private static int bucket(long time, long start, long interval, int intervals) {
        return (int) Math.max(0, Math.min(intervals - 1, (time - start) / interval));
    }

    private static boolean closedByFinOrRst(ConnectionRecord record) {
        return switch (record.outcome()) {
            case COMPLETE, REFUSED, RESET, RESET_IN_HANDSHAKE, HALF_OPEN, HALF_CLOSED -> true;
            default -> false;
        };
    }

    private List<Finding> backscatter(List<ConnectionRecord> records) {
        List<Finding> findings = new ArrayList<>();
        List<ConnectionRecord> unsolicited = records.stream().filter(SynFloodDetector::unsolicited).toList();
        Records.group(unsolicited, SynFloodDetector::sender).forEach((host, sent) -> {
            Set<String> targets = new HashSet<>();
            sent.forEach(record -> targets.add(receiver(record)));
            if (targets.size() < settings.backscatterMinHosts()) {
                return;
            }
            Map<String, Number> counts = new LinkedHashMap<>();
            long synAcks = sent.stream().filter(r -> Character.toLowerCase(firstLetter(r)) == 'h').count();
            counts.put("segments", sent.size());
            counts.put("syn_acks", synAcks);
            counts.put("resets", sent.size() - synAcks);
            counts.put("addresses", targets.size());
            String message = host + " sent " + Records.count(synAcks, "SYN-ACK") + " and "
                    + Records.count(sent.size() - synAcks, "RST") + " answering nothing seen, to "
                    + Records.count(targets.size(), "address", "addresses")
                    + ": backscatter of a flood that spoofs those addresses.";
            findings.add(new Finding(FindingType.BACKSCATTER, Severity.NOTE, host, Records.first(sent),
                    Records.last(sent), counts, Records.uids(sent), Records.evidence(sent), message));
        });
        return findings;
    }

    /** A record of only one side's packets, starting with a SYN-ACK or RST: it answers nothing seen. */
    private static boolean unsolicited(ConnectionRecord record) {
        char first = Character.toLowerCase(firstLetter(record));
        return (first == 'h' || first == 'r') && (record.originatorPackets() == 0 || record.responderPackets() == 0);
    }

    private static char firstLetter(ConnectionRecord record) {
        String history = record.history().startsWith("^") ? record.history().substring(1) : record.history();
        return history.isEmpty() ? ' ' : history.charAt(0);
    }

    private static String sender(ConnectionRecord record) {
        return record.originatorPackets() > 0 ? record.originatorAddress() : record.responderAddress();
    }

    private static String receiver(ConnectionRecord record) {
        return record.originatorPackets() > 0 ? record.responderAddress() : record.originatorAddress();
    }
}
