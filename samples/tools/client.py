#!/usr/bin/env python3
"""Tiny TCP client used by samples/record.sh (stdlib only).

Each connection: connect (optionally from a fixed --sport), send --req bytes,
read --resp bytes, then end the way --close says:

  client-first  pause --delay, close (the client sends the first FIN)
  server-first  read until the server's FIN (EOF), pause --delay, close
  wait-reset    keep reading; the server is expected to answer with RST
  half-open     create --ready-file, wait for --go-file, send --late more
                bytes and keep reading until the connection is reset
  pause-close   create --ready-file, wait for --go-file, send --late more
                bytes, pause --delay, close (the client sends the first FIN)
  keepalive     turn TCP keepalive on (1 s idle, 1 s apart, 3 probes), create
                --ready-file and keep reading until the kernel gives up
  restart       create --ready-file, wait for --go-file, close with SO_LINGER
                {1,0} (the caller drops the RST: the peer never learns), create
                --done-file, wait for --again-file, then connect again from
                the same port, exchange, and close first

The outcome of every connection (ok, refused, timeout, reset) is checked
against --expect; the exit status is 1 if any connection differed.
"""
import argparse
import os
import socket
import struct
import sys
import time


def pattern(n, alphabet=b"abcdefghijklmnopqrstuvwxyz"):
    return (alphabet * (n // len(alphabet) + 1))[:n]


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("EOF after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def wait_file(path, timeout=60.0):
    end = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > end:
            raise RuntimeError("no file " + path)
        time.sleep(0.01)


def one_connection(args):
    family = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(args.timeout)
    try:
        if args.reuseaddr:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if args.sport:
            sock.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", args.sport))
        sock.connect((args.addr, args.port))
        sock.sendall(pattern(args.req))
        recv_exact(sock, args.resp)
        if args.close == "client-first":
            time.sleep(args.delay)
        elif args.close == "server-first":
            while sock.recv(65536):
                pass
            time.sleep(args.delay)
        elif args.close == "wait-reset":
            while sock.recv(65536):
                pass
            return "eof"
        elif args.close == "keepalive":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
            open(args.ready_file, "w").close()
            while sock.recv(65536):
                pass
            return "eof"
        elif args.close == "pause-close":
            open(args.ready_file, "w").close()
            wait_file(args.go_file)
            sock.sendall(pattern(args.late))
            time.sleep(args.delay)
        elif args.close == "restart":
            open(args.ready_file, "w").close()
            wait_file(args.go_file)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
            open(args.done_file, "w").close()
            wait_file(args.again_file)
            again = argparse.Namespace(**vars(args))
            again.close = "client-first"
            again.reuseaddr = True
            return one_connection(again)
        elif args.close == "half-open":
            open(args.ready_file, "w").close()
            wait_file(args.go_file)
            sock.sendall(pattern(args.late))
            while sock.recv(65536):
                pass
            return "eof"
        return "ok"
    except ConnectionRefusedError:
        return "refused"
    except ConnectionResetError:
        return "reset"
    except TimeoutError:  # kernel ETIMEDOUT (SYN retries exhausted) or socket timeout
        return "timeout"
    finally:
        sock.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--addr", required=True)
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--sport", type=int, default=0, help="fixed source port (0: ephemeral)")
    p.add_argument("--reuseaddr", action="store_true",
                   help="SO_REUSEADDR, so --sport can be bound while its last connection is in TIME-WAIT")
    p.add_argument("--req", type=int, default=100)
    p.add_argument("--resp", type=int, default=1000)
    p.add_argument("--close", default="client-first",
                   choices=["client-first", "server-first", "wait-reset", "half-open", "pause-close", "keepalive",
                            "restart"])
    p.add_argument("--delay", type=float, default=0.1, help="pause before closing (s)")
    p.add_argument("--count", type=int, default=1, help="connections, one after another")
    p.add_argument("--interval", type=float, default=0.0, help="pause between connections (s)")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--expect", default="ok", choices=["ok", "refused", "timeout", "reset"])
    p.add_argument("--ready-file")
    p.add_argument("--go-file")
    p.add_argument("--done-file")
    p.add_argument("--again-file")
    p.add_argument("--late", type=int, default=100, help="bytes sent in half-open mode")
    args = p.parse_args()

    outcomes = {}
    start = time.monotonic()
    for i in range(args.count):
        if i and args.interval:
            time.sleep(args.interval)
        result = one_connection(args)
        outcomes[result] = outcomes.get(result, 0) + 1
    elapsed = time.monotonic() - start
    summary = " ".join("%s=%d" % kv for kv in sorted(outcomes.items()))
    print("client: %d connection(s) to %s:%d in %.2fs: %s (expected %s)"
          % (args.count, args.addr, args.port, elapsed, summary, args.expect))
    sys.exit(0 if outcomes == {args.expect: args.count} else 1)


if __name__ == "__main__":
    main()
