using System.Text.Json;
using Sharptrace.Kernel;
using Sharptrace.Tests.Support;
using Sharptrace.Tracing.Ftrace;

namespace Sharptrace.Tests.Ftrace;

/// <summary>
/// `sharptrace ftrace record/report` on the host kernel against a child with known activity: exact
/// counts and field values, kernel stats agreeing with what we decode, Chrome JSON, state restored.
/// </summary>
[Collection(FtraceKernelCollection.Name)]
public sealed class FtraceRecordHostTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sharptrace-ftrace-").FullName;

    public void Dispose()
    {
        Directory.Delete(directory, recursive: true);
        AssertNothingLeft();
    }

    internal static void AssertNothingLeft()
    {
        var root = TraceFs.FindMounted();
        if (root is null) return;
        var left = Directory.EnumerateDirectories(Path.Combine(root, "instances"), TraceInstance.Prefix + "*").ToList();
        Assert.True(left.Count == 0, $"leftover instances: {string.Join(' ', left)}");
    }

    private static string TopLevelState()
    {
        var root = TraceFs.Root;
        string Read(string f) => File.ReadAllText(Path.Combine(root, f));
        return string.Join("|", Read("current_tracer"), Read("set_event"), Read("tracing_on"), Read("buffer_size_kb"), Read("saved_cmdlines_size"), Read("set_event_pid"));
    }

    [Fact]
    public void RecordsExactlyTheChildsWritesWithTheirFieldsAndStatsAgree()
    {
        Require.Root();
        const int writes = 250;
        var target = NativeProgram.Build("ftrace_target");
        var output = Path.Combine(directory, "trace.dat");
        var before = TopLevelState();
        var record = ProcessRunner.Run(SharptraceBinary.Path,
            ["ftrace", "record", "-e", "sched:sched_switch", "-e", "syscalls:sys_enter_write", "-e", "syscalls:sys_exit_write", "-o", output, "--", target, writes.ToString()],
            TimeSpan.FromSeconds(60));
        Assert.True(record.ExitCode == 0, record.ToString());
        Assert.Equal(before, TopLevelState());
        var pid = int.Parse(record.StdOut.Split(' ')[1]);

        var file = TraceFile.Load(output);
        var records = TraceRecordMerger.Merge(file, out var cursors).ToList();
        Assert.All(cursors, c => Assert.Equal(0, c.BadPages));
        var enterWrite = file.Events.Find("syscalls", "sys_enter_write")!;
        var count = enterWrite.Format.Field("count")!;
        var fd = enterWrite.Format.Field("fd")!;
        // The child's writes to /dev/null; its final printf goes to stdout (fd 1).
        var mine = records.Where(r => r.Type == enterWrite.Id && r.Pid == pid && RecordFields.ReadInteger(r.Data.Span, fd) != 1).ToList();
        Assert.Equal(writes, mine.Count);
        Assert.All(mine, r => Assert.Equal(7, RecordFields.ReadInteger(r.Data.Span, count)));
        Assert.Single(mine.Select(r => RecordFields.ReadInteger(r.Data.Span, fd)).Distinct());
        var exitWrite = file.Events.Find("syscalls", "sys_exit_write")!;
        Assert.Equal(writes, records.Count(r => r.Type == exitWrite.Id && r.Pid == pid && RecordFields.ReadInteger(r.Data.Span, exitWrite.Format.Field("ret")!) == 7));
        // Time order across CPUs.
        for (var i = 1; i < records.Count; i++) Assert.True(records[i - 1].Timestamp <= records[i].Timestamp);
        // The kernel's own counters: every event it handed to a reader is one we decoded, none lost.
        foreach (var (cpu, text) in file.CpuStats)
        {
            var stats = CpuBufferStats.Parse(cpu, text);
            Assert.Equal(stats.ReadEvents, records.Count(r => r.Cpu == cpu && !r.IsLostMarker));
            Assert.Equal(0, stats.Lost);
        }
        Assert.Contains(records, r => r.Type == file.Events.Find("sched", "sched_switch")!.Id);

        // The text report: ordered lines with the child's comm.
        var report = SharptraceBinary.Run("ftrace", "report", "-i", output);
        Assert.True(report.ExitCode == 0, report.ToString());
        var lines = report.StdOut.Split('\n').Where(l => l.Contains("sys_enter_write:") && l.Contains($"-{pid} ") && !l.Contains("fd: 0x00000001,")).ToList();
        Assert.Equal(writes, lines.Count);
        Assert.Contains("count: 0x00000007", lines[0]);
        Assert.Contains("ftrace_target", lines[0]);

        // JSON: the fields decoded.
        var json = SharptraceBinary.Run("ftrace", "report", "-i", output, "--json");
        using var document = JsonDocument.Parse(json.StdOut);
        var jsonWrites = document.RootElement.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("event").GetString() == "sys_enter_write" && e.GetProperty("pid").GetInt32() == pid && e.GetProperty("fields").GetProperty("fd").GetUInt64() != 1).ToList();
        Assert.Equal(writes, jsonWrites.Count);
        Assert.All(jsonWrites, e => Assert.Equal(7UL, e.GetProperty("fields").GetProperty("count").GetUInt64()));
    }

    [Fact]
    public void ChromeExportHasRunningSlicesForTheChild()
    {
        Require.Root();
        var target = NativeProgram.Build("ftrace_target");
        var output = Path.Combine(directory, "trace.dat");
        var record = ProcessRunner.Run(SharptraceBinary.Path, ["ftrace", "record", "-q", "-e", "sched:sched_switch", "-e", "syscalls:sys_enter_write", "-o", output, "--", target, "20"], TimeSpan.FromSeconds(60));
        Assert.True(record.ExitCode == 0, record.ToString());
        var pid = int.Parse(record.StdOut.Split(' ')[1]);
        var chrome = Path.Combine(directory, "trace.json");
        var report = SharptraceBinary.Run("ftrace", "report", "-i", output, "--chrome", "-o", chrome);
        Assert.True(report.ExitCode == 0, report.ToString());
        using var document = JsonDocument.Parse(File.ReadAllBytes(chrome));
        var events = document.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        var slices = events.Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("tid").GetInt32() == pid).ToList();
        Assert.True(slices.Count > 0, $"no running slice for {pid}; {events.Count} events, {events.Count(e => e.GetProperty("ph").GetString() == "X")} slices, " +
            $"{events.Count(e => e.GetProperty("ph").GetString() == "i" && e.GetProperty("tid").GetInt32() == pid)} instants of {pid}; record: {record}\n" +
            SharptraceBinary.Run("ftrace", "report", "-i", output).StdOut.Split('\n').Where(l => l.Contains("sched_switch") && l.Contains($"={pid} ")).Take(20).Aggregate("", (a, l) => a + l + "\n"));
        Assert.All(slices, s => Assert.True(s.GetProperty("dur").GetDouble() >= 0));
        Assert.Equal(21, events.Count(e => e.GetProperty("ph").GetString() == "i" && e.GetProperty("name").GetString() == "sys_enter_write" && e.GetProperty("tid").GetInt32() == pid)); // 20 + the final printf
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("args").GetProperty("name").GetString()!.StartsWith("ftrace_target"));
    }

    [Theory]
    [InlineData(new[] { "-e", "nosuch:event" }, "unknown event 'nosuch:event'")]
    [InlineData(new[] { "-p", "nosuchtracer" }, "unknown tracer 'nosuchtracer'")]
    [InlineData(new[] { "-e", "sched:sched_switch", "-f", "nosuchfield == 1" }, "rejected")]
    [InlineData(new[] { "-e", "sched:sched_switch", "-f", "prev_pid == " }, "rejected")]
    [InlineData(new string[0], "nothing to record")]
    public void BadInputIsOneClearLineAndLeavesNothing(string[] arguments, string message)
    {
        Require.Root();
        var before = TopLevelState();
        var output = Path.Combine(directory, "bad.dat");
        var result = ProcessRunner.Run(SharptraceBinary.Path, ["ftrace", "record", "-o", output, .. arguments, "--", "/bin/true"], TimeSpan.FromSeconds(30));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("sharptrace: ", result.StdErr);
        Assert.Contains(message, result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.False(File.Exists(output));
        Assert.Equal(before, TopLevelState());
        AssertNothingLeft();
    }

    [Fact]
    public void RejectedFilterShowsTheKernelsErrorLogWithItsCaret()
    {
        Require.Root();
        var result = ProcessRunner.Run(SharptraceBinary.Path, ["ftrace", "record", "-o", Path.Combine(directory, "x.dat"), "-e", "sched:sched_switch", "-f", "nosuchfield == 1", "--", "/bin/true"], TimeSpan.FromSeconds(30));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Command: nosuchfield == 1", result.StdErr);
        Assert.Contains("^", result.StdErr);
    }

    [Fact]
    public void SigtermRemovesTheInstanceAndAStaleInstanceIsCleanedByTheNextRun()
    {
        Require.Root();
        var root = TraceFs.Root;
        // A stale instance of a pid that cannot exist.
        var stale = Path.Combine(root, "instances", TraceInstance.Prefix + "999999999");
        Directory.CreateDirectory(stale);
        var output = Path.Combine(directory, "sig.dat");
        var info = new System.Diagnostics.ProcessStartInfo(SharptraceBinary.Path) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["ftrace", "record", "-e", "sched:sched_switch", "-o", output]) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var mine = Path.Combine(root, "instances", TraceInstance.Prefix + process.Id);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Directory.Exists(mine) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.True(Directory.Exists(mine), "the recording's instance did not appear");
        Assert.False(Directory.Exists(stale), "the stale instance was not removed");
        Thread.Sleep(300);
        FtraceTestNative.Kill(process.Id, 15);
        Assert.True(process.WaitForExit(20_000));
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.ExitCode == 0, stderr);
        Assert.Contains("stopped by signal", stderr);
        Assert.False(Directory.Exists(mine));
        Assert.True(TraceFile.Load(output).Cpus.Any());
    }
}

internal static partial class FtraceTestNative
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    internal static partial int Kill(int pid, int signal);
}
