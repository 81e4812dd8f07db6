#!/usr/bin/env python3
"""Tiny sequential TCP server used by samples/record.sh (stdlib only).

For every accepted connection: read exactly --req bytes, answer with --resp
bytes, then end the connection the way --close says:

  client-first   wait for the client's FIN (EOF), pause --delay, close
  server-first   pause --delay, close (the server sends the first FIN)
  abort          pause --delay, close with SO_LINGER {1,0}  -> RST
  abort-on-file  wait until --abort-file exists, then close with SO_LINGER
                 {1,0}, then create --done-file

The server keeps accepting until it is killed, so `ss` still shows LISTEN.
"""
import argparse
import os
import socket
import struct
import time


def pattern(n, alphabet=b"0123456789"):
    return (alphabet * (n // len(alphabet) + 1))[:n]


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return buf


def recv_until_eof(conn):
    while conn.recv(65536):
        pass


def wait_file(path, timeout=60.0):
    end = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > end:
            raise TimeoutError("no file " + path)
        time.sleep(0.01)


def abort(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def serve(conn, args):
    recv_exact(conn, args.req)
    conn.sendall(pattern(args.resp))
    if args.close == "client-first":
        recv_until_eof(conn)
        time.sleep(args.delay)
        conn.close()
    elif args.close == "server-first":
        time.sleep(args.delay)
        conn.close()
    elif args.close == "abort":
        time.sleep(args.delay)
        abort(conn)
    elif args.close == "abort-on-file":
        wait_file(args.abort_file)
        abort(conn)
        open(args.done_file, "w").close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--addr", required=True)
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--req", type=int, default=100, help="request bytes to read")
    p.add_argument("--resp", type=int, default=1000, help="response bytes to send")
    p.add_argument("--close", default="client-first",
                   choices=["client-first", "server-first", "abort", "abort-on-file"])
    p.add_argument("--delay", type=float, default=0.1, help="pause before closing (s)")
    p.add_argument("--abort-file")
    p.add_argument("--done-file")
    args = p.parse_args()

    family = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
    lsock = socket.socket(family, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((args.addr, args.port))
    lsock.listen()  # Python's default backlog: min(SOMAXCONN, 128)
    while True:
        conn, _ = lsock.accept()
        try:
            serve(conn, args)
        except OSError:
            conn.close()


if __name__ == "__main__":
    main()
