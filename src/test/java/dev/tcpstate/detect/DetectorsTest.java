package dev.tcpstate.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpstate.analysis.Analysis;
import dev.tcpstate.analysis.AnalysisConfig;
import dev.tcpstate.analysis.Analyzer;
import dev.tcpstate.testing.TrafficScript;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each detector on synthetic traffic, through the whole pipeline, including the edge cases. */
class DetectorsTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_800_000_000L * S;
    private static final String SERVER = "10.0.0.2";

    @TempDir
    Path dir;

    /** Spoofed SYNs towards 10.0.0.2:8080 every {@code spacing}, and 20 healthy connections among them. */
    private static TrafficScript floodAndTwentyClients(int spoofed, long spacing, long clientSpacing) {
        TrafficScript script = new TrafficScript();
        for (int i = 0; i < spoofed; i++) {
            script.spoofedSyn(T0 + i * spacing, "10.201." + (i / 200) + "." + (i % 200 + 1), 1024 + i, SERVER, 8080);
        }
        for (int i = 0; i < 20; i++) {
            script.connection(T0 + i * clientSpacing, "10.0.0.1", 50000 + i, SERVER, 8080, 2 * MS, true);
        }
        return script;
    }

    private Analysis analyze(TrafficScript script) throws IOException {
        return analyze(script, DetectorSettings.DEFAULTS);
    }

    private Analysis analyze(TrafficScript script, DetectorSettings settings) throws IOException {
        Path file = script.writeTo(dir.resolve("traffic.pcap"));
        return new Analyzer(AnalysisConfig.defaults()).analyze(List.of(file.toString()), settings, 20);
    }

    private static List<Finding> of(Analysis analysis, FindingType type) {
        return analysis.findings().stream().filter(f -> f.type() == type).toList();
    }

    private static List<FindingType> types(Analysis analysis) {
        return analysis.findings().stream().map(Finding::type).toList();
    }

    @Test
    void oneSynRetriedManyTimesIsOneFailureNotMany() throws IOException {
        // Linux's schedule: 0, 1, 3, 7, 15, 31 s; Zeek's attempt timer cuts it into several records
        TrafficScript script = new TrafficScript().unanswered("10.0.0.1", 40000, SERVER, 8443,
                T0, T0 + S, T0 + 3 * S, T0 + 7 * S, T0 + 15 * S, T0 + 31 * S);
        Analysis analysis = analyze(script);
        assertThat(analysis.connections().total()).isGreaterThan(1);
        assertThat(of(analysis, FindingType.HANDSHAKE_UNANSWERED)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("10.0.0.2:8443");
            assertThat(f.counts().get("failures")).isEqualTo(1L);
            assertThat(f.counts().get("attempts")).isEqualTo(1L);
            assertThat(f.counts().get("syn_retries")).isEqualTo(5L);
            assertThat(f.startNanos()).isEqualTo(T0);
        });
        assertThat(types(analysis)).doesNotContain(FindingType.SYN_FLOOD, FindingType.SYN_FLOOD_SLOW);
    }

    @Test
    void handshakeFailuresAreCountedPerServiceAndClassWithRates() throws IOException {
        TrafficScript script = new TrafficScript();
        for (int i = 0; i < 20; i++) {
            script.connection(T0 + i * 100 * MS, "10.0.0.1", 30000 + i, SERVER, 80, 2 * MS, true);
        }
        for (int i = 0; i < 30; i++) {
            script.refused(T0 + i * 50 * MS, "10.0.0.1", 31000 + i, SERVER, 81);
        }
        script.refused(T0, "10.0.0.1", 32000, SERVER, 80);
        Analysis analysis = analyze(script);
        List<Finding> refused = of(analysis, FindingType.HANDSHAKE_REFUSED);
        assertThat(refused).hasSize(2);
        Finding closedPort = refused.stream().filter(f -> f.subject().equals("10.0.0.2:81")).findFirst().orElseThrow();
        assertThat(closedPort.severity()).as("every attempt refused, 30 of them").isEqualTo(Severity.ERROR);
        assertThat(closedPort.counts()).containsEntry("failures", 30L).containsEntry("attempts", 30L)
                .containsEntry("failure_ratio", 1.0);
        Finding openPort = refused.stream().filter(f -> f.subject().equals("10.0.0.2:80")).findFirst().orElseThrow();
        assertThat(openPort.severity()).as("1 of 21").isEqualTo(Severity.WARNING);
        assertThat(openPort.counts()).containsEntry("failures", 1L).containsEntry("attempts", 21L);
        assertThat(closedPort.evidence()).hasSize(5);
    }

    @Test
    void aScanOfMoreServicesThanTheCapCountsTheRestTogether() throws IOException {
        // one refused SYN to each of 65,636 ports of three hosts: the first 65,536 services get
        // their own finding, the 100 after them one together, and none is lost from the totals
        TrafficScript script = new TrafficScript();
        int services = Records.MAX_SERVICES + 100;
        for (int i = 0; i < services; i++) {
            script.refused(T0 + i * 10_000L, "10.0.0.1", 40000 + i % 20000, "10.9." + i / 30000 + ".1",
                    1 + i % 30000);
        }
        Analysis analysis = analyze(script);
        List<Finding> refused = of(analysis, FindingType.HANDSHAKE_REFUSED);
        assertThat(refused).hasSize(Records.MAX_SERVICES + 1);
        assertThat(refused).filteredOn(f -> f.subject().equals(Records.OTHER_SERVICES)).singleElement()
                .satisfies(f -> assertThat(f.counts()).containsEntry("failures", 100L).containsEntry("attempts", 100L));
        assertThat(analysis.detection().handshakeFailures()).containsEntry(FindingType.HANDSHAKE_REFUSED,
                (long) services);
    }

    @Test
    void moreClientHostsInTimeWaitThanTheCapCountTheRestTogether() throws IOException {
        // 65,636 clients, each closing one connection first: every one holds a TIME-WAIT
        TrafficScript script = new TrafficScript();
        int hosts = Records.MAX_HOSTS + 100;
        for (int i = 0; i < hosts; i++) {
            script.connection(T0 + i * 10_000L, "10." + (1 + i / 65_536) + "." + (i / 256 % 256) + "." + (i % 256),
                    40000, SERVER, 80, 2 * MS, true);
        }
        DetectorSettings one = new DetectorSettings(1, 0.5, 10, 1, 10 * S, 100, 0.10, 50, 10 * S, 1.0, 1.05, 20,
                60 * S, 1, 10_000, 32768, 60999, 0.25, 0.9);
        Analysis analysis = analyze(script, one);
        java.util.Map<String, Integer> peaks = analysis.detection().timeWaitPeaks();
        assertThat(peaks).as("each host counted alone has its own peak; the rest have none")
                .hasSize(Records.MAX_HOSTS).doesNotContainKey(Records.OTHER_HOSTS).containsEntry("10.1.0.0", 1);
        assertThat(of(analysis, FindingType.TIME_WAIT_BUILDUP)).filteredOn(f -> f.subject().equals(Records.OTHER_HOSTS))
                .singleElement().satisfies(f -> assertThat(f.counts()).containsEntry("entered", 100L));
    }

    @Test
    void aBusyHealthyServerIsNoFlood() throws IOException {
        // 10,000 short, healthy connections a second for 3 s, from many clients
        TrafficScript script = new TrafficScript();
        for (int i = 0; i < 30_000; i++) {
            script.connection(T0 + i * 100_000L, "10.1." + (i / 250 % 250) + "." + (i % 250 + 1), 40000 + i / 62_500,
                    SERVER, 443, 400_000L, true);
        }
        Analysis analysis = analyze(script);
        assertThat(analysis.connections().total()).isEqualTo(30_000);
        assertThat(types(analysis)).doesNotContain(FindingType.SYN_FLOOD, FindingType.SYN_FLOOD_SLOW,
                FindingType.HANDSHAKE_NO_FINAL_ACK, FindingType.HANDSHAKE_UNANSWERED, FindingType.BACKSCATTER);
    }

    @Test
    void aSpoofedFloodIsOneFloodFindingWithItsSynCount() throws IOException {
        TrafficScript script = floodAndTwentyClients(2000, 2_500_000L, 200 * MS);
        Analysis analysis = analyze(script);
        assertThat(of(analysis, FindingType.SYN_FLOOD)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("10.0.0.2:8080");
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.counts()).containsEntry("syns", 2020L).containsEntry("half_open", 2000L)
                    .containsEntry("completed", 20L).containsEntry("sources", 2001L)
                    .containsEntry("spoofed_looking_sources", 2000L);
        });
        assertThat(types(analysis)).as("the flood tells the handshakes' story")
                .doesNotContain(FindingType.SYN_FLOOD_SLOW, FindingType.HANDSHAKE_NO_FINAL_ACK);
    }

    @Test
    void aCappedFlowTableEvictsTheFloodsAttemptsFirstAndFindingsStayRight() throws IOException {
        TrafficScript script = floodAndTwentyClients(3000, 1_000_000L, 150 * MS);
        Path file = script.writeTo(dir.resolve("capped.pcap"));
        AnalysisConfig capped = new AnalysisConfig(dev.tcpstate.decode.ChecksumMode.IGNORE,
                AnalysisConfig.DEFAULT_MSL_NANOS, AnalysisConfig.ZEEK_BASE_SERVER_PORTS,
                dev.tcpstate.flow.ZeekRules.Timeouts.ZEEK_DEFAULTS, 500);
        Analysis analysis = new Analyzer(capped).analyze(List.of(file.toString()), DetectorSettings.DEFAULTS, 20);
        assertThat(analysis.evictedFlows()).isGreaterThanOrEqualTo(2500);
        // the healthy connections were never the ones evicted: they complete as without a cap
        assertThat(analysis.connections().byOutcome()).containsEntry("complete", 20L);
        assertThat(of(analysis, FindingType.SYN_FLOOD)).singleElement()
                .satisfies(f -> assertThat(f.counts()).containsEntry("half_open", 3000L).containsEntry("completed", 20L));
    }

    @Test
    void aSlowFloodBelowTheRateAlarmIsCaughtByCusum() throws IOException {
        TrafficScript script = new TrafficScript();
        for (int second = 0; second < 120; second++) {
            script.connection(T0 + second * S, "10.0.0.1", 20000 + second, SERVER, 25, 2 * MS, true);
            for (int k = 0; k < 3; k++) {
                script.spoofedSyn(T0 + second * S + (k + 1) * 250 * MS, "10.201.7." + (k + 1), 2000 + second, SERVER, 25);
            }
        }
        Analysis analysis = analyze(script);
        assertThat(of(analysis, FindingType.SYN_FLOOD)).as("3 SYN/s is far below 100/s").isEmpty();
        assertThat(of(analysis, FindingType.SYN_FLOOD_SLOW)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("10.0.0.2:25");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.counts().get("half_open").intValue()).isGreaterThanOrEqualTo(300);
        });
    }

    /**
     * {@code perSecond[k]} spoofed SYNs (never acknowledged) towards {@code server}:{@code port} in
     * second k after {@code start}, evenly spread, and {@code healthy} complete connections a second.
     */
    private static void burst(TrafficScript script, long start, int port, int healthy, int... perSecond) {
        for (int second = 0; second < perSecond.length; second++) {
            for (int i = 0; i < perSecond[second]; i++) {
                int n = (int) ((start - T0) / S) * 10_000 + second * 1000 + i;
                script.spoofedSyn(start + second * S + i * (S / perSecond[second]), "10.20" + port % 10 + "."
                        + (n / 250 % 250) + "." + (n % 250 + 1), 1024 + n / 62_500 + port % 1000, SERVER, port);
            }
            for (int i = 0; i < healthy; i++) {
                script.connection(start + second * S + 1 + i * (S / healthy), "10.0.0.1",
                        20000 + (int) ((start - T0) / S % 100) * 100 + second * healthy + i, SERVER, port, 2 * MS, true);
            }
        }
    }

    @Test
    void theFloodPeakIsTheMostHalfOpenAttemptsBegunInOneSecond() throws IOException {
        // 150 half-open attempts a second for 10 s, 418 in the sixth (5 healthy connections a
        // second among them), and 100 s later one more connection elsewhere. The window's average
        // (176.8/s) passes the 100/s alarm; the peak is 418 half-open attempts in one second,
        // counted from the capture's first packet (T0)
        TrafficScript script = new TrafficScript();
        burst(script, T0, 8080, 5, 150, 150, 150, 150, 150, 418, 150, 150, 150, 150);
        script.connection(T0 + 100 * S, "10.0.0.1", 40000, SERVER, 80, 2 * MS, true);
        Analysis analysis = analyze(script);
        assertThat(of(analysis, FindingType.SYN_FLOOD)).singleElement().satisfies(f -> {
            assertThat(f.counts()).containsEntry("half_open", 1768L).containsEntry("completed", 50L)
                    .containsEntry("peak_half_open_per_second", 418L);
            assertThat(f.message()).contains("(1,768 half-open attempts, peak 418 half-open attempts/s)");
        });
        // the timeline (20 buckets of 5 s) reports the same peak, and the attempts' (418 + 5)
        assertThat(analysis.timeline().bucketNanos()).isGreaterThan(4 * S);
        assertThat(analysis.timeline().peaksPerSecond()).isEqualTo(new Timeline.Peaks(423, 418));
    }

    @Test
    void twoFloodsApartAreTwoFindingsEachWithItsOwnPeak() throws IOException {
        // 418 in one second among 150/s, then nothing at the service for 90 s, then 120/s for 10 s
        TrafficScript script = new TrafficScript();
        burst(script, T0, 8080, 5, 150, 150, 150, 150, 150, 418, 150, 150, 150, 150);
        burst(script, T0 + 100 * S, 8080, 0, 120, 120, 120, 120, 120, 120, 120, 120, 120, 120);
        Analysis analysis = analyze(script);
        List<Finding> floods = of(analysis, FindingType.SYN_FLOOD);
        assertThat(floods).hasSize(2);
        assertThat(floods.get(0).counts()).containsEntry("half_open", 1768L)
                .containsEntry("peak_half_open_per_second", 418L);
        assertThat(floods.get(0).endNanos()).isLessThan(T0 + 11 * S);
        assertThat(floods.get(1).counts()).containsEntry("half_open", 1200L)
                .containsEntry("peak_half_open_per_second", 120L);
        assertThat(floods.get(1).startNanos()).isEqualTo(T0 + 100 * S);
        assertThat(floods.get(1).message()).contains("(1,200 half-open attempts, peak 120 half-open attempts/s)");
    }

    @Test
    void theSlowFloodPeakIsTheMostHalfOpenAttemptsBegunInOneSecond() throws IOException {
        // 200 never-completing attempts a second for 3 s: 60/s over the 10 s window is below the
        // rate alarm, CUSUM catches it; its peak is 200 in one second, not 600 per 10 s interval
        TrafficScript script = new TrafficScript();
        burst(script, T0, 25, 0, 200, 200, 200);
        Analysis analysis = analyze(script);
        assertThat(of(analysis, FindingType.SYN_FLOOD)).isEmpty();
        assertThat(of(analysis, FindingType.SYN_FLOOD_SLOW)).singleElement().satisfies(f -> {
            assertThat(f.counts()).containsEntry("half_open", 600L).containsEntry("peak_half_open_per_second", 200L);
            assertThat(f.message()).contains("(600 half-open attempts, peak 200 half-open attempts/s)");
        });
        // the timeline's buckets are 0.15 s: its peak is still that of a whole second
        assertThat(analysis.timeline().bucketNanos()).isLessThan(S);
        assertThat(analysis.timeline().peaksPerSecond()).isEqualTo(new Timeline.Peaks(200, 200));
    }

    @Test
    void peakSecondsCountFromTheCapturesFirstPacketNotFromTheBurst() throws IOException {
        // the first packet at T0, then 300 never-completing attempts evenly over [T0 + 0.5 s,
        // T0 + 1.5 s): half fall in the first second from T0, half in the second
        TrafficScript script = new TrafficScript();
        script.connection(T0, "10.0.0.1", 40000, SERVER, 80, 2 * MS, true);
        for (int i = 0; i < 300; i++) {
            script.spoofedSyn(T0 + S / 2 + i * S / 300, "10.202.0." + (i % 250 + 1), 1024 + i, SERVER, 25);
        }
        Analysis analysis = analyze(script);
        assertThat(of(analysis, FindingType.SYN_FLOOD_SLOW)).singleElement()
                .satisfies(f -> assertThat(f.counts()).containsEntry("half_open", 300L)
                        .containsEntry("peak_half_open_per_second", 150L));
        assertThat(analysis.timeline().peaksPerSecond()).isEqualTo(new Timeline.Peaks(151, 150));
    }

    @Test
    void occasionalFailuresAtABusyServerAreNoSlowFlood() throws IOException {
        TrafficScript script = new TrafficScript();
        for (int i = 0; i < 3000; i++) {
            script.connection(T0 + i * 20 * MS, "10.0.1." + (i % 200 + 1), 20000 + i, SERVER, 25, 2 * MS, true);
        }
        for (int i = 0; i < 6; i++) {
            script.unanswered("10.0.2.1", 30000 + i, SERVER, 25, T0 + i * 10 * S);
        }
        Analysis analysis = analyze(script);
        assertThat(types(analysis)).contains(FindingType.HANDSHAKE_UNANSWERED)
                .doesNotContain(FindingType.SYN_FLOOD, FindingType.SYN_FLOOD_SLOW);
    }

    @Test
    void backscatterIsUnsolicitedSynAcksTowardsManyAddresses() throws IOException {
        TrafficScript many = new TrafficScript();
        for (int i = 0; i < 30; i++) {
            many.unsolicitedSynAck(T0 + i * MS, "192.0.2.80", 80, "10.9.0." + (i + 1), 1000 + i);
        }
        assertThat(of(analyze(many), FindingType.BACKSCATTER)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("192.0.2.80");
            assertThat(f.counts()).containsEntry("addresses", 30L).containsEntry("syn_acks", 30L);
        });
        TrafficScript few = new TrafficScript();
        for (int i = 0; i < 10; i++) {
            few.unsolicitedSynAck(T0 + i * MS, "192.0.2.80", 80, "10.9.0." + (i + 1), 1000 + i);
        }
        assertThat(of(analyze(few), FindingType.BACKSCATTER)).isEmpty();
    }

    @Test
    void halfOpenPeersThatResetOrGoSilent() throws IOException {
        TrafficScript script = new TrafficScript()
                .vanishingServer(T0, "10.0.0.1", 40001, SERVER, 8080, 5, true)
                .vanishingServer(T0, "10.0.0.1", 40002, SERVER, 9090, 4, false);
        Analysis analysis = analyze(script);
        assertThat(of(analysis, FindingType.HALF_OPEN_PEER_RESET)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("10.0.0.2:8080");
            assertThat(f.counts()).containsEntry("connections", 1L).containsEntry("reset_by_server", 1L);
        });
        assertThat(of(analysis, FindingType.HALF_OPEN_PEER_SILENT)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("10.0.0.2:9090");
            assertThat(f.counts()).containsEntry("unanswered_retransmits", 4L);
        });
    }

    @Test
    void dataAfterAResetAndSynAcksWithTheWrongAck() throws IOException {
        TrafficScript script = new TrafficScript();
        long t = T0;
        script.send(t, "10.0.0.1", 40000, SERVER, 80, dev.tcpstate.decode.TcpFlags.SYN, 100, 0, 0)
                .send(t + MS, SERVER, 80, "10.0.0.1", 40000, dev.tcpstate.decode.TcpFlags.SYN | dev.tcpstate.decode.TcpFlags.ACK, 300, 101, 0)
                .send(t + 2 * MS, "10.0.0.1", 40000, SERVER, 80, dev.tcpstate.decode.TcpFlags.ACK, 101, 301, 0)
                .send(t + 3 * MS, SERVER, 80, "10.0.0.1", 40000, dev.tcpstate.decode.TcpFlags.RST, 301, 0, 0)
                .send(t + 4 * MS, "10.0.0.1", 40000, SERVER, 80, dev.tcpstate.decode.TcpFlags.PSH | dev.tcpstate.decode.TcpFlags.ACK, 101, 301, 50)
                .send(t + 5 * MS, "10.0.0.1", 40000, SERVER, 80, dev.tcpstate.decode.TcpFlags.PSH | dev.tcpstate.decode.TcpFlags.ACK, 151, 301, 50);
        script.send(t, "10.0.0.1", 41000, SERVER, 22, dev.tcpstate.decode.TcpFlags.SYN, 100, 0, 0)
                .send(t + MS, SERVER, 22, "10.0.0.1", 41000, dev.tcpstate.decode.TcpFlags.SYN | dev.tcpstate.decode.TcpFlags.ACK, 300, 999, 0)
                .send(t + 2 * MS, "10.0.0.1", 41000, SERVER, 22, dev.tcpstate.decode.TcpFlags.RST, 999, 0, 0);
        Analysis analysis = analyze(script);
        assertThat(of(analysis, FindingType.DATA_AFTER_RESET)).singleElement()
                .satisfies(f -> assertThat(f.counts()).containsEntry("segments", 2L));
        assertThat(of(analysis, FindingType.HANDSHAKE_BAD_SYN_ACK)).singleElement()
                .satisfies(f -> assertThat(f.subject()).isEqualTo("10.0.0.2:22"));
        assertThat(of(analysis, FindingType.CONNECTION_RESET)).singleElement()
                .satisfies(f -> assertThat(f.counts()).containsEntry("reset_by_server", 1L));
    }

    @Test
    void timeWaitSitsWithWhoeverClosesFirstAndItsPeakIsCounted() throws IOException {
        TrafficScript clientCloses = new TrafficScript();
        TrafficScript serverCloses = new TrafficScript();
        for (int i = 0; i < 300; i++) {
            clientCloses.connection(T0 + i * 10 * MS, "10.0.0.1", 40000 + i, SERVER, 80, 2 * MS, true);
            serverCloses.connection(T0 + i * 10 * MS, "10.0.0.1", 40000 + i, SERVER, 80, 2 * MS, false);
        }
        // 61 s later one more: the first ones' TIME-WAIT (60 s) has ended by then
        clientCloses.connection(T0 + 64 * S, "10.0.0.1", 50000, SERVER, 80, 2 * MS, true);

        Analysis client = analyze(clientCloses);
        assertThat(of(client, FindingType.TIME_WAIT_BUILDUP)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("10.0.0.1");
            assertThat(f.counts()).containsEntry("peak", 300L).containsEntry("closed_first_as_client", 301L)
                    .containsEntry("closed_first_as_server", 0L);
            assertThat(f.counts().get("at_end").longValue()).as("only those younger than 60 s").isLessThan(300);
        });
        Analysis server = analyze(serverCloses);
        assertThat(of(server, FindingType.TIME_WAIT_BUILDUP)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo(SERVER);
            assertThat(f.counts()).containsEntry("peak", 300L).containsEntry("at_end", 300L)
                    .containsEntry("closed_first_as_server", 300L);
            assertThat(f.message()).contains("as the server");
        });
    }

    @Test
    void aTimeWaitEndsWhenANewConnectionTakesItsFourTuple() throws IOException {
        TrafficScript script = new TrafficScript();
        for (int round = 0; round < 2; round++) { // the same 300 client ports again 1 s later
            for (int i = 0; i < 300; i++) {
                script.connection(T0 + round * S + i * MS, "10.0.0.1", 40000 + i, SERVER, 80, 2 * MS, false);
            }
        }
        Analysis analysis = analyze(script);
        assertThat(of(analysis, FindingType.TIME_WAIT_BUILDUP)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo(SERVER);
            // each new connection ends its four-tuple's TIME-WAIT: never more than 300 at once
            assertThat(f.counts()).containsEntry("entered", 600L).containsEntry("peak", 300L)
                    .containsEntry("at_end", 300L);
        });
        assertThat(analysis.connections().timeWaitEndpointsAtEnd()).isEqualTo(300L);
    }

    @Test
    void manyPortsTowardsOneDestinationArePortPressure() throws IOException {
        TrafficScript script = new TrafficScript();
        for (int i = 0; i < 8000; i++) {
            script.connection(T0 + i * 2 * MS, "10.0.0.1", 32768 + i, SERVER, 5432, MS, true);
        }
        Analysis analysis = analyze(script);
        assertThat(of(analysis, FindingType.EPHEMERAL_PORT_PRESSURE)).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("10.0.0.1 > 10.0.0.2:5432");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.counts()).containsEntry("ports_in_use_peak", 8000L).containsEntry("ephemeral_ports", 28232L);
        });
        DetectorSettings stricter = new DetectorSettings(1, 0.5, 10, 1, 10 * S, 100, 0.1, 50, 10 * S, 1.0, 1.05, 20,
                60 * S, 100, 10_000, 32768, 60999, 0.25, 0.25);
        assertThat(of(analyze(script, stricter), FindingType.EPHEMERAL_PORT_PRESSURE)).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
    }
}
