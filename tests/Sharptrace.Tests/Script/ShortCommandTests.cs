using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// A -c command that ends at once (/bin/true): its exec and its exit are printed on every run. The
/// probes must be attached before the held command is let go, and the events of its last instant
/// read after it has been reaped, or a run prints nothing now and then.
/// </summary>
public class ShortCommandTests
{
    private const int Runs = 25;

    private const string Script = """
        tracepoint:syscalls:sys_enter_execve /pid == cpid/ { printf("exec\n") }
        tracepoint:sched:sched_process_exit /pid == cpid/ { printf("exit\n") }
        """;

    private const string Expected = "Attaching 2 probes...\nexec\nexit\n\n\n";

    [Fact]
    public void EveryRunPrintsTheExecAndTheExitOfACommandThatEndsAtOnce()
    {
        Require.Root();
        var outputs = new List<string>();
        for (var i = 0; i < Runs; i++)
        {
            var run = ProcessRunner.Run(SharptraceBinary.Path, ["-c", "/bin/true", "-e", Script], TimeSpan.FromSeconds(30));
            Assert.True(run.ExitCode == 0, $"run {i + 1}: {run}");
            outputs.Add(run.StdOut);
        }
        Assert.All(outputs, output => Assert.Equal(Expected, output));
    }

    [Fact]
    public void TheOutputIsBpftracesOwn()
    {
        Require.Root();
        if (!File.Exists("/usr/bin/bpftrace")) Assert.Skip("bpftrace (the reference) is not installed: tests/install-oracles.sh installs it");
        var reference = ProcessRunner.Run("/usr/bin/bpftrace", ["-c", "/bin/true", "-e", Script], TimeSpan.FromSeconds(60));
        Assert.True(reference.ExitCode == 0, reference.ToString());
        var ours = ProcessRunner.Run(SharptraceBinary.Path, ["-c", "/bin/true", "-e", Script], TimeSpan.FromSeconds(30));
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal(reference.StdOut, ours.StdOut);
    }
}
