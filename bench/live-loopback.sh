#!/usr/bin/env bash
# Live throughput of `tcpstate watch` on loopback: samples/tools/bench.py generates mixed TCP
# traffic (persistent request/response connections, short connections, bulk downloads) on
# 127.0.0.1, tcpstate captures it with --format ndjson for DURATION seconds, and the last stats
# event says how many frames were analysed and how many libpcap or tcpstate's queue dropped.
# Usage (root): bench/live-loopback.sh [DURATION] [LOADERS]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20}
loaders=${2:-1}
port=18090
[ -f target/tcpstate.jar ] || ./mvnw -q package -DskipTests
python3 samples/tools/bench.py server --addr 127.0.0.1 --port "$port" & server=$!
trap 'kill $server ${pids:-} 2>/dev/null || true' EXIT
sleep 0.5
out=$(mktemp)
java -jar target/tcpstate.jar watch -i lo -f "tcp port $port" --format ndjson --duration "${duration}s" \
    --snaplen 128 > "$out" 2> "$out.err" & watch=$!
sleep 1.5
pids=""
for i in $(seq "$loaders"); do
  python3 samples/tools/bench.py load --addr 127.0.0.1 --port "$port" --seed "$i" & pids="$pids $!"
done
wait $watch
kill $pids 2>/dev/null || true
python3 - "$out" "$duration" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
stats = [e for e in lines if e["event"] == "stats"]
last = stats[-1]
frames = [e for e in lines if e["event"] == "report"][0]["report"]["capture"]["frames"]
dropped = last["pcap_dropped"] + last["pcap_if_dropped"] + last["queue_dropped"]
print(f"frames analysed {frames:,} in ~{sys.argv[2]} s: {frames/float(sys.argv[2]):,.0f} frames/s; "
      f"dropped: libpcap {last['pcap_dropped']} + interface {last['pcap_if_dropped']} + queue {last['queue_dropped']} = {dropped}")
PY
tail -2 "$out.err"
rm -f "$out" "$out.err"
