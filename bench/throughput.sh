#!/usr/bin/env bash
# Event throughput and in-kernel overhead, sharptrace vs bpftrace in the same run (root; ./build.sh;
# tests/install-oracles.sh for bpftrace and hyperfine).
#  1. printf on every syscall of a tight loop: lines delivered, lost events, wall time.
#  2. count() on every syscall of dd bs=1 count=300000: wall time against the bare dd.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x ./sharptrace ] || ./build.sh
command -v hyperfine >/dev/null && command -v bpftrace >/dev/null || tests/install-oracles.sh
count="${COUNT:-300000}"
dd="/usr/bin/dd if=/dev/zero of=/dev/null bs=1 count=$count status=none"
printf_script='tracepoint:raw_syscalls:sys_enter /pid == cpid/ { printf("%d %d\n", args->id, cpid); }'
echo "== printf per syscall of: $dd"
for tool in ./sharptrace bpftrace; do
    start=$(date +%s.%N)
    out=$("$tool" -c "$dd" -e "$printf_script" 2>/dev/null || true)
    end=$(date +%s.%N)
    lines=$(grep -cE '^[0-9]+ [0-9]+$' <<<"$out" || true)
    lost=$( (grep -oE 'Lost [0-9]+ events' <<<"$out" || true) | awk '{s += $2} END {print s + 0}')
    secs=$(echo "$end - $start" | bc)
    echo "$tool: $lines events printed, $lost lost, ${secs}s, $(echo "$lines / $secs" | bc) events/s"
done
count_script='tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @ = count(); }'
echo "== count() per syscall of: $dd (overhead against the bare run)"
hyperfine -N --warmup 1 --runs "${RUNS:-5}" "$dd" "./sharptrace -c '$dd' -e '$count_script'" "bpftrace -c '$dd' -e '$count_script'" 2>/dev/null \
    | grep -E "Benchmark|Time \(mean"
