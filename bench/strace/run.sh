#!/usr/bin/env bash
# Syscall-heavy workload (dd, about 600k calls) and a mixed one (find): bare vs sharptrace strace
# (-f -o file, -c; eBPF and ptrace backends) vs strace vs perf trace, in the same run. Each row is the
# best (lowest) and the mean wall time of RUNS runs (the shared machine's load makes single runs
# noisy), with their ratios to the bare run's best and mean. Needs root and ./sharptrace (./build.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${COUNT:-300000}"
runs="${RUNS:-5}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# "best mean" of RUNS wall times.
best() {
  local b=999 sum=0 s e d
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    d=$(echo "$e - $s" | bc); sum=$(echo "$sum + $d" | bc)
    if (( $(echo "$d < $b" | bc) )); then b=$d; fi
  done
  echo "$b $(echo "$sum / $runs" | bc -l)"
}
bench() {
  local title=$1; shift
  local bare row name secs
  bare=$(best "$@")
  local rows=("bare:$bare")
  rows+=("sharptrace -f -o:$(best ./sharptrace strace -f -o "$out/ours.txt" "$@")")
  rows+=("sharptrace -c:$(best ./sharptrace strace -c -o "$out/ours-c.txt" "$@")")
  rows+=("ptrace -f -o:$(best ./sharptrace strace --backend ptrace -f -o "$out/ptrace.txt" "$@")")
  rows+=("ptrace -c:$(best ./sharptrace strace --backend ptrace -c -o "$out/ptrace-c.txt" "$@")")
  if command -v strace >/dev/null; then
    rows+=("strace -f -o:$(best strace -f -o "$out/strace.txt" "$@")")
    rows+=("strace -c:$(best strace -c -o "$out/strace-c.txt" "$@")")
  fi
  if command -v perf >/dev/null; then
    rows+=("perf trace -o:$(best perf trace -o "$out/perf.txt" -- "$@")")
    rows+=("perf trace -s:$(best perf trace -s -o "$out/perf-s.txt" -- "$@")")
  fi
  echo "== $title (best and mean of $runs)"
  printf '%-20s %8s %8s %8s %8s\n' run best ratio mean ratio
  local bare_best=${bare% *} bare_mean=${bare#* } b m
  for row in "${rows[@]}"; do
    name=${row%%:*}; secs=${row#*:}; b=${secs% *}; m=${secs#* }
    printf '%-20s %8.3f %7.2fx %8.3f %7.2fx\n' "$name" "$b" "$(echo "$b / $bare_best" | bc -l)" "$m" "$(echo "$m / $bare_mean" | bc -l)"
  done
  echo "lines: ours $(wc -l < "$out/ours.txt"), ptrace $(wc -l < "$out/ptrace.txt"), strace $(wc -l < "$out/strace.txt" 2>/dev/null || echo -)"
  grep -h "lost" "$out/ours.txt" | head -3 || true
}
bench "dd bs=1 count=$count" dd if=/dev/zero of=/dev/null bs=1 count="$count" status=none
bench "find /usr -name '*.h'" find /usr -name '*.h'
