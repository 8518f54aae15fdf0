using System.Diagnostics;
using System.Text;
using Sharptrace.Kernel;
using Sharptrace.Tests.Support;
using Sharptrace.Tracing.Ftrace;

namespace Sharptrace.Tests.Ftrace;

/// <summary>
/// `ftrace stream`, `stat` and `reset` against known activity on the host kernel: the streamed lines
/// are exactly the workload's, stat shows what a running record set up, reset clears what we set.
/// </summary>
[Collection(FtraceKernelCollection.Name)]
public sealed class FtraceLiveCommandsHostTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sharptrace-live-").FullName;
    private readonly List<Process> processes = [];

    public void Dispose()
    {
        foreach (var process in processes)
        {
            // SIGTERM first: a recorder killed outright would leave its instance for the next run.
            if (!process.HasExited) FtraceTestNative.Kill(process.Id, 15);
            if (!process.WaitForExit(20_000)) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
        Directory.Delete(directory, recursive: true);
        FtraceRecordHostTests.AssertNothingLeft();
    }

    /// <summary>Starts sharptrace in the background with its output collected.</summary>
    private (Process Process, StringBuilder StdOut, StringBuilder StdErr) Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(SharptraceBinary.Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        processes.Add(process);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, stdout, stderr);
    }

    /// <summary>Waits until the instance of <paramref name="pid"/> is tracing with <paramref name="eventPath"/> enabled (the command's setup is done).</summary>
    private static string WaitUntilTracing(int pid, string eventPath)
    {
        var instance = Path.Combine(TraceFs.Root, "instances", TraceInstance.Prefix + pid);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (File.ReadAllText(Path.Combine(instance, "events", eventPath, "enable")).Trim() == "1"
                    && File.ReadAllText(Path.Combine(instance, "tracing_on")).Trim() == "1")
                    return instance;
            }
            catch (IOException) { } // not created yet
            Thread.Sleep(20);
        }
        Assert.Fail($"instance {instance} did not start tracing {eventPath}");
        return instance;
    }

    private static void Terminate(Process process)
    {
        FtraceTestNative.Kill(process.Id, 15);
        Assert.True(process.WaitForExit(20_000), "did not stop on SIGTERM");
        process.WaitForExit(); // drains the asynchronous output readers
    }

    [Fact]
    public void StreamPrintsExactlyTheWorkloadsEventsLiveAndCleansUpOnSigterm()
    {
        Require.Root();
        const int writes = 37;
        const int size = 4321; // a write size nothing else on the machine uses
        var (stream, stdout, stderr) = Start("ftrace", "stream", "-e", "syscalls:sys_enter_write", "-f", $"count == {size}");
        var instance = WaitUntilTracing(stream.Id, "syscalls/sys_enter_write");
        var dd = ProcessRunner.Run("/bin/dd", ["if=/dev/zero", "of=/dev/null", $"bs={size}", $"count={writes}"], TimeSpan.FromSeconds(30));
        Assert.Equal(0, dd.ExitCode);
        // Live: the lines arrive while the stream still runs, not only at its end.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        int Seen() { lock (stdout) return stdout.ToString().Split('\n').Count(l => l.Contains("sys_enter_write:")); }
        while (Seen() < writes && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.Equal(writes, Seen());
        Assert.False(stream.HasExited);

        Terminate(stream);
        Assert.True(stream.ExitCode == 0, stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(writes, lines.Length);
        // Decoded with the print fmt, and the comm learned live (saved_cmdlines is not read while streaming).
        Assert.All(lines, l => Assert.Matches($@"^\s*\S+-\d+\s+\[\d{{3}}\] \d+\.\d{{6}}: sys_enter_write:\s+fd: 0x[0-9a-f]{{8}}, buf: 0x[0-9a-f]+, count: 0x{size:x8}$", l));
        Assert.False(Directory.Exists(instance));
    }

    [Fact]
    public void StatShowsWhatARunningRecordSetUpAndChangesNothing()
    {
        Require.Root();
        var (record, _, recordErr) = Start("ftrace", "record", "-e", "sched:sched_switch", "-f", "prev_pid == 4242", "-P", "4242", "-b", "1024", "-o", Path.Combine(directory, "stat.dat"));
        var instanceName = TraceInstance.Prefix + record.Id;
        WaitUntilTracing(record.Id, "sched/sched_switch");
        var topBefore = File.ReadAllText(Path.Combine(TraceFs.Root, "set_event"));

        var stat = SharptraceBinary.Run("ftrace", "stat");
        Assert.True(stat.ExitCode == 0, stat.ToString());
        Assert.StartsWith("top level:\n", stat.StdOut);
        var section = stat.StdOut[stat.StdOut.IndexOf($"instance {instanceName}:\n", StringComparison.Ordinal)..];
        var next = section.IndexOf("\ninstance ", 1, StringComparison.Ordinal);
        if (next > 0) section = section[..next];
        var dynamicEvents = section.IndexOf("\ndynamic events:", StringComparison.Ordinal);
        if (dynamicEvents > 0) section = section[..dynamicEvents];
        Assert.Matches(@"tracer:\s+nop\s+tracing_on: 1", section);
        // The kernel rounds the size up to whole pages.
        var buffer = System.Text.RegularExpressions.Regex.Match(section, @"buffer:\s+(\d+) KB per CPU\n");
        Assert.True(buffer.Success, section);
        Assert.InRange(int.Parse(buffer.Groups[1].Value), 1024, 1100);
        Assert.Contains("events:       sched:sched_switch\n", section);
        Assert.Contains("filter:       sched:sched_switch: prev_pid == 4242\n", section);
        Assert.Contains("set_event_pid: 4242\n", section);
        Assert.Equal(Environment.ProcessorCount, section.Split('\n').Count(l => l.TrimStart().StartsWith("cpu", StringComparison.Ordinal) && l.Contains("entries ")));
        Assert.Equal(topBefore, File.ReadAllText(Path.Combine(TraceFs.Root, "set_event")));

        Terminate(record);
        Assert.True(record.ExitCode == 0, recordErr.ToString());
    }

    [Fact]
    public void ResetClearsTheTopLevelAndRemovesStaleInstances()
    {
        Require.Root();
        var root = TraceFs.Root;
        var files = new TraceFsFiles(root);
        // The top level is shared with anyone tracing on this machine: only reset it when it is idle.
        if (files.Read("current_tracer").Trim() != "nop" || files.Read("set_event").Trim().Length > 0 || files.Read("set_event_pid").Trim().Length > 0)
            Assert.Skip("the top-level tracing buffer is in use; not resetting it");
        var stale = Path.Combine(root, "instances", TraceInstance.Prefix + "999999998");
        Directory.CreateDirectory(stale);
        try
        {
            files.Write("events/sched/sched_switch/enable", "1");
            files.Write("events/sched/sched_switch/filter", "prev_pid == 4242");
            files.Write("events/sched/sched_wakeup/trigger", "traceoff");
            files.Write("set_event_pid", "4242");
            files.Write("tracing_on", "0");

            var reset = SharptraceBinary.Run("ftrace", "reset");
            Assert.True(reset.ExitCode == 0, reset.ToString());
            Assert.Contains("2 filters/triggers removed", reset.StdErr);
            Assert.Contains($"removed {TraceInstance.Prefix}999999998", reset.StdErr);
            Assert.Equal("", files.Read("set_event").Trim());
            Assert.Equal("0", files.Read("events/sched/sched_switch/enable").Trim());
            Assert.Equal("none", files.Read("events/sched/sched_switch/filter").Trim());
            Assert.DoesNotContain(files.Read("events/sched/sched_wakeup/trigger").Split('\n'), l => l.StartsWith("traceoff", StringComparison.Ordinal));
            Assert.Equal("", files.Read("set_event_pid").Trim());
            Assert.Equal("1", files.Read("tracing_on").Trim());
            Assert.Equal("nop", files.Read("current_tracer").Trim());
            Assert.False(Directory.Exists(stale));
        }
        finally
        {
            // Whatever failed above, leave the top level as it was found.
            files.Write("events/sched/sched_switch/enable", "0");
            files.Write("events/sched/sched_switch/filter", "0");
            try { files.Write("events/sched/sched_wakeup/trigger", "!traceoff", append: true); } catch (TraceFsWriteException) { }
            files.Write("set_event_pid", "");
            files.Write("tracing_on", "1");
            if (Directory.Exists(stale)) Directory.Delete(stale);
        }
    }
}
