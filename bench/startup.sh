#!/usr/bin/env bash
# Start-up benchmark: wall time and peak RSS to first output and exit, sharptrace vs bpftrace in the
# same run. Needs root, ./sharptrace (./build.sh) and hyperfine + bpftrace (tests/install-oracles.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x ./sharptrace ] || ./build.sh
command -v hyperfine >/dev/null && command -v bpftrace >/dev/null || tests/install-oracles.sh
hello='BEGIN { printf("hi\n"); exit(); }'
tracepoint='tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @[comm] = count(); }'
runs="${RUNS:-20}"
# The tracepoint script runs until its -c command (absolute path: bpftrace needs one) exits.
# Runs back to back pay a kernel wait a single run does not: attaching the first probe to a
# tracepoint waits for the RCU grace period that began when the previous run detached the last one
# (tracepoint_add_func, 0->1 after 1->0; about 12 ms here), so each script is measured both ways.
for script in "$hello" "$tracepoint"; do
    extra=""
    [ "$script" = "$tracepoint" ] && extra="-c /usr/bin/true"
    for pause in "" "sleep 0.1"; do
        label="(back to back)"
        [ -n "$pause" ] && label="(runs ${pause#sleep } s apart)"
        echo "== $script $extra $label"
        hyperfine -N --warmup 3 --runs "$runs" ${pause:+--prepare "$pause"} \
            "./sharptrace $extra -e '$script'" "bpftrace $extra -e '$script'" 2>/dev/null | grep -E "Time|±|faster|sharptrace|bpftrace" || true
    done
    for tool in ./sharptrace bpftrace; do
        # GNU time writes the peak RSS (KiB) as the last line of its stderr.
        rss=$(/usr/bin/time -f %M "$tool" $extra -e "$script" 2>&1 >/dev/null | tail -1)
        echo "peak RSS $tool: ${rss} KiB"
    done
done
