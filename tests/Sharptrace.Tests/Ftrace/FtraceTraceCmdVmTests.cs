using System.Text.RegularExpressions;
using Sharptrace.Tests.Vm;

namespace Sharptrace.Tests.Ftrace;

/// <summary>
/// trace-cmd as the oracle, in the qemu kernel VM (its record fails on the host kernel): the same
/// workload recorded and reported by both tools in one boot (bench/ftrace-vm-guest.sh, which the
/// bench also runs) must give the same counts of the workload's deterministic events.
/// </summary>
[Collection(QemuVmCollection.Name)]
public sealed partial class FtraceTraceCmdVmTests(QemuVmFixture fixture)
{
    const int Bytes = 3000;

    [Fact]
    public void RecordAndReportCountTheSameEventsAsTraceCmd()
    {
        var traceCmd = new[] { "/usr/bin/trace-cmd", "/bin/trace-cmd" }.FirstOrDefault(File.Exists);
        if (traceCmd is null)
            Assert.Skip("trace-cmd is not installed on the host (apt-get install trace-cmd)");
        var vm = fixture.Vm;
        var guestScript = Path.Combine(QemuVm.RepoRoot, "bench", "ftrace-vm-guest.sh");
        var result = vm.Run($"sh /bin/ftrace-vm-guest {Bytes} 2048",
            [(QemuVmFixture.SharptraceBinary, "/bin/sharptrace"), (traceCmd, "/bin/trace-cmd"), (guestScript, "/bin/ftrace-vm-guest")],
            TimeSpan.FromSeconds(280));
        Assert.True(result.ExitCode == 0, result.ToString());
        var values = KeyValue().Matches(result.Output).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        long Get(string key)
        {
            long n = 0;
            Assert.True(values.TryGetValue(key, out var v) && long.TryParse(v, out n), $"no {key} in:\n{result}");
            return n;
        }

        Assert.Equal(0, Get("st_record_rc"));
        Assert.Equal(0, Get("tc_record_rc"));
        Assert.Equal(0, Get("st_report_rc"));
        Assert.Equal(0, Get("tc_report_rc"));
        Assert.Equal(0, Get("st_record_lost"));
        Assert.Equal(0, Get("tc_record_overrun"));

        // dd bs=1 makes one read and one write per byte, then writes its summary once: exact on both sides.
        foreach (var tool in new[] { "st", "tc" })
        {
            Assert.Equal(Bytes, Get($"{tool}_count_sys_enter_read"));
            Assert.Equal(Bytes, Get($"{tool}_count_sys_exit_read"));
            Assert.Equal(Bytes + 1, Get($"{tool}_count_sys_enter_write"));
        }
        // trace-cmd's forked child signals its parent through a pipe before exec: that write's exit
        // passes the pid filter too, so trace-cmd may see one sys_exit_write more than we do.
        Assert.Equal(Bytes + 1, Get("st_count_sys_exit_write"));
        Assert.InRange(Get("tc_count_sys_exit_write") - Get("st_count_sys_exit_write"), 0, 1);
        // Scheduling is not deterministic, but both saw the workload being switched out and in.
        Assert.True(Get("st_count_sched_switch") > 0, result.ToString());
        Assert.True(Get("tc_count_sched_switch") > 0, result.ToString());

        // Everything we recorded is in our report: one line per event plus the cpus= header.
        Assert.Equal(Get("st_record_events") + 1, Get("st_report_lines"));
    }

    [GeneratedRegex(@"\b(\w+)=(\S*)")]
    private static partial Regex KeyValue();
}
