#!/usr/bin/env python3
"""Injects RSTs into a connection, for samples/record.sh (stdlib only, root).

Run in the namespace of the RST's claimed sender. It watches --if (AF_PACKET) for the
connection's segments from --src:--sport to --dst:--dport, learning the sender's next sequence
number; once --ready-file exists it sends, as if from the sender (raw IPv4 socket), one RST per
--offsets entry, at the sender's next sequence number plus that offset, 0.2 s apart, then
creates --done-file. The default offsets make RSTs the receiver must not believe:

  2^30  outside any window, which RFC 793 and RFC 5961 say to drop silently;
  100   inside the receiver's window but not its RCV.NXT, which RFC 5961 section 3.2 answers
        with a challenge ACK (Linux does).

Offset 0 is the RST the receiver believes (exactly RCV.NXT).
"""
import argparse
import os
import socket
import struct
import time

from packets import tcp_packet

ETH_P_ALL = 0x0003  # outgoing frames reach only packet sockets of all protocols


def rst(src, dst, sport, dport, seq):
    return tcp_packet(socket.inet_aton(src), socket.inet_aton(dst), sport, dport, seq, 0, 0x04, 0)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--if", dest="interface", required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--sport", type=int, required=True)
    p.add_argument("--dst", required=True)
    p.add_argument("--dport", type=int, required=True)
    p.add_argument("--ready-file", required=True)
    p.add_argument("--done-file", required=True)
    p.add_argument("--listening-file", required=True, help="created once it watches the interface")
    p.add_argument("--offsets", default="1073741824,100", help="comma-separated, from SND.NXT")
    p.add_argument("--timeout", type=float, default=60.0)
    args = p.parse_args()

    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sniff.bind((args.interface, 0))
    sniff.settimeout(0.05)
    open(args.listening_file, "w").close()
    src, dst = socket.inet_aton(args.src), socket.inet_aton(args.dst)
    next_seq = None
    end = time.monotonic() + args.timeout
    while not os.path.exists(args.ready_file) or next_seq is None:
        if time.monotonic() > end:
            raise SystemExit("inject_rst: no ready file, or no segment of the connection seen")
        try:
            frame = sniff.recv(65535)
        except socket.timeout:
            continue
        ip = frame[14:]
        if frame[12:14] != b"\x08\x00" or len(ip) < 40 or ip[9] != 6 or ip[12:16] != src or ip[16:20] != dst:
            continue
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack("!H", ip[2:4])[0]
        tcp = ip[ihl:]
        sport, dport, seq = struct.unpack("!HHI", tcp[:8])
        if sport != args.sport or dport != args.dport:
            continue
        offset = (tcp[12] >> 4) * 4
        flags = tcp[13]
        length = total - ihl - offset + (1 if flags & 0x03 else 0)  # SYN or FIN take a number
        candidate = (seq + length) & 0xFFFFFFFF
        if next_seq is None or ((candidate - next_seq) & 0xFFFFFFFF) < 0x80000000:
            next_seq = candidate
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for offset in (int(o) for o in args.offsets.split(",")):
        seq = next_seq + offset
        raw.sendto(rst(args.src, args.dst, args.sport, args.dport, seq), (args.dst, 0))
        time.sleep(0.2)
    open(args.done_file, "w").close()


if __name__ == "__main__":
    main()
