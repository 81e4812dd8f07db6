#!/usr/bin/env bash
# End-to-end comparison on one capture, all tools in one run (the machines are shared and noisy:
# compare the ratios, not the absolute times). Best of N wall-clock runs each, plus peak RSS.
#   bench/compare.sh CAPTURE [RUNS]
# Needs: target/tcpstate.jar (./mvnw -q package -DskipTests), /usr/bin/time, and whichever of
# tshark, tcptrace, tcpdump are installed. The capture is read once first so it is in page cache.
set -euo pipefail
capture=${1:?usage: bench/compare.sh CAPTURE [RUNS]}
runs=${2:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
jar="$top/target/tcpstate.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 2; }
cat "$capture" > /dev/null
packets=$(java -jar "$jar" stats --format json "$capture" | grep -o '"frames":[0-9]*' | head -1 | cut -d: -f2)
echo "capture: $capture ($packets packets, $(du -h "$capture" | cut -f1)), best of $runs runs"
printf '%-44s %10s %14s %10s\n' "command" "seconds" "packets/s" "max RSS"

declare -A results rsses
measure() { # label, command...
  local label=$1; shift
  local best="" rss=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o /tmp/compare.time "$@" > /dev/null 2>&1 || { echo "$label: failed" >&2; return; }
    read -r seconds kib < /tmp/compare.time
    if [ -z "$best" ] || awk "BEGIN{exit !($seconds < $best)}"; then best=$seconds; rss=$kib; fi
  done
  results[$label]=$best
  rsses[$label]=$((rss / 1024))
  printf '%-44s %10s %14s %9sM\n' "$label" "$best" \
    "$(awk "BEGIN{printf \"%.0f\", $packets / ($best > 0 ? $best : 0.001)}")" "$((rss / 1024))"
}

measure "tcpstate stats" java -jar "$jar" stats "$capture"
measure "tcpstate connections --format ndjson" java -jar "$jar" connections --format ndjson "$capture"
measure "tcpstate analyze" java -jar "$jar" analyze "$capture"
measure "tcpstate analyze --threads 2" java -jar "$jar" analyze --threads 2 "$capture"
command -v tcpdump >/dev/null && measure "tcpdump -r (libpcap read, write /dev/null)" tcpdump -r "$capture" -w /dev/null
command -v tshark >/dev/null && measure "tshark -q -z conv,tcp" tshark -r "$capture" -q -z conv,tcp
command -v tcptrace >/dev/null && measure "tcptrace -n" tcptrace -n "$capture"
# argus (apt-get install argus-server): a C flow tool that writes one record per flow
command -v argus >/dev/null && measure "argus -r -w" argus -r "$capture" -w "${TMPDIR:-/tmp}/compare.argus"

# how much faster tcpstate is than the others (packets/s ratio = inverse time ratio)
ratio() { # tcpstate-label other-label
  [ -n "${results[$1]:-}" ] && [ -n "${results[$2]:-}" ] || return 0
  printf '%-36s vs %-22s %6.1fx faster\n' "$1" "$2" "$(awk "BEGIN{print ${results[$2]} / ${results[$1]}}")"
}
for ours in "tcpstate analyze" "tcpstate connections --format ndjson"; do
  for other in "tshark -q -z conv,tcp" "tcptrace -n" "argus -r -w"; do
    ratio "$ours" "$other"
  done
done
for ours in "tcpstate analyze" "tcpstate connections --format ndjson"; do
  for other in "tshark -q -z conv,tcp" "tcptrace -n" "argus -r -w"; do
    [ -n "${rsses[$other]:-}" ] && [ -n "${rsses[$ours]:-}" ] && printf '%-36s peak RSS %5sM vs %-22s %5sM\n' \
      "$ours" "${rsses[$ours]}" "$other" "${rsses[$other]}"
  done
done
rm -f "${TMPDIR:-/tmp}/compare.argus"
exit 0
