using System.Diagnostics;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// A command started stopped just before its exec, so counters and rings can be attached to its
/// pid with enable_on_exec and count from its first instruction (perf forks and waits on a pipe;
/// we cannot fork from .NET, so a tiny shell stops itself with SIGSTOP and execs on SIGCONT).
/// stdin/stdout/stderr are inherited, as with perf.
/// </summary>
public sealed class LaunchedCommand : IDisposable
{
    private readonly Process process;
    private readonly (TimeSpan User, TimeSpan System) usageBefore;

    private LaunchedCommand(Process process, string commandLine)
    {
        this.process = process;
        CommandLine = commandLine;
        usageBefore = ChildrenUsage();
    }

    /// <summary>The pid (the shell's, which becomes the command's at exec).</summary>
    public int Pid => process.Id;

    /// <summary>The command as perf shows it: its words joined by spaces.</summary>
    public string CommandLine { get; }

    /// <summary>Starts <paramref name="command"/> stopped before its exec.</summary>
    /// <exception cref="ArgumentException">An empty command, or one that is not found on PATH.</exception>
    public static LaunchedCommand StartStopped(IReadOnlyList<string> command)
    {
        if (command.Count == 0) throw new ArgumentException("no command given");
        if (!command[0].Contains('/') && FindOnPath(command[0]) is null && !File.Exists(command[0]))
            throw new ArgumentException($"command '{command[0]}' not found");
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("kill -STOP $$; exec \"$@\"");
        info.ArgumentList.Add("sh");
        foreach (var word in command) info.ArgumentList.Add(word);
        var process = Process.Start(info) ?? throw new ArgumentException($"cannot start '{command[0]}'");
        var launched = new LaunchedCommand(process, string.Join(' ', command));
        launched.WaitUntilStopped();
        return launched;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    private void WaitUntilStopped()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (process.HasExited) throw new ArgumentException($"'{CommandLine}' exited before it started");
            try
            {
                var stat = File.ReadAllText($"/proc/{process.Id}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..][0];
                if (state is 'T' or 't') return;
            }
            catch (IOException) { }
            Thread.Sleep(1);
        }
        throw new TimeoutException($"'{CommandLine}' did not reach its exec within 10 s");
    }

    /// <summary>Lets the command exec and run.</summary>
    public void Resume() => PerfNative.Kill(process.Id, PerfNative.SigCont);

    /// <summary>Waits for the command to end and returns its exit code (128+signal when killed).</summary>
    public int WaitForExit()
    {
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits up to <paramref name="milliseconds"/>; true when it has ended.</summary>
    public bool WaitForExit(int milliseconds) => process.WaitForExit(milliseconds);

    /// <summary>True once the command has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>User and system CPU time of the command and its reaped children (perf's "seconds user/sys").</summary>
    public (TimeSpan User, TimeSpan System) CpuTimes
    {
        get
        {
            var now = ChildrenUsage();
            return (now.User - usageBefore.User, now.System - usageBefore.System);
        }
    }

    private static unsafe (TimeSpan User, TimeSpan System) ChildrenUsage()
    {
        PerfNative.Rusage usage;
        if (PerfNative.GetRusage(PerfNative.RusageChildren, &usage) != 0) return default;
        return (TimeSpan.FromMicroseconds(usage.UserSeconds * 1_000_000 + usage.UserMicroseconds),
            TimeSpan.FromMicroseconds(usage.SystemSeconds * 1_000_000 + usage.SystemMicroseconds));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!process.HasExited)
        {
            PerfNative.Kill(process.Id, PerfNative.SigKill);
            process.WaitForExit();
        }
        process.Dispose();
    }
}
