#!/usr/bin/env bash
# Quick manual comparison: runs every case with ./sharptrace and bpftrace and prints SAME/DIFF (no normalisation).
cd "$(dirname "$0")"
bin="${SHARPTRACE_BIN:-../../sharptrace}"
for case in cases/${1:-*}.bt; do
    name=$(basename "$case" .bt)
    args=$(sed -n 's|^// ARGS: ||p' "$case")
    positional=$(sed -n 's|^// POSITIONAL: ||p' "$case")
    eval "set -- $args"
    ours=$(timeout -k 2 30 "$bin" "$@" "$case" $positional 2>&1 </dev/null)
    theirs=$(timeout -k 2 30 bpftrace "$@" "$case" $positional 2>/dev/null </dev/null)
    if [ "$ours" == "$theirs" ]; then echo "SAME $name"; else echo "DIFF $name"; diff <(echo "$theirs") <(echo "$ours") | head -${LINES_SHOWN:-6}; fi
done
