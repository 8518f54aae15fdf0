#!/usr/bin/env bash
# Records the reference output of every conformance case into expected/NAME.out, for machines
# without bpftrace: bpftrace 0.17's stdout, or ./sharptrace's for "// EXTENSION:" cases (which
# bpftrace cannot run; review those by hand). "// EXPECT-ERROR:" cases need no recording.
set -uo pipefail
cd "$(dirname "$0")"
ours="${SHARPTRACE_BIN:-../../sharptrace}"
mkdir -p expected
for case in cases/${1:-*}.bt; do
    name=$(basename "$case" .bt)
    grep -q '^// EXPECT-ERROR:' "$case" && continue
    tool=bpftrace
    grep -q '^// EXTENSION:' "$case" && tool="$ours"
    args=$(sed -n 's|^// ARGS: ||p' "$case")
    positional=$(sed -n 's|^// POSITIONAL: ||p' "$case")
    eval "set -- $args"
    timeout -k 2 30 "$tool" "$@" "$case" $positional >"expected/$name.out" 2>/dev/null </dev/null || echo "record: $name failed under $tool" >&2
done
