using System.Diagnostics;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// A command started stopped (via <c>sh -c 'kill -STOP $$; exec "$@"'</c>), so its pid can be put in
/// the pid filters before it runs a single instruction of its own; <see cref="Resume"/> lets it go.
/// </summary>
public sealed class StoppedChild : IDisposable
{
    private readonly Process process;

    private StoppedChild(Process process) => this.process = process;

    /// <summary>The command's pid (the shell execs it, so the pid stays).</summary>
    public int Pid => process.Id;

    /// <summary>Starts <paramref name="command"/> and waits until it has stopped itself.</summary>
    public static StoppedChild Start(IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("kill -STOP $$; exec \"$@\"");
        info.ArgumentList.Add("sh");
        foreach (var word in command) info.ArgumentList.Add(word);
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start /bin/sh");
        var child = new StoppedChild(process);
        var deadline = Stopwatch.StartNew();
        while (State(process.Id) != 'T')
        {
            if (process.HasExited) throw new ArgumentException($"'{string.Join(' ', command)}' exited before it could be traced");
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                child.Dispose();
                throw new IOException("the command did not reach its start point in 10 s");
            }
            Thread.Sleep(1);
        }
        return child;
    }

    private static char State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close >= 0 && close + 2 < stat.Length ? stat[close + 2] : '?';
        }
        catch (IOException) { return '?'; }
    }

    /// <summary>Lets the command run.</summary>
    public void Resume() => FtraceNative.Kill(Pid, FtraceNative.SIGCONT);

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Its exit code (after it exited).</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Waits up to <paramref name="timeout"/> for the exit.</summary>
    public bool WaitForExit(TimeSpan timeout) => process.WaitForExit(timeout);

    /// <summary>Kills the command if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(2000); }
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}
