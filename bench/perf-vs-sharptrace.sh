#!/usr/bin/env bash
# Record overhead and report time of `sharptrace perf` against Debian perf in the same run:
# a CPU-bound workload (tests/Sharptrace.Tests/Native/hot.c) bare, under `record -F 999 -g` of each,
# then `report --stdio` of each tool on its own file. Needs root, gcc, perf (tests/install-oracles.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-3}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
gcc -O0 -fno-omit-frame-pointer -o "$work/hot" tests/Sharptrace.Tests/Native/hot.c
st=./sharptrace
wall() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>"$work/err"; echo "$(date +%s.%N) - $s" | bc; }
bare=$(wall "$work/hot" "$seconds")
ours=$(wall $st perf record -F 999 -g -o "$work/st.data" -- "$work/hot" "$seconds"); ours_log=$(cat "$work/err")
theirs=$(wall perf record -F 999 -g -m 128 -o "$work/perf.data" -- "$work/hot" "$seconds"); theirs_log=$(cat "$work/err")
cpu() { /usr/bin/time -f "%e s wall, %U+%S s cpu, %M KiB" "$@" >/dev/null 2>"$work/t"; tail -1 "$work/t"; }
echo "workload: hot $seconds s; bare run $bare s"
echo "sharptrace perf record -F 999 -g: $ours s wall; $(grep -o '([0-9]* samples)' <<<"$ours_log") lost: $(grep -c 'lost' <<<"$ours_log" || true)"
echo "perf record -F 999 -g (-m 128):   $theirs s wall; $(grep -o '([0-9]* samples)' <<<"$theirs_log") $(grep -io 'lost.*' <<<"$theirs_log" || echo 'lost: 0')"
echo "sharptrace perf report --stdio:   $(cpu $st perf report -i "$work/st.data" --stdio)"
echo "perf report --stdio (same file):  $(cpu perf report -i "$work/st.data" --stdio)"
echo "perf report --stdio (its file):   $(cpu perf report -i "$work/perf.data" --stdio)"
