/**
 * Bytes to TCP segments. {@link dev.tcpstate.decode.FrameDecoder} reads a captured frame's link
 * layer (Ethernet with VLAN/QinQ, PPPoE, MPLS, PBB, VN-Tag; Linux cooked v1/v2; BSD loopback; FDDI;
 * raw IP), IPv4 with options or IPv6 with extension headers, the tunnels Zeek follows (VXLAN,
 * Geneve, GRE, GTP-U, IP-in-IP, Teredo, AYIYA; outer IPv4 fragments are put back together by a
 * bounded {@code FragmentReassembler}), and the TCP header with its options, into one reused
 * {@link dev.tcpstate.decode.TcpSegment} view. It never throws on packet bytes and never reads
 * past the captured length: a frame it cannot use gets a named
 * {@link dev.tcpstate.decode.DecodeResult} reason to be counted. Nothing is allocated per frame.
 */
package dev.tcpstate.decode;
