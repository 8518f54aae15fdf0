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
for script in "$hello" "$tracepoint"; do
    extra=""
    [ "$script" = "$tracepoint" ] && extra="-c /usr/bin/true"
    echo "== $script $extra"
    hyperfine -N --warmup 3 --runs "$runs" \
        "./sharptrace $extra -e '$script'" "bpftrace $extra -e '$script'" 2>/dev/null | grep -E "Time|±|faster|sharptrace|bpftrace" || true
    for tool in ./sharptrace bpftrace; do
        # GNU time writes the peak RSS (KiB) as the last line of its stderr.
        rss=$(/usr/bin/time -f %M "$tool" $extra -e "$script" 2>&1 >/dev/null | tail -1)
        echo "peak RSS $tool: ${rss} KiB"
    done
done
