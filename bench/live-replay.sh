#!/usr/bin/env bash
# Live throughput of `tcpstate watch` at a fixed packet rate: tcpreplay sends a capture into one
# end of a veth pair inside a namespace this script creates (tcpst-lr; nothing leaves it), and
# tcpstate watches the other end. Prints tcpreplay's achieved rate and tcpstate's drop counters.
# Usage (root; apt-get install tcpreplay): bench/live-replay.sh CAPTURE [RATE]   RATE: --pps=N or --topspeed
set -euo pipefail
cd "$(dirname "$0")/.."
capture=$1
rate=${2:---topspeed}
[ -f target/tcpstate.jar ] || ./mvnw -q package -DskipTests
ip netns del tcpst-lr 2>/dev/null || true
ip netns add tcpst-lr
trap 'ip netns pids tcpst-lr | xargs -r kill 2>/dev/null; ip netns del tcpst-lr' EXIT
ip link add veth-lra netns tcpst-lr type veth peer name veth-lrb netns tcpst-lr
ip -n tcpst-lr link set veth-lra up
ip -n tcpst-lr link set veth-lrb up
out=$(mktemp)
ip netns exec tcpst-lr java -jar target/tcpstate.jar watch -i veth-lrb -f tcp --format ndjson --snaplen 128 \
    --duration 30s > "$out" 2> "$out.err" & watch=$!
sleep 3
ip netns exec tcpst-lr tcpreplay -i veth-lra "$rate" "$capture" 2>&1 | grep -E "Actual|Rated|Failed"
wait $watch
tail -1 "$out.err"
rm -f "$out" "$out.err"
