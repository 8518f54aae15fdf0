#!/usr/bin/env bash
# Runs the whole test suite (unit, real-kernel, qemu kernel VM tests) and ends with a plain
# "N passed, N failed[, N skipped]" line. Kernel tests need root; the VM tests install qemu with apt-get.
set -uo pipefail
cd "$(dirname "$0")"
./build.sh || { echo "0 passed, 1 failed"; exit 1; }
export SHARPTRACE_BIN="$PWD/sharptrace"
results="$PWD/TestResults/run-$$"
rm -rf "$results"
# The whole run is bounded: a hung tracer must fail the run, not hold CI.
timeout --kill-after=30 80m dotnet test sharptrace.sln -nologo \
  --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" 2>&1 \
  | grep -vE '^\s*Passed ' # keep failures and skips with their reasons, drop the per-test "Passed" noise
status=${PIPESTATUS[0]}
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { sed -E "s/.* $1=\"([0-9]+)\".*/\1/" <<<"$counters"; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted))); skipped=$((skipped + $(get total) - $(get executed)))
done
# A crashed or timed-out run that wrote no counts still fails.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
