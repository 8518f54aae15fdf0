#!/usr/bin/env bash
# Bench: `sharptrace ftrace record/report` against `trace-cmd record/report` (same run, same events,
# same buffer size) on a syscall-heavy workload. Needs root; installs trace-cmd if missing.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v trace-cmd >/dev/null || apt-get install -y trace-cmd >/dev/null
[ -x ./sharptrace ] || ./build.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
workload="dd if=/dev/zero of=/dev/null bs=1 count=${COUNT:-200000}"
events=(-e sched:sched_switch -e syscalls:sys_enter_read -e syscalls:sys_exit_read -e syscalls:sys_enter_write -e syscalls:sys_exit_write)
measure() { # name, command...: wall and CPU seconds of the recorder itself
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err"
  echo "$? $(cat "$out/$name.time")"
}
read -r rc wall user sys <<<"$(measure st-record ./sharptrace ftrace record -b 8192 "${events[@]}" -o "$out/st.dat" -- $workload)"
st_events=$(grep -o 'recorded [0-9]* events' "$out/st-record.err" | grep -o '[0-9]*')
st_lost=$(grep -o 'lost [0-9]*' "$out/st-record.err" | grep -o '[0-9]*')
echo "sharptrace record: exit $rc, $st_events events, lost $st_lost, wall ${wall}s, recorder CPU $(echo "$user + $sys" | bc)s, $(awk -v e="$st_events" -v w="$wall" 'BEGIN { printf "%.0f", e / w }') events/s over the whole run"
read -r rc wall user sys <<<"$(measure tc-record trace-cmd record -b 8192 "${events[@]}" -o "$out/tc.dat" -F $workload)"
if [ "$rc" -eq 0 ]; then
  echo "trace-cmd record:  exit $rc, wall ${wall}s, recorder CPU $(echo "$user + $sys" | bc)s; $(grep -i -E 'overrun|lost' "$out/tc-record.out" | head -2 | tr '\n' ' ')"
else
  echo "trace-cmd record:  failed (exit $rc): $(tail -1 "$out/tc-record.err")"
fi
read -r rc wall user sys <<<"$(measure st-report ./sharptrace ftrace report -i "$out/st.dat")"
echo "sharptrace report: exit $rc, $(wc -l <"$out/st-report.out") lines, wall ${wall}s, CPU $(echo "$user + $sys" | bc)s"
if [ -f "$out/tc.dat" ]; then
  read -r rc wall user sys <<<"$(measure tc-report trace-cmd report -i "$out/tc.dat")"
  echo "trace-cmd report:  exit $rc, $(wc -l <"$out/tc-report.out") lines, wall ${wall}s, CPU $(echo "$user + $sys" | bc)s"
fi
dotnet run -c Release --project bench/Sharptrace.Bench -- ftrace-pages "$out/st.dat" 10
