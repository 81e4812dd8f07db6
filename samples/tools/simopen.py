#!/usr/bin/env python3
"""Simultaneous open between two network namespaces (stdlib only), for samples/record.sh.

One process makes one socket in each namespace (setns(2) through ctypes; a socket keeps the
namespace it was made in), binds each to its own address and port, and connect()s each to the
other back to back, so both kernels are in SYN-SENT at once and neither listens. Both connect
timers are then armed in the same instant, so the SYN retries fire together and cross on the
wire: each kernel gets the other's SYN while in SYN-SENT (RFC 9293 figure 8). record.sh drops
the first SYNs, so only the retries meet. Then A sends --req bytes, B answers --resp bytes,
A closes first, B closes when it reads A's FIN.

Creates --started-file once both connects are under way; exits 1 unless both ends reached
ESTABLISHED and the exchange went through.
"""
import argparse
import ctypes
import os
import select
import socket
import sys
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter(namespace):
    fd = os.open("/var/run/netns/" + namespace, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + namespace)
    finally:
        os.close(fd)


def bound_socket(namespace, addr, port):
    enter(namespace)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((addr, port))
    sock.setblocking(False)
    return sock


def connected(sock, deadline):
    while time.monotonic() < deadline:
        _, writable, _ = select.select([], [sock], [], 0.05)
        if writable:
            error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                raise OSError(error, os.strerror(error))
            return
    raise TimeoutError("connect did not complete")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ns-a", required=True)
    p.add_argument("--addr-a", required=True)
    p.add_argument("--port-a", type=int, required=True)
    p.add_argument("--ns-b", required=True)
    p.add_argument("--addr-b", required=True)
    p.add_argument("--port-b", type=int, required=True)
    p.add_argument("--req", type=int, default=100)
    p.add_argument("--resp", type=int, default=1000)
    p.add_argument("--started-file", required=True)
    p.add_argument("--timeout", type=float, default=20.0)
    args = p.parse_args()

    a = bound_socket(args.ns_a, args.addr_a, args.port_a)
    b = bound_socket(args.ns_b, args.addr_b, args.port_b)
    for sock, peer in ((a, (args.addr_b, args.port_b)), (b, (args.addr_a, args.port_a))):
        error = sock.connect_ex(peer)
        if error not in (0, 115):  # EINPROGRESS
            raise OSError(error, os.strerror(error))
    open(args.started_file, "w").close()
    deadline = time.monotonic() + args.timeout
    connected(a, deadline)
    connected(b, deadline)
    a.setblocking(True)
    b.setblocking(True)
    a.sendall(b"a" * args.req)
    got = b""
    while len(got) < args.req:
        got += b.recv(args.req - len(got))
    b.sendall(b"b" * args.resp)
    got = b""
    while len(got) < args.resp:
        got += a.recv(args.resp - len(got))
    time.sleep(0.1)
    a.close()
    while b.recv(65536):
        pass
    b.close()
    print("simopen: both ends established, %d B and %d B exchanged, A closed first" % (args.req, args.resp))


if __name__ == "__main__":
    try:
        main()
    except (OSError, TimeoutError) as e:
        print("simopen: " + str(e), file=sys.stderr)
        sys.exit(1)
