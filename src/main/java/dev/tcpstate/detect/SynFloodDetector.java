package dev.tcpstate.detect;

import dev.tcpstate.flow.ConnectionRecord;
import dev.tcpstate.state.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SYN floods per destination service (docs/findings.md, TS301–TS303). Counts half-open attempts,
 * not raw SYNs, so a busy healthy server does not alarm:
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
 * Records come as they end, not as their attempts began, so attempts are counted into time
 * buckets by when they began (a window is a whole number of buckets; sources as
 * {@link DistinctAddresses}, a few examples each); the windows are judged at the end. Memory goes
 * with the services and the seconds they saw attempts in, not with the attempts.
 * <p>
 * A flood's peak is the same number everywhere ({@link #peakPerSecond}): the most of its half-open
 * attempts that began in one second, in one-second buckets counted from the capture's first
 * packet, as the CUSUM intervals are. The alarm itself still compares the window's average.
 */
final class SynFloodDetector {
    /** Past this long after a SYN-ACK, Linux would have sent it again (1 s initial RTO, doubled). */
    private static final long SYN_ACK_RETRY_DUE = 3_000_000_000L;
    /** The longest bucket: windows and CUSUM intervals are whole numbers of buckets. */
    private static final long MAX_BUCKET = 1_000_000_000L;

    private final DetectorSettings settings;
    private final long bucketNanos;
    /** Buckets in a second: a bucket divides a second, so seconds are whole numbers of buckets. */
    private final long bucketsPerSecond;
    private long origin = Long.MIN_VALUE;
    private final Map<Records.ServiceKey, Service> services = new HashMap<>();
    private final Map<Records.HostKey, Backscatter> backscatter = new HashMap<>();

    /** One service's attempts by the bucket they began in, and its closes by CUSUM interval. */
    private static final class Service {
        final String name;
        final TreeMap<Long, Bucket> buckets = new TreeMap<>();
        final TreeMap<Long, long[]> closes = new TreeMap<>();
        final DistinctAddresses completedSources = new DistinctAddresses();
        long lastAttemptTime = Long.MIN_VALUE;
        // the bucket the last attempt went to: records end roughly in time order, so most go there too
        long lastBucketKey = Long.MIN_VALUE;
        Bucket lastBucket;

        Service(String name) {
            this.name = name;
        }

        Bucket bucket(long key) {
            if (key != lastBucketKey) {
                lastBucket = buckets.computeIfAbsent(key, k -> new Bucket());
                lastBucketKey = key;
            }
            return lastBucket;
        }
    }

    /** The attempts that began in one bucket of time at one service. */
    private static final class Bucket {
        long attempts;
        long halfOpen;
        long completed;
        long syns;
        long synAckRetries;
        long cookieSigns;
        long firstStart = Long.MAX_VALUE;
        long lastStart = Long.MIN_VALUE;
        long lastEnd = Long.MIN_VALUE;
        final DistinctAddresses sources = new DistinctAddresses();
        /** Half-open attempts, the first few by start. */
        final Exemplars hanging = new Exemplars();

        /** Adds another bucket's attempts to this one's. */
        void add(Bucket other) {
            attempts += other.attempts;
            halfOpen += other.halfOpen;
            completed += other.completed;
            syns += other.syns;
            synAckRetries += other.synAckRetries;
            cookieSigns += other.cookieSigns;
            firstStart = Math.min(firstStart, other.firstStart);
            lastStart = Math.max(lastStart, other.lastStart);
            lastEnd = Math.max(lastEnd, other.lastEnd);
            sources.addAll(other.sources);
            hanging.addAll(other.hanging);
        }
    }

    /** Unsolicited SYN-ACKs and RSTs one host sent. */
    private static final class Backscatter {
        final String host;
        long segments;
        long synAcks;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final DistinctAddresses targets = new DistinctAddresses();
        final Exemplars exemplars = new Exemplars();

        Backscatter(String host) {
            this.host = host;
        }
    }

