#!/usr/bin/env bash
# Bench: `sharptrace ftrace record/report` against `trace-cmd record/report` in the qemu kernel VM,
# where trace-cmd works (on the host its record fails: "Can't enable ftrace"). Both run in ONE boot
# on the same workload (dd bs=1: one read and one write per byte) with the same events and buffer
# size; ratios are trace-cmd / sharptrace (above 1: we are faster). Absolute times are TCG-emulated
# (tens of times slower than the host): read the ratios, not the seconds.
# Usage: bench/ftrace-vs-trace-cmd-vm.sh [COUNT [BUFFER_KB]]   (root: installs trace-cmd if missing)
set -uo pipefail
cd "$(dirname "$0")/.."
count=${1:-20000}
buffer=${2:-8192}
command -v trace-cmd >/dev/null || apt-get install -y trace-cmd >/dev/null
[ -x ./sharptrace ] || ./build.sh
tests/vm/vm.sh setup >/dev/null || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# trace-cmd's libraries (libtracecmd, libtraceevent, libtracefs, libzstd) travel along: vm.sh copies what ldd names.
tests/vm/vm.sh run --timeout 590 --file ./sharptrace --file "$(command -v trace-cmd)" \
  --file bench/ftrace-vm-guest.sh:/bin/ftrace-vm-guest -- "sh /bin/ftrace-vm-guest $count $buffer" | tee "$out"
get() { tr ' ' '\n' <"$out" | sed -n "s/^$1=//p" | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "dd bs=1 count=$count, sched_switch + read/write enter/exit, -b $buffer KB, 1 vCPU (TCG):"
echo "  record wall: sharptrace $(get st_record_wall)s, trace-cmd $(get tc_record_wall)s -> ratio $(ratio "$(get tc_record_wall)" "$(get st_record_wall)")"
echo "  record CPU (tool + workload): sharptrace $(get st_record_cpu)s, trace-cmd $(get tc_record_cpu)s -> ratio $(ratio "$(get tc_record_cpu)" "$(get st_record_cpu)") (bare workload $(get bare_cpu)s)"
echo "  events: sharptrace $(get st_record_events) recorded, lost $(get st_record_lost); trace-cmd overrun $(get tc_record_overrun)"
echo "  report wall: sharptrace $(get st_report_wall)s, trace-cmd $(get tc_report_wall)s -> ratio $(ratio "$(get tc_report_wall)" "$(get st_report_wall)")"
echo "  report CPU: sharptrace $(get st_report_cpu)s, trace-cmd $(get tc_report_cpu)s -> ratio $(ratio "$(get tc_report_cpu)" "$(get st_report_cpu)")"
for event in sys_enter_read sys_exit_read sys_enter_write sys_exit_write sched_switch; do
  echo "  $event: sharptrace $(get "st_count_$event"), trace-cmd $(get "tc_count_$event")"
done
