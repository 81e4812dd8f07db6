#!/usr/bin/env python3
"""Traffic generator for `samples/record.sh --bench` (stdlib asyncio only).

  bench.py server --addr A --port P
  bench.py load   --addr A --port P [--conns 300] [--churn 8] [--bulk 2]

Protocol: the client sends one line "<size> <flag> <padding>\\n" and the server
answers with <size> bytes; flag "close" makes the server close right after
answering (server-side FIN first), "keep" keeps the connection open.

The load mixes
  * --conns persistent connections doing small request/response exchanges
    with a short random think time (and reconnecting every few hundred),
  * --churn workers that open a connection, do one exchange and close it
    (alternating client-first and server-first close),
  * --bulk workers that download 1-8 MB, close, pause, repeat.
It runs until killed.
"""
import argparse
import asyncio
import random

CHUNK = b"x" * 65536


async def handle(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            size_s, flag = line.split()[:2]
            size = int(size_s)
            while size > 0:
                n = min(size, len(CHUNK))
                writer.write(CHUNK[:n])
                size -= n
                await writer.drain()
            if flag == b"close":
                break
    except (ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def serve(args):
    server = await asyncio.start_server(handle, args.addr, args.port, backlog=4096)
    async with server:
        await server.serve_forever()


def request(rng, size, flag):
    pad = b"p" * rng.randrange(8, 300)
    return b"%d %s %s\n" % (size, flag, pad)


async def exchange(reader, writer, rng, size, flag=b"keep"):
    writer.write(request(rng, size, flag))
    await writer.drain()
    await reader.readexactly(size)


async def persistent(args, rng):
    while True:
        try:
            reader, writer = await asyncio.open_connection(args.addr, args.port)
            for _ in range(rng.randrange(50, 500)):
                await exchange(reader, writer, rng, rng.randrange(32, 3000))
                await asyncio.sleep(rng.random() * 0.02)
            writer.close()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            await asyncio.sleep(0.1)


async def churn(args, rng):
    while True:
        try:
            reader, writer = await asyncio.open_connection(args.addr, args.port)
            if rng.random() < 0.5:        # client closes first
                await exchange(reader, writer, rng, rng.randrange(10, 1500))
            else:                         # server closes first
                await exchange(reader, writer, rng, rng.randrange(10, 1500), b"close")
                await reader.read()
            writer.close()
            await asyncio.sleep(rng.random() * 0.01)
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            await asyncio.sleep(0.1)


async def bulk(args, rng):
    while True:
        try:
            reader, writer = await asyncio.open_connection(args.addr, args.port)
            await exchange(reader, writer, rng, rng.randrange(1, 9) << 20)
            writer.close()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        await asyncio.sleep(0.5 + rng.random())


async def load(args):
    rng = random.Random(args.seed)
    tasks = [persistent(args, random.Random(rng.random())) for _ in range(args.conns)]
    tasks += [churn(args, random.Random(rng.random())) for _ in range(args.churn)]
    tasks += [bulk(args, random.Random(rng.random())) for _ in range(args.bulk)]
    await asyncio.gather(*tasks)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["server", "load"])
    p.add_argument("--addr", required=True)
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--conns", type=int, default=300)
    p.add_argument("--churn", type=int, default=8)
    p.add_argument("--bulk", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    asyncio.run(serve(args) if args.mode == "server" else load(args))


if __name__ == "__main__":
    main()
