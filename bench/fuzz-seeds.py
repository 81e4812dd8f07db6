#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs from the small captures in samples/ (docs/fuzzing.md).

Usage: bench/fuzz-seeds.py        (from anywhere; rewrites the seed-* files, leaves crash-* files alone)

Each target replays its seeds in every `./mvnw test` (Jazzer's regression mode) and starts its
fuzzing from them. The captures are copied as they are for the readers, prefixed with a mode byte
for the gzip target, and rewritten as a list of frames for the decoder + engine target.
"""
import gzip
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
RESOURCES = ROOT / "src/test/resources/dev/tcpstate"
SMALL_PCAPS = ["client-close.pcap", "client-close-ns.pcap", "client-close-sll2.pcap", "firewalled-syn.pcap",
               "half-open.pcap", "ipv6-client-close.pcap", "refused.pcap", "server-abort.pcap", "server-close.pcap"]
PCAPNGS = ["client-close.pcapng", "multi-if.pcapng"]


def inputs(package, test_class, method):
    directory = RESOURCES / package / f"{test_class}Inputs" / method
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("seed-*"):
        old.unlink()
    return directory


def pcap_frames(data):
    """(link type, [(seconds, micros, bytes, original length)]) of a classic pcap."""
    magic = data[:4]
    order = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nanos = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    link = struct.unpack(order + "I", data[20:24])[0] & 0xFFFF
    frames, at = [], 24
    while at + 16 <= len(data):
        seconds, fraction, captured, original = struct.unpack(order + "IIII", data[at:at + 16])
        frames.append((seconds, fraction // 1000 if nanos else fraction, data[at + 16:at + 16 + captured], original))
        at += 16 + captured
    return link, frames


def engine_input(selector, data):
    """The decoder + engine target's form: selector, link type, start seconds, then the frames."""
    link, frames = pcap_frames(data)
    start = frames[0][0]
    out = bytearray(struct.pack(">BHI", selector, link, start))
    previous = start * 1_000_000
    for seconds, micros, frame, original in frames:
        now = seconds * 1_000_000 + micros
        cut = 0x8000 if original > len(frame) else 0
        out += struct.pack(">HI", len(frame) | cut, now - previous) + frame
        previous = now
    return bytes(out)


def main():
    pcap_seeds = inputs("capture", "PcapReaderFuzzTest", "readsAnyBytesOrSaysWhyNot")
    for name in SMALL_PCAPS:
        (pcap_seeds / f"seed-{name}").write_bytes((SAMPLES / name).read_bytes())

    pcapng_seeds = inputs("capture", "PcapNgReaderFuzzTest", "readsAnyBytesOrSaysWhyNot")
    for name in PCAPNGS:
        (pcapng_seeds / f"seed-{name}").write_bytes((SAMPLES / name).read_bytes())

    gzip_seeds = inputs("capture", "GzipFuzzTest", "readsAnyGzipOrSaysWhyNot")
    # odd mode byte: the bytes as they are (a real .pcap.gz, and a gzip member cut short)
    recorded = (SAMPLES / "client-close.pcap.gz").read_bytes()
    (gzip_seeds / "seed-raw-client-close.pcap.gz").write_bytes(b"\x01" + recorded)
    (gzip_seeds / "seed-raw-cut-client-close.pcap.gz").write_bytes(b"\x01" + recorded[:len(recorded) // 2])
    (gzip_seeds / "seed-raw-pcapng.gz").write_bytes(
        b"\x01" + gzip.compress((SAMPLES / "multi-if.pcapng").read_bytes(), mtime=0))
    # even mode byte: compressed by the target, whole (0) or cut at 32/64 of its length (2 | 32 << 2)
    (gzip_seeds / "seed-compress-client-close.pcap").write_bytes(b"\x00" + (SAMPLES / "client-close.pcap").read_bytes())
    (gzip_seeds / "seed-compress-cut-half-open.pcap").write_bytes(b"\x82" + (SAMPLES / "half-open.pcap").read_bytes())
    (gzip_seeds / "seed-compress-client-close.pcapng").write_bytes(
        b"\x00" + (SAMPLES / "client-close.pcapng").read_bytes())

    engine_seeds = inputs("decode", "DecoderEngineFuzzTest", "analysesAnyFramesAndSaysWhatItFound")
    # every sample under two of the eleven commands, so that each command starts from real traffic
    for i, name in enumerate(SMALL_PCAPS):
        data = (SAMPLES / name).read_bytes()
        for selector in (i % 11, (i + 5) % 11):
            (engine_seeds / f"seed-{selector}-{name}").write_bytes(engine_input(selector, data))


if __name__ == "__main__":
    main()
