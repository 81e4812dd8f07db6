#!/usr/bin/env bash
# Live throughput of `tcpstate watch` at a fixed packet rate: tcpreplay sends a capture into one
# end of a veth pair inside a namespace this script creates (tcpst-lr; nothing leaves it), and
# tcpstate watches the other end. Prints tcpreplay's achieved rate and tcpstate's drop counters.
# Usage (root; apt-get install tcpreplay): bench/live-replay.sh CAPTURE [RATE]
#   RATE: tcpreplay's options, --pps=N or --topspeed (default), with --preload-pcap for its fastest
# WARM=1 replays the capture twice and reports the drops of the second pass only: the steady state,
# once the JIT has compiled the engine (a short cold run is mostly compilation on two cores).
# DURATION (default 30s) is how long watch runs; SNAPLEN (default 65535) its --snaplen (shorter
# frames lose payload, which the records then show as content gaps); WATCH_OPTS more options
# (--buffer MIB ...). JAVA_OPTS: the JVM's options, by default the quick JIT only, as bin/tcpstate
# runs watch (set JAVA_OPTS= for the JVM's defaults). JAR: the tcpstate jar (default target/tcpstate.jar).
set -euo pipefail
cd "$(dirname "$0")/.."
capture=$1
rate=${2:---topspeed}
jar=${JAR:-target/tcpstate.jar}
[ -f "$jar" ] || ./mvnw -q package -DskipTests
ip netns del tcpst-lr 2>/dev/null || true
ip netns add tcpst-lr
trap 'ip netns pids tcpst-lr | xargs -r kill 2>/dev/null; ip netns del tcpst-lr' EXIT
ip link add veth-lra netns tcpst-lr type veth peer name veth-lrb netns tcpst-lr
ip -n tcpst-lr link set veth-lra up
ip -n tcpst-lr link set veth-lrb up
out=$(mktemp)
# shellcheck disable=SC2086
ip netns exec tcpst-lr java ${JAVA_OPTS--XX:TieredStopAtLevel=1} -jar "$jar" watch -i veth-lrb -f tcp \
    --format ndjson --snaplen "${SNAPLEN:-65535}" --duration "${DURATION:-30s}" ${WATCH_OPTS:-} > "$out" 2> "$out.err" &
watch=$!
sleep 3
if [ "${WARM:-0}" = 1 ]; then
  # shellcheck disable=SC2086
  ip netns exec tcpst-lr tcpreplay -i veth-lra $rate "$capture" >/dev/null 2>&1
  sleep 8   # the queue drains and a stats event records the counters after the first pass
  before=$(grep '"event":"stats"' "$out" | tail -1)
fi
# CPU time per thread of the watch (ip netns exec execs java: same pid), in clock ticks
# (a thread may end while it is read: skipped)
threads() {
  for t in /proc/$watch/task/*; do
    name=$(tr ' ' _ < "$t/comm" 2>/dev/null) && ticks=$(cut -d' ' -f14,15 "$t/stat" 2>/dev/null) && echo "$name $ticks"
  done
  true
}
cpu_before=$(threads)
# shellcheck disable=SC2086
ip netns exec tcpst-lr tcpreplay -i veth-lra $rate "$capture" 2>&1 | grep -E "Actual|Rated|Failed"
sleep 3   # the queue drains
cpu_after=$(threads)
python3 - "$cpu_before" "$cpu_after" "$capture" <<'PY'
import collections, os, subprocess, sys
tick = os.sysconf("SC_CLK_TCK")
def parse(text):
    spent = collections.Counter()
    for line in text.splitlines():
        name, user, system = line.split()
        spent[name] += int(user) + int(system)
    return spent
spent = parse(sys.argv[2]); spent.subtract(parse(sys.argv[1]))
frames = int(subprocess.run(["capinfos", "-c", "-M", sys.argv[3]], capture_output=True, text=True).stdout.split()[-1])
busy = [(n, t) for n, t in spent.most_common() if t / tick >= 0.05]
print("CPU per frame by thread: " + ", ".join(f"{n} {t / tick * 1e6 / frames:.2f} us" for n, t in busy))
PY
wait $watch
tail -1 "$out.err"
if [ "${WARM:-0}" = 1 ]; then
  after=$(grep '"event":"stats"' "$out" | tail -1)
  python3 - "$before" "$after" <<'PY'
import json, sys
b, a = (json.loads(x) for x in sys.argv[1:3])
keys = ("pcap_received", "pcap_dropped", "pcap_if_dropped", "queue_dropped")
print("second pass: " + ", ".join(f"{k} {a[k] - b[k]:,}" for k in keys))
PY
fi
if [ "${WARM:-0}" != 1 ]; then
  # the records watch logged (connection_logged), against `connections` on the file: the fields
  # that do not depend on when the frames were seen (the replay gives them new timestamps)
  java -jar "$jar" connections --format ndjson "$capture" > "$out.file"
  python3 - "$out" "$out.file" <<'PY'
import collections, json, sys
keys = ("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "conn_state", "history", "outcome", "orig_state",
        "resp_state", "orig_bytes", "resp_bytes", "missed_bytes", "orig_pkts", "resp_pkts", "orig_ip_bytes",
        "resp_ip_bytes", "syn_retries", "retransmits", "midstream")
def key(record):
    return tuple(record.get(k) for k in keys)
watched = collections.Counter(key(json.loads(line)["connection"]) for line in open(sys.argv[1])
                              if '"event":"connection_logged"' in line)
filed = collections.Counter(key(json.loads(line)) for line in open(sys.argv[2]))
missing, extra = filed - watched, watched - filed
print(f"records: watch {sum(watched.values()):,}, connections on the file {sum(filed.values()):,}; "
      f"equal {sum((watched & filed).values()):,}, only in the file {sum(missing.values()):,}, "
      f"only in watch {sum(extra.values()):,}")
for record, n in list(missing.items())[:3]:
    print("  only in the file:", n, dict(zip(keys, record)))
for record, n in list(extra.items())[:3]:
    print("  only in watch:", n, dict(zip(keys, record)))
PY
fi
rm -f "$out" "$out.err" "$out.file"
