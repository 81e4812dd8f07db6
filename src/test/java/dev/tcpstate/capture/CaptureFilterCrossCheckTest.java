package dev.tcpstate.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcpstate.testing.Environment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A filter on a file keeps exactly the frames {@code tcpdump -r FILE FILTER} prints: libpcap
 * compiles it, the Java BPF machine runs it. Compared frame by frame (by timestamp) on samples
 * of several link types (Ethernet, Linux cooked v2, pcapng with two link types).
 */
class CaptureFilterCrossCheckTest {
    static Stream<Arguments> cases() {
        List<String> filters = List.of("tcp port 8080", "src host 10.200.0.2 and tcp[tcpflags] & tcp-fin != 0",
                "greater 100", "ip6", "net 10.201.0.0/16 and tcp[tcpflags] == tcp-syn", "not tcp", "arp or icmp",
                "tcp[13] & 4 != 0", "ip[8] < 64", "vlan or tcp dst port 40000");
        // (tcpdump cannot read multi-if.pcapng: its two interfaces have two link types; below)
        List<String> samples = List.of("client-close.pcap", "syn-flood.pcap", "ipv6-client-close.pcap",
                "client-close-sll2.pcap", "half-open.pcap", "client-close-ns.pcap");
        List<Arguments> cases = new ArrayList<>();
        for (String sample : samples) {
            for (String filter : filters) {
                cases.add(Arguments.of(sample, filter));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void keepsTheFramesTcpdumpKeeps(String sample, String filter) throws IOException {
        assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed");
        assumeTrue(!Environment.run("tcpdump", "--version").isEmpty(), "tcpdump is not installed");
        String path = Environment.samples().resolve(sample).toString();
        boolean cooked = sample.equals("client-close-sll2.pcap") || sample.equals("syn-flood.pcap"); // tcpdump -i any
        if (cooked && filter.contains("vlan")) {
            // libpcap has no VLAN test for Linux cooked captures: tcpdump refuses the filter, and so do we
            assertThat(Environment.run("tcpdump", "-r", path, filter)).isEmpty();
            assertThatThrownBy(() -> read(path, filter)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LINUX_SLL2").hasMessageContaining("VLAN");
            return;
        }
        List<String> tcpdump = Environment.run("tcpdump", "-nn", "-tt", "--nano", "-r", path, filter).lines()
                .map(line -> line.substring(0, line.indexOf(' '))).toList();

        assertThat(read(path, filter)).isEqualTo(tcpdump);
    }

    /** multi-if.pcapng: an Ethernet interface (the veth exchange) and a Linux cooked one (loopback). */
    @org.junit.jupiter.api.Test
    void compilesTheFilterForEachLinkTypeOfAPcapng() throws IOException {
        assumeTrue(Environment.libpcapAvailable(), "libpcap is not installed");
        String path = Environment.samples().resolve("multi-if.pcapng").toString();
        List<Integer> all = linkTypes(path, null);
        List<Integer> veth = linkTypes(path, "host 10.200.0.2");
        List<Integer> loopback = linkTypes(path, "host 127.0.0.1");
        assertThat(veth).isNotEmpty().containsOnly(1);
        assertThat(loopback).isNotEmpty().containsOnly(113);
        assertThat(veth.size() + loopback.size()).isEqualTo(all.size());
    }

    private static List<Integer> linkTypes(String path, String filter) throws IOException {
        List<Integer> types = new ArrayList<>();
        FrameSelection selection = new FrameSelection(filter, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
        Frame frame = new Frame();
        try (PacketSource source = SelectedSource.of(CaptureFiles.open(path), selection)) {
            while (source.next(frame)) {
                types.add(frame.linkType());
            }
        }
        return types;
    }

    /** The timestamps of the frames the filter keeps, as tcpdump -tt --nano prints them. */
    private static List<String> read(String path, String filter) throws IOException {
        List<String> ours = new ArrayList<>();
        FrameSelection selection = new FrameSelection(filter, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
        Frame frame = new Frame();
        try (PacketSource source = SelectedSource.of(CaptureFiles.open(path), selection)) {
            while (source.next(frame)) {
                long t = frame.timestampNanos();
                ours.add(String.format("%d.%09d", Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L)));
            }
        }
        return ours;
    }
}
