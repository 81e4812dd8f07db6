#!/usr/bin/env python3
"""Both ends of one connection in one process, for samples/record.sh (stdlib only).

The process makes one socket in each of two network namespaces (setns(2) through ctypes; a
socket keeps the namespace it was made in), so it can act on both ends in the same instant;
their kernels' timers are then armed together and fire in the same tick.

  --mode open   simultaneous open: each socket, bound to its own address and port, connect()s to
                the other back to back, so both kernels are in SYN-SENT and neither listens.
                record.sh drops the first SYNs, so the retries (fired together) cross on the
                wire: each kernel gets the other's SYN in SYN-SENT (RFC 9293 figure 8). Then A
                sends --req bytes, B answers --resp bytes, A closes first. Creates --started-file
                once both connects are under way.
  --mode close  simultaneous close: B listens, A connects, the same exchange, then the process
                creates --ready-file, waits for --go-file and closes both ends back to back.
                record.sh drops the first FINs, so the retransmitted FINs (fired together) cross:
                both go FIN-WAIT-1 -> CLOSING -> TIME-WAIT (RFC 9293 figure 13).

Exits 1 unless the connection was established and the exchange went through.
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


def wait_file(path, timeout=30.0):
    end = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > end:
            raise TimeoutError("no file " + path)
        time.sleep(0.005)


def exchange(a, b, req, resp):
    a.sendall(b"a" * req)
    got = b""
    while len(got) < req:
        got += b.recv(req - len(got))
    b.sendall(b"b" * resp)
    got = b""
    while len(got) < resp:
        got += a.recv(resp - len(got))


def close_together(args):
    listener = bound_socket(args.ns_b, args.addr_b, args.port_b)
    listener.setblocking(True)
    listener.listen()
    a = bound_socket(args.ns_a, args.addr_a, args.port_a)
    a.setblocking(True)
    a.settimeout(args.timeout)
    a.connect((args.addr_b, args.port_b))
    b, _ = listener.accept()
    listener.close()
    exchange(a, b, args.req, args.resp)
    open(args.ready_file, "w").close()
    wait_file(args.go_file)
    a.close()
    b.close()  # the same instant: both FINs, and both retransmission timers, together
    print("twoends: exchanged %d B and %d B, both ends closed together" % (args.req, args.resp))


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
    p.add_argument("--mode", choices=["open", "close"], default="open")
    p.add_argument("--started-file")
    p.add_argument("--ready-file")
    p.add_argument("--go-file")
    p.add_argument("--timeout", type=float, default=20.0)
    args = p.parse_args()
    if args.mode == "close":
        close_together(args)
        return

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
    exchange(a, b, args.req, args.resp)
    time.sleep(0.1)
    a.close()
    while b.recv(65536):
        pass
    b.close()
    print("twoends: both ends established, %d B and %d B exchanged, A closed first" % (args.req, args.resp))


if __name__ == "__main__":
    try:
        main()
    except (OSError, TimeoutError) as e:
        print("twoends: " + str(e), file=sys.stderr)
        sys.exit(1)
