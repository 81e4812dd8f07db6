package dev.tcpstate.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Classic pcap files of any bytes, read the ways the CLI reads them (see {@link CaptureFuzzing}).
 * The seeds are the small pcap samples; {@code docs/fuzzing.md} says how to fuzz for longer.
 */
class PcapReaderFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void readsAnyBytesOrSaysWhyNot(byte[] capture) throws Exception {
        CaptureFuzzing.readEveryWay(capture);
    }
}
