#!/usr/bin/env bash
# The long fuzzing run of tcpstate's Jazzer targets (docs/fuzzing.md): each target fuzzed in a JVM
# of its own for a time or a number of executions, then a table of what libFuzzer reported.
#
# Usage: bench/fuzz.sh [-t SECONDS | -n EXECUTIONS] [-j JOBS] [TARGET...]
#   TARGET         PcapReaderFuzzTest PcapNgReaderFuzzTest GzipFuzzTest DecoderEngineFuzzTest
#                  (the default: all four)
#   -t SECONDS     fuzz each target this long (default 600)
#   -n EXECUTIONS  stop each target after this many executions instead
#   -j JOBS        targets fuzzed at the same time (default 1; each takes a core)
#
# Run from anywhere; nice(1) keeps it polite on a shared machine. Each target's corpus grows in
# target/fuzz-long/corpus/TARGET (kept between runs, so a run goes on where the last stopped), its
# libFuzzer log is target/fuzz-long/TARGET.log, and a crashing input is written next to the seeds in
# src/test/resources/.../TARGETInputs/METHOD/crash-*, where every `./mvnw test` replays it: fix the
# code, keep the file, add a named unit test (docs/fuzzing.md, "When a target crashes").
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600
executions=0
jobs=1
while getopts "t:n:j:h" option; do
  case $option in
    t) seconds=$OPTARG ;;
    n) executions=$OPTARG; seconds=0 ;;
    j) jobs=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(PcapReaderFuzzTest PcapNgReaderFuzzTest GzipFuzzTest DecoderEngineFuzzTest)

out=target/fuzz-long
mkdir -p "$out/corpus"
started="$out/.started"
touch "$started"
# compile once: the targets then run side by side without two builds writing target/ at once
./mvnw -q -B -o test-compile 2>/dev/null || ./mvnw -q -B test-compile

fuzz() {
  local target=$1 corpus="$out/corpus/$1"
  mkdir -p "$corpus"
  # libFuzzer's flags through Jazzer's JUnit integration: argv[0], the corpus directory it writes
  # new inputs to, a hang is an input taking over 10 s, the process may not grow past 2 GiB.
  JAZZER_FUZZ=1 nice -n 10 ./mvnw -B -o surefire:test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    "-DargLine=-Xmx512m -XX:+UseParallelGC" \
    -Djazzer.max_duration="$( [ "$seconds" -gt 0 ] && echo "${seconds}s" || echo "" )" \
    -Djazzer.max_executions="$executions" \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="$PWD/$corpus" \
    -Djazzer.internal.arg.2=-timeout=10 -Djazzer.internal.arg.3=-rss_limit_mb=2048 \
    > "$out/$target.log" 2>&1 && echo "$target: passed" \
    || echo "$target: FAILED, see $out/$target.log and target/surefire-reports/*.$target-output.txt"
}

# JOBS lanes, each fuzzing its share of the targets one after the other
for ((lane = 0; lane < jobs; lane++)); do
  (
    for ((i = lane; i < ${#targets[@]}; i += jobs)); do
      echo "fuzzing ${targets[$i]} ($( [ "$seconds" -gt 0 ] && echo "$seconds s" || echo "$executions executions" ))"
      fuzz "${targets[$i]}"
    done
  ) &
done
wait

# libFuzzer's last status line: "#N DONE cov: C ft: F corp: K/SIZE ... exec/s: R rss: M"; corpus is
# libFuzzer's (inputs/bytes), fewer than the files in the corpus directory, which keeps reduced ones
echo
printf '%-24s %12s %10s %8s %8s %12s %s\n' target executions seconds exec/s cov corpus findings
for target in "${targets[@]}"; do
  log="$out/$target.log"
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  last_line=$(grep -E '^#[0-9]+[[:space:]]+' "$log" | tail -1 || true)
  runs=$(grep -oE '^Done [0-9]+ runs in [0-9]+' "$log" | tail -1 | awk '{print $2 " " $5}' || true)
  line=${done_line:-$last_line}
  count=${runs% *}
  [ -n "$count" ] || count=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$line")
  took=${runs#* }
  [ -n "$runs" ] || took=-
  rate=$(grep -oE 'exec/s: [0-9]+' <<<"$line" | awk '{print $2}')
  cov=$(grep -oE 'cov: [0-9]+' <<<"$line" | awk '{print $2}')
  corpus=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$line" | awk '{print $2}')
  # a finding stops the target and leaves its input next to the seeds
  findings=$(find src/test/resources -path "*/${target}Inputs/*" \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) -newer "$started" | wc -l)
  printf '%-24s %12s %10s %8s %8s %12s %s\n' "$target" "${count:--}" "$took" "${rate:--}" "${cov:--}" "${corpus:--}" "$findings"
done
