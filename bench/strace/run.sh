#!/usr/bin/env bash
# Syscall-heavy workload (about 600k calls): bare vs sharptrace strace (-f -o file, -c) vs strace, in the same run.
# Prints wall seconds and the ratio to the bare run. Needs root and ./sharptrace (./build.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${COUNT:-300000}"
work="dd if=/dev/zero of=/dev/null bs=1 count=$count status=none"
out=$(mktemp -d)
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
bare=$(t $work)
ours_full=$(t ./sharptrace strace -f -o "$out/ours.txt" $work)
ours_c=$(t ./sharptrace strace -c -o "$out/ours-c.txt" $work)
strace_full=$(t strace -f -o "$out/strace.txt" $work)
strace_c=$(t strace -c -o "$out/strace-c.txt" $work)
printf '%-28s %8s %8s\n' run seconds ratio
for row in "bare:$bare" "sharptrace -f -o:$ours_full" "sharptrace -c:$ours_c" "strace -f -o:$strace_full" "strace -c:$strace_c"; do
  name=${row%%:*}; secs=${row#*:}
  printf '%-28s %8.3f %8.1fx\n' "$name" "$secs" "$(echo "$secs / $bare" | bc -l)"
done
echo "lines: ours $(wc -l < "$out/ours.txt"), strace $(wc -l < "$out/strace.txt")"
grep -h "lost" "$out/ours.txt" | head -3 || true
rm -rf "$out"
