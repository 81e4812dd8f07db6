/**
 * Where frames come from. {@link dev.tcpstate.capture.PacketSource} is the one interface every
 * source implements: the pure-Java readers for pcap ({@link dev.tcpstate.capture.PcapReader}) and
 * pcapng ({@link dev.tcpstate.capture.PcapNgReader}) over a file read window by window or a sequential
 * stream (gzip, stdin), and the pcap4j sources for live interfaces
 * ({@link dev.tcpstate.capture.LiveCapture}) and, as a test oracle, for files
 * ({@link dev.tcpstate.capture.Pcap4jFileReader}). Readers hand out one reused
 * {@link dev.tcpstate.capture.Frame} view per call and never allocate per packet. Broken
 * containers raise {@link dev.tcpstate.capture.CaptureFormatException} with the file offset; a
 * truncated last record is a {@link dev.tcpstate.capture.CaptureWarning}. This is the only package
 * that imports pcap4j.
 */
package dev.tcpstate.capture;
