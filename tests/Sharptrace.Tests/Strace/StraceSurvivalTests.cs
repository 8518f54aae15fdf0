using System.Text.RegularExpressions;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Strace;

/// <summary>
/// Tracing survives what tracees do to it, with both backends: an exec (by the leader, and by a
/// thread that is not the leader), a SIGKILL from another process, and -p attach then detach with
/// the process running on untraced. And the eBPF default falls back to ptrace where BPF is denied.
/// </summary>
public class StraceSurvivalTests
{
    public static TheoryData<string> Backends => new(StraceComparisonTests.Backends);

    private static string Bin => SharptraceBinary.Path;

    [Theory]
    [MemberData(nameof(Backends))]
    public void ExecOfAnotherBinaryIsShownAndTracingGoesOn(string backend)
    {
        Require.Root();
        var output = TestRunDirectory.PathOf($"sharptrace-st-exec-{backend}.txt");
        var result = ProcessRunner.Shell($"{Bin} strace --backend {backend} -o {output} sh -c '/bin/true; exec cat /etc/hostname' >/dev/null");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(output);
        var exec = Array.FindIndex(lines, l => l.StartsWith("execve(\"/usr/bin/cat\", [\"cat\", \"/etc/hostname\"]", StringComparison.Ordinal) || l.StartsWith("execve(\"/bin/cat\", [\"cat\", \"/etc/hostname\"]", StringComparison.Ordinal));
        Assert.True(exec > 0, "the exec of cat is not shown:\n" + string.Join('\n', lines));
        Assert.EndsWith("= 0", lines[exec]);
        // The new image's calls follow: it opens and reads the file, then exits.
        Assert.Contains(lines.Skip(exec), l => l.StartsWith("openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY", StringComparison.Ordinal));
        Assert.Equal("+++ exited with 0 +++", lines[^1]);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void ExecByANonLeaderThreadContinuesUnderTheProcessId(string backend)
    {
        Require.Root();
        var program = NativeProgram.Build("thread_exec", "-O1 -pthread");
        var output = TestRunDirectory.PathOf($"sharptrace-st-thread-exec-{backend}.txt");
        var result = ProcessRunner.Shell($"{Bin} strace --backend {backend} -f -o {output} {program}");
        Assert.True(result.ExitCode == 0 && result.StdOut.Trim() == "from-thread", result.ToString());
        var lines = File.ReadAllLines(output);
        var pid = int.Parse(lines[0].Split(' ')[0]);
        var exec = Array.FindIndex(lines, l => l.Contains("execve(\"/bin/echo\", [\"echo\", \"from-thread\"]", StringComparison.Ordinal));
        Assert.True(exec > 0, string.Join('\n', lines));
        Assert.Contains(lines, l => Regex.IsMatch(l, $"^{pid} +\\+\\+\\+ superseded by execve in pid \\d+ \\+\\+\\+$"));
        // After the exec, the process's calls come under the process id (the exec'ing thread took it).
        var write = lines.Skip(exec).FirstOrDefault(l => Regex.IsMatch(l, "write\\(1, \"from-thread\\\\n\", 12\\) += 12$"));
        Assert.True(write is not null, string.Join('\n', lines));
        Assert.Equal(pid, int.Parse(write.Split(' ')[0]));
        Assert.Equal($"{pid} +++ exited with 0 +++", Regex.Replace(lines[^1], " +", " "));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void TraceeKilledByAnotherProcess(string backend)
    {
        Require.Root();
        var output = TestRunDirectory.PathOf($"sharptrace-st-kill-{backend}.txt");
        var result = ProcessRunner.Shell($$"""
            {{Bin}} strace --backend {{backend}} -o {{output}} sleep 30 & st=$!
            for i in $(seq 200); do c=$(pgrep -P $st -x sleep) && break; sleep 0.05; done
            sleep 0.5
            kill -KILL $c
            wait $st; echo "rc=$?"
            """, TimeSpan.FromSeconds(30));
        Assert.Contains("rc=137", result.StdOut);
        Assert.DoesNotContain("   at ", result.StdErr);
        var lines = File.ReadAllLines(output);
        Assert.StartsWith("execve(\"/usr/bin/sleep\"", lines[0].Replace("\"/bin/sleep\"", "\"/usr/bin/sleep\""));
        Assert.Equal("+++ killed by SIGKILL +++", lines[^1]);
    }

    /// <summary>Both backends, stopped by SIGTERM and by Ctrl-C's SIGINT.</summary>
    public static TheoryData<string, string> BackendsAndStopSignals()
    {
        var data = new TheoryData<string, string>();
        foreach (var backend in StraceComparisonTests.Backends)
            foreach (var signal in new[] { "TERM", "INT" }) data.Add(backend, signal);
        return data;
    }

    [Theory]
    [MemberData(nameof(BackendsAndStopSignals))]
    public void AttachThenDetachLeavesTheProcessRunning(string backend, string signal)
    {
        Require.Root();
        var output = TestRunDirectory.PathOf($"sharptrace-st-attach-{backend}-{signal}.txt");
        var result = ProcessRunner.Shell($$"""
            bash -c 'while :; do cat /etc/hostname >/dev/null; sleep 0.05; done' & loop=$!
            sleep 0.2
            env --default-signal=INT {{Bin}} strace --backend {{backend}} -o {{output}} -p $loop & st=$!
            sleep 1.5
            kill -{{signal}} $st
            wait $st; echo "rc=$?"
            sleep 0.5
            grep -E '^(State|TracerPid):' /proc/$loop/status
            kill -0 $loop && echo alive
            kill $loop
            """, TimeSpan.FromSeconds(30));
        Assert.Contains("rc=0", result.StdOut);
        Assert.Contains("alive", result.StdOut);
        Assert.Matches("TracerPid:\\s+0\\n", result.StdOut);
        // Running or sleeping between its loops, never left stopped by the tracer.
        Assert.Matches("State:\\s+[RS] ", result.StdOut);
        Assert.DoesNotContain("   at ", result.StdErr);
        // While attached, its loop was traced: it forks a cat and a sleep per turn and waits for them.
        var text = File.ReadAllText(output);
        Assert.Contains("wait4(-1, ", text);
        Assert.Contains("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED", text);
    }

    /// <summary>
    /// SIGINT or SIGTERM to sharptrace while its command runs: as strace, the command gets the signal,
    /// every call already recorded is printed whole, then the +++ line, and the exit status is the command's.
    /// </summary>
    [Theory]
    [MemberData(nameof(BackendsAndStopSignals))]
    public void StopSignalEndsTheCommandAndLosesNoLine(string backend, string signal)
    {
        Require.Root();
        var output = TestRunDirectory.PathOf($"sharptrace-st-stop-{backend}-{signal}.txt");
        var result = ProcessRunner.Shell($$"""
            env --default-signal=INT {{Bin}} strace --backend {{backend}} -o {{output}} dd if=/dev/zero of=/dev/null bs=1 2>/dev/null & st=$!
            sleep 1.5
            kill -{{signal}} $st
            wait $st; echo "rc=$?"
            """, TimeSpan.FromSeconds(60));
        var number = signal == "INT" ? 2 : 15;
        Assert.Contains($"rc={128 + number}", result.StdOut);
        Assert.DoesNotContain("   at ", result.StdErr);
        var reads = 0;
        string? last = null;
        // A starved reader (a loaded machine) may overflow the ring buffer mid-run: the trace says so,
        // and the calls cut by the gap print as unfinished/resumed halves. Nothing may go at the end.
        var overflowed = File.ReadLines(output).Any(l => l.Contains("records lost here", StringComparison.Ordinal));
        var whole = overflowed
            ? "^([a-z_0-9]+\\(.*\\) += .+|[a-z_0-9]+\\(.* <unfinished \\.\\.\\.>|<\\.\\.\\. [a-z_0-9]+ resumed>.* += .+|--- .* ---|\\+\\+\\+ .* \\+\\+\\+)$"
            : "^([a-z_0-9]+\\(.*\\) += .+|--- .* ---|\\+\\+\\+ .* \\+\\+\\+)$";
        foreach (var line in File.ReadLines(output))
        {
            Assert.Matches(whole, line);
            Assert.DoesNotContain("records lost at the end", line);
            if (line.StartsWith("read(0, \"\\0\", 1)", StringComparison.Ordinal)) reads++;
            last = line;
        }
        Assert.True(reads > 100, $"only {reads} reads traced");
        Assert.Equal($"+++ killed by SIG{signal} +++", last);
    }

    [Fact]
    public void PtraceIsChosenWhenBpfIsDenied()
    {
        Require.Root();
        if (ProcessRunner.Shell("command -v setpriv").ExitCode != 0) Assert.Skip("setpriv (util-linux) is not installed");
        // A root process without CAP_BPF, CAP_SYS_ADMIN and CAP_PERFMON: bpf() fails with EPERM; ptrace of its own child works.
        var output = TestRunDirectory.PathOf("sharptrace-st-fallback.txt");
        var result = ProcessRunner.Shell($"setpriv --bounding-set=-bpf,-sys_admin,-perfmon {Bin} strace -v -o {output} cat /etc/hostname >/dev/null");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("EPERM", result.StdErr);
        Assert.Contains("tracing with ptrace", result.StdErr);
        var lines = File.ReadAllLines(output);
        Assert.StartsWith("execve(", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY", StringComparison.Ordinal));
        Assert.Equal("+++ exited with 0 +++", lines[^1]);
        // Without -v nothing is said: the trace is all the output there is.
        var quiet = ProcessRunner.Shell($"setpriv --bounding-set=-bpf,-sys_admin,-perfmon {Bin} strace -o {output} /bin/true");
        Assert.Equal("", quiet.StdErr);
    }

    /// <summary>A process that stops itself and is continued by another: ptrace shows strace's group-stop lines, exactly.</summary>
    [Fact]
    public void GroupStopLinesLikeStrace()
    {
        Require.Root();
        ProcessRunner.Shell($"{SharptraceBinary.RepoRoot}/tests/install-oracles.sh || true");
        List<string> Tail(string tool, string output)
        {
            File.Delete(output);
            ProcessRunner.Shell($$"""
                {{tool}} -o {{output}} sh -c 'kill -STOP $$; echo resumed' >/dev/null & t=$!
                for i in $(seq 200); do grep -q 'stopped by SIGSTOP' {{output}} 2>/dev/null && break; sleep 0.05; done
                kill -CONT $(pgrep -P $t)
                wait $t
                """, TimeSpan.FromSeconds(30));
            return File.ReadAllLines(output).TakeLast(6).Select(l => Regex.Replace(Regex.Replace(l, "si_pid=\\d+", "si_pid=P"), "\\s+=", " =")).ToList();
        }
        var expected = Tail("strace", TestRunDirectory.PathOf("sharptrace-st-stop-oracle.txt"));
        var actual = Tail($"{Bin} strace --backend ptrace", TestRunDirectory.PathOf("sharptrace-st-stop-ours.txt"));
        Assert.Equal("--- stopped by SIGSTOP ---", expected[1]);
        Assert.Equal(expected, actual);
    }
}
