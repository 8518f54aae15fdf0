#!/bin/sh
# Runs inside the qemu kernel VM (busybox sh; shipped by ftrace-vs-trace-cmd-vm.sh and by the VM test):
# the same record/report workload with `sharptrace ftrace` and with `trace-cmd`, in one boot, so the
# ratios compare like with like. Prints `key=value` lines (parsed by the VM test) and a summary.
# Usage: ftrace-vm-guest COUNT BUFFER_KB
count=${1:-20000}
buffer=${2:-8192}
cd /tmp || exit 1
workload="dd if=/dev/zero of=/dev/null bs=1 count=$count"
events="-e sched:sched_switch -e syscalls:sys_enter_read -e syscalls:sys_exit_read -e syscalls:sys_enter_write -e syscalls:sys_exit_write"

# name, command...: runs it under busybox time; sets rc, wall, cpu (user + sys of the tool and its children).
measure() {
  name=$1; shift
  time -f "%e %U %S" -o "/tmp/$name.time" "$@" >"/tmp/$name.out" 2>"/tmp/$name.err"
  rc=$?
  set -- $(tail -1 "/tmp/$name.time")
  wall=$1
  cpu=$(echo "$2 + $3" | bc)
}

# Counts per event name in a text report: the word ending in ':' right after the timestamp.
count_events() {
  sed -n 's/^.*\] *[0-9][0-9.]*: *\([A-Za-z_0-9]*\):.*$/\1/p' "$1" | sort | uniq -c | awk '{ print $2 "=" $1 }'
}

# The bare workload: what tracing costs is measured against this.
measure bare $workload
echo "bare_wall=$wall bare_cpu=$cpu"

measure st_record sharptrace ftrace record -b "$buffer" $events -o /tmp/st.dat -- $workload
st_events=$(sed -n 's/.*recorded \([0-9]*\) events.*/\1/p' /tmp/st_record.err)
st_lost=$(sed -n 's/.*; lost \([0-9]*\).*/\1/p' /tmp/st_record.err)
echo "st_record_rc=$rc st_record_wall=$wall st_record_cpu=$cpu st_record_events=$st_events st_record_lost=$st_lost"
[ "$rc" = 0 ] || { echo "st_record_error: $(tail -3 /tmp/st_record.err)"; }

measure tc_record trace-cmd record -b "$buffer" $events -o /tmp/tc.dat -F $workload
tc_overrun=$(sed -n 's/^overrun: *\([0-9]*\).*/\1/p' /tmp/tc_record.out | awk '{ s += $1 } END { print s + 0 }')
echo "tc_record_rc=$rc tc_record_wall=$wall tc_record_cpu=$cpu tc_record_overrun=$tc_overrun"
[ "$rc" = 0 ] || { echo "tc_record_error: $(tail -3 /tmp/tc_record.err)"; }

measure st_report sharptrace ftrace report -i /tmp/st.dat
echo "st_report_rc=$rc st_report_wall=$wall st_report_cpu=$cpu st_report_lines=$(wc -l </tmp/st_report.out)"
measure tc_report trace-cmd report -i /tmp/tc.dat
echo "tc_report_rc=$rc tc_report_wall=$wall tc_report_cpu=$cpu tc_report_lines=$(wc -l </tmp/tc_report.out)"

# Both tools on the same workload: the counts per event of the traced command (its pid filter).
count_events /tmp/st_report.out | sed 's/^/st_count_/'
count_events /tmp/tc_report.out | sed 's/^/tc_count_/'
exit 0
