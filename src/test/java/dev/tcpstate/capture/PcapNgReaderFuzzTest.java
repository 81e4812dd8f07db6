package dev.tcpstate.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * pcapng files of any bytes, read the ways the CLI reads them (see {@link CaptureFuzzing}). The
 * same entry as the pcap target, since the magic picks the reader; the seeds (the pcapng samples,
 * one with several interfaces) keep this one's mutations inside pcapng blocks.
 */
class PcapNgReaderFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void readsAnyBytesOrSaysWhyNot(byte[] capture) throws Exception {
        CaptureFuzzing.readEveryWay(capture);
    }
}