    SynFloodDetector(DetectorSettings settings) {
        this.settings = settings;
        long gcd = gcd(gcd(settings.floodWindowNanos(), settings.cusumIntervalNanos()), MAX_BUCKET);
        this.bucketNanos = Math.max(1, gcd);
        this.bucketsPerSecond = MAX_BUCKET / bucketNanos;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Buckets and intervals count from the capture's first packet. */
    void begin(long captureStart) {
        if (origin == Long.MIN_VALUE) {
            origin = captureStart;
        }
    }

    /** Attempts left hanging: no answer, or a SYN-ACK nobody acknowledged, or reset before completing. */
    static boolean halfOpen(ConnectionRecord attempt) {
        return !Records.completed(attempt) && attempt.outcome() != Outcome.REFUSED;
    }

    /**
     * One record, final at {@code finalNanos}: a SYN-ACK not sent again although 3 s passed by
     * then is a sign of SYN cookies.
     */
    void accept(ConnectionRecord record, long finalNanos) {
        begin(record.attemptStartNanos());
        if (unsolicited(record)) {
            boolean fromOriginator = record.originatorPackets() > 0;
            long high = fromOriginator ? record.originatorHigh() : record.responderHigh();
            long low = fromOriginator ? record.originatorLow() : record.responderLow();
            Backscatter sender = Records.host(backscatter, high, low, Backscatter::new);
            sender.segments++;
            sender.synAcks += Character.toLowerCase(firstLetter(record)) == 'h' ? 1 : 0;
            sender.first = Math.min(sender.first, record.attemptStartNanos());
            sender.last = Math.max(sender.last, record.endNanos());
            sender.targets.add(fromOriginator ? record.responderHigh() : record.originatorHigh(),
                    fromOriginator ? record.responderLow() : record.originatorLow());
            sender.exemplars.offer(record);
        }
        boolean attempt = Records.isAttempt(record);
        boolean closed = closedByFinOrRst(record);
        if (!attempt && !closed) {
            return;
        }
        Service service = Records.service(services, record, Service::new);
        if (closed) {
            service.closes.computeIfAbsent(Math.floorDiv(record.endNanos() - origin, settings.cusumIntervalNanos()),
                    key -> new long[1])[0]++;
        }
        if (!attempt) {
            return;
        }
        long start = record.attemptStartNanos();
        service.lastAttemptTime = Math.max(service.lastAttemptTime, Math.max(start, record.endNanos()));
        Bucket bucket = service.bucket(Math.floorDiv(start - origin, bucketNanos));
        bucket.attempts++;
        bucket.syns += 1L + record.synRetries();
        bucket.firstStart = Math.min(bucket.firstStart, start);
        bucket.lastStart = Math.max(bucket.lastStart, start);
        bucket.lastEnd = Math.max(bucket.lastEnd, record.endNanos());
        bucket.sources.add(record.originatorHigh(), record.originatorLow());
        if (Records.completed(record)) {
            bucket.completed++;
            service.completedSources.add(record.originatorHigh(), record.originatorLow());
        }
        if (halfOpen(record)) {
            bucket.halfOpen++;
            bucket.synAckRetries += record.synAckRetries();
            bucket.cookieSigns += record.outcome() == Outcome.NO_FINAL_ACK && record.synAckRetries() == 0
                    && start + SYN_ACK_RETRY_DUE <= finalNanos ? 1 : 0;
            bucket.hanging.offer(start, record.tsNanos(), record);
        }
    }

    List<Finding> findings(long captureStart, long captureEnd) {
        List<Finding> findings = new ArrayList<>();
        services.values().forEach(service -> {
            if (service.buckets.isEmpty()) {
                return;
            }
            List<Finding> floods = thresholdAlarm(service);
            findings.addAll(floods);
            findings.addAll(cusum(service, floods, captureStart));
        });
        backscatter.values().forEach(sender -> {
            if (sender.targets.size() >= settings.backscatterMinHosts()) {
                findings.add(backscatter(sender));
            }
        });
        return findings;
    }

    private List<Finding> thresholdAlarm(Service service) {
        long windowBuckets = Math.max(1, settings.floodWindowNanos() / bucketNanos);
        double windowSeconds = settings.floodWindowNanos() / 1e9;
        List<int[]> episodes = new ArrayList<>(); // [first, last] index into keys
        List<Long> keys = new ArrayList<>(service.buckets.keySet());
        List<Bucket> buckets = new ArrayList<>(service.buckets.values());
        int from = 0;
        long halfOpen = 0;
        long completed = 0;
        long attempts = 0;
        for (int i = 0; i < keys.size(); i++) {
            Bucket bucket = buckets.get(i);
            halfOpen += bucket.halfOpen;
            completed += bucket.completed;
            attempts += bucket.attempts;
            while (keys.get(from) <= keys.get(i) - windowBuckets) {
                Bucket old = buckets.get(from++);
                halfOpen -= old.halfOpen;
                completed -= old.completed;
                attempts -= old.attempts;
            }
            boolean alarm = halfOpen / windowSeconds >= settings.floodMinRate()
                    && (double) completed / attempts <= settings.floodMaxCompletion();
            if (alarm) {
                int[] last = episodes.isEmpty() ? null : episodes.get(episodes.size() - 1);
                // one episode while the alarmed windows overlap or touch in time: keys are the
                // buckets that saw attempts, so the next one may be long after the last
                if (last != null && keys.get(from) <= keys.get(last[1]) + 1) {
                    last[1] = i;
                } else {
                    episodes.add(new int[] {from, i});
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (int[] episode : episodes) {
            long first = keys.get(episode[0]);
            long end = keys.get(episode[1]) + 1;
            Bucket flood = episode(service, first, end);
            if (flood.halfOpen >= settings.floodMinHalfOpen()) {
                findings.add(flood(FindingType.SYN_FLOOD, Severity.ERROR, service, flood,
                        peakPerSecond(service.buckets.subMap(first, end))));
            }
        }
        return findings;
    }

    /**
     * The most half-open attempts among {@code buckets} that began in one second: seconds are
     * one-second buckets counted from the capture's first packet (bucket keys count from there).
     */
    private long peakPerSecond(java.util.SortedMap<Long, Bucket> buckets) {
        long peak = 0;
        long second = Long.MIN_VALUE;
        long count = 0;
        for (Map.Entry<Long, Bucket> entry : buckets.entrySet()) {
            long s = Math.floorDiv(entry.getKey(), bucketsPerSecond);
            if (s != second) {
                second = s;
                count = 0;
            }
            count += entry.getValue().halfOpen;
            peak = Math.max(peak, count);
        }
        return peak;
    }

    /**
     * The most attempts, and half-open attempts, that began in one second at all services together
     * (one-second buckets from the capture's first packet): the timeline's peaks. The services'
     * buckets are merged in time order; nothing is kept but a cursor per service.
     */
    Timeline.Peaks peaksPerSecond() {
        record Cursor(java.util.Iterator<Map.Entry<Long, Bucket>> rest, Map.Entry<Long, Bucket> head) {
        }
        java.util.PriorityQueue<Cursor> queue = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingLong((Cursor c) -> c.head().getKey()));
        services.values().forEach(service -> {
            var rest = service.buckets.entrySet().iterator();
            if (rest.hasNext()) {
                queue.add(new Cursor(rest, rest.next()));
            }
        });
        long second = Long.MIN_VALUE;
        long attempts = 0;
        long halfOpen = 0;
        long peakAttempts = 0;
        long peakHalfOpen = 0;
        while (!queue.isEmpty()) {
            Cursor cursor = queue.poll();
            long s = Math.floorDiv(cursor.head().getKey(), bucketsPerSecond);
            if (s != second) {
                second = s;
                attempts = 0;
                halfOpen = 0;
            }
            attempts += cursor.head().getValue().attempts;
            halfOpen += cursor.head().getValue().halfOpen;
            peakAttempts = Math.max(peakAttempts, attempts);
            peakHalfOpen = Math.max(peakHalfOpen, halfOpen);
            if (cursor.rest().hasNext()) {
                queue.add(new Cursor(cursor.rest(), cursor.rest().next()));
            }
        }
        return new Timeline.Peaks(peakAttempts, peakHalfOpen);
    }

    /** The attempts of buckets [from, to) together, as one bucket. */
    private static Bucket episode(Service service, long from, long to) {
        Bucket episode = new Bucket();
        service.buckets.subMap(from, to).values().forEach(episode::add);
        return episode;
    }

    private Finding flood(FindingType type, Severity severity, Service service, Bucket flood, long peak) {
        long spoofedLooking = flood.sources.notIn(service.completedSources);
        long start = flood.firstStart;
        long end = flood.lastStart;
        double ratio = (double) flood.completed / flood.attempts;
        long sources = flood.sources.size();
        Map<String, Number> counts = new LinkedHashMap<>();
        counts.put("syns", flood.syns);
        counts.put("attempts", flood.attempts);
        counts.put("half_open", flood.halfOpen);
        counts.put("completed", flood.completed);
        counts.put("completion_ratio", HandshakeFailureDetector.round(ratio));
        counts.put("peak_half_open_per_second", peak);
        counts.put("sources", sources);
        counts.put("spoofed_looking_sources", spoofedLooking);
        counts.put("syn_ack_retries", flood.synAckRetries);
        counts.put("syn_cookie_signs", flood.cookieSigns);
        String message = service.name + " got " + Records.count(flood.syns, "SYN") + " in "
                + String.format(java.util.Locale.ROOT, "%.1f s", (end - start) / 1e9) + " ("
                + Records.count(flood.halfOpen, "half-open attempt") + ", peak " + Records.number(peak)
                + " half-open attempts/s); only " + Records.percent(ratio)
                + " completed; " + Records.count(sources, "source") + ", " + Records.number(spoofedLooking)
                + " of which never completed a handshake" + (flood.cookieSigns > 0
                        ? "; " + Records.number(flood.cookieSigns) + " SYN-ACKs never sent again suggest SYN cookies"
                        : "") + ".";
        return new Finding(type, severity, service.name, start, Math.max(end, flood.lastEnd), counts,
                flood.hanging.uids(), flood.hanging.evidence(), message);
    }

    private List<Finding> cusum(Service service, List<Finding> floods, long captureStart) {
        long interval = settings.cusumIntervalNanos();
        long perInterval = Math.max(1, interval / bucketNanos);
        // intervals count from the capture's first packet; attempts before it count in the first
        long shift = Math.floorDiv(captureStart - origin, interval);
        int intervals = (int) Math.min(1_000_000, Math.max(0, (service.lastAttemptTime - captureStart) / interval) + 1);
        long[] syns = new long[intervals];
        long[] closes = new long[intervals];
        service.buckets.forEach((key, bucket) -> {
            int n = clamp(Math.floorDiv(key, perInterval) - shift, intervals);
            syns[n] += bucket.attempts;
        });
        service.closes.forEach((key, count) -> closes[clamp(key - shift, intervals)] += count[0]);
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
            while (n < intervals && y[n] > 0) {
                alarm |= y[n] > settings.cusumThreshold();
                n++;
            }
            long fromTime = captureStart + first * interval;
            long toTime = captureStart + (long) n * interval;
            long from = (first + shift) * perInterval;
            long to = (n + shift) * perInterval;
            Bucket episode = episode(service, from, to);
            boolean covered = floods.stream().anyMatch(f -> f.startNanos() < toTime && f.endNanos() >= fromTime);
            if (alarm && !covered && episode.attempts > 0 && episode.halfOpen >= settings.floodMinHalfOpen()) {
                findings.add(flood(FindingType.SYN_FLOOD_SLOW, Severity.WARNING, service, episode,
                        peakPerSecond(service.buckets.subMap(from, to))));
            }
        }
        return findings;
    }

    private static int clamp(long index, int intervals) {
        return (int) Math.max(0, Math.min(intervals - 1, index));
    }

    private static boolean closedByFinOrRst(ConnectionRecord record) {
        return switch (record.outcome()) {
            case COMPLETE, REFUSED, RESET, RESET_IN_HANDSHAKE, HALF_OPEN, HALF_CLOSED -> true;
            default -> false;
        };
    }

    private static Finding backscatter(Backscatter sent) {
        Map<String, Number> counts = new LinkedHashMap<>();
        long targets = sent.targets.size();
        counts.put("segments", sent.segments);
        counts.put("syn_acks", sent.synAcks);
        counts.put("resets", sent.segments - sent.synAcks);
        counts.put("addresses", targets);
        String message = sent.host + " sent " + Records.count(sent.synAcks, "SYN-ACK") + " and "
                + Records.count(sent.segments - sent.synAcks, "RST") + " answering nothing seen, to "
                + Records.count(targets, "address", "addresses")
                + ": backscatter of a flood that spoofs those addresses.";
        return new Finding(FindingType.BACKSCATTER, Severity.NOTE, sent.host, sent.first, sent.last, counts,
                sent.exemplars.uids(), sent.exemplars.evidence(), message);
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
}
