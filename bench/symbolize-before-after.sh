#!/bin/sh
# Symbolization before and after a change, in the same run (the machine's load moves a lot between
# runs): builds the bench at BEFORE (default: main) into a temporary directory and at the work tree,
# then runs them alternately. Tiered JIT is off so both run fully optimised code, as NativeAOT ships.
# CPU time is the figure to compare; wall time includes waiting for a core on a loaded machine.
set -e
before=${BEFORE:-main}
runs=${RUNS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$root" archive "$before" | tar -x -C "$tmp"
dotnet build -c Release -v q -o "$tmp/before-bin" "$tmp/bench/Sharptrace.Bench" >/dev/null
dotnet build -c Release -v q -o "$tmp/after-bin" "$root/bench/Sharptrace.Bench" >/dev/null
i=0
while [ $i -lt "$runs" ]; do
  printf 'before (%s): ' "$before"; DOTNET_TieredCompilation=0 dotnet "$tmp/before-bin/Sharptrace.Bench.dll" symbolize | tr '\n' ' '; echo
  printf 'after:         '; DOTNET_TieredCompilation=0 dotnet "$tmp/after-bin/Sharptrace.Bench.dll" symbolize | tr '\n' ' '; echo
  # Names on demand are the default now; this run asks for every name, as "before" did.
  printf 'after, named:  '; SYMBOLIZE_NAMES=1 DOTNET_TieredCompilation=0 dotnet "$tmp/after-bin/Sharptrace.Bench.dll" symbolize | head -1
  i=$((i + 1))
done
