using System.Text.Json;
using System.Text.RegularExpressions;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Strace;

/// <summary>
/// strace's options beyond the plain trace (-y, -X, -v, -e signal=, -C, -S, -w, -ff) and --json,
/// each run under real strace and under `sharptrace strace` and compared after the same
/// normalisation and with the same listed deviations as <see cref="StraceComparisonTests"/>.
/// </summary>
public class StraceOptionTests
{
    private static string Ours => $"{SharptraceBinary.Path} strace";

    private static void Oracles()
    {
        Require.Root();
        ProcessRunner.Shell($"{SharptraceBinary.RepoRoot}/tests/install-oracles.sh || true");
    }

    [Theory]
    [InlineData("-y", "cat /etc/hostname")]
    [InlineData("-y", "sh -c 'exec 3</etc/passwd; cd /etc; exec cat hostname'")]
    [InlineData("-y", "LOOPBACK")]
    [InlineData("-X raw", "cat /etc/hostname")]
    [InlineData("-X verbose", "cat /etc/hostname")]
    [InlineData("-X abbrev", "ls -l /etc/hostname")]
    [InlineData("-X verbose", "bash -c 'trap \"echo got\" USR1; kill -USR1 $$'")]
    [InlineData("-X verbose", "PROCCALLS")]
    [InlineData("-X raw", "PROCCALLS")]
    // socket()'s type and flags are two constants, and sa_family one more (a CI machine's bash asked nscd).
    [InlineData("-X verbose", "LOOPBACK")]
    [InlineData("-X raw", "LOOPBACK")]
    [InlineData("-X verbose", "id -u nobody")]
    // clone's flags and exit signal are two constants (0x1200000|17), si_code is hex (0x1, 0xfffffffa),
    // statx's zero sync type prints nothing under raw, termios's fields and F_GETFD's result are constants.
    [InlineData("-X raw", "bash -c 'trap \"echo got\" USR1; kill -USR1 $$'")]
    [InlineData("-X raw", "bash -c 'trap \"echo got\" USR1; kill -USR1 $$'", "ptrace")]
    [InlineData("-X raw", "ls -l /etc/hostname /nonexist")]
    [InlineData("-X verbose", "ls -l /etc/hostname /nonexist", "ptrace")]
    [InlineData("-X raw", "cp /etc/hostname /dev/null")]
    [InlineData("-X verbose", "cp /etc/hostname /dev/null")]
    [InlineData("-X verbose", "unshare -n true")]
    [InlineData("-X raw", "VECTORS")]
    [InlineData("-X verbose", "VECTORS")]
    [InlineData("-X raw", "VECTORS", "ptrace")]
    [InlineData("-X verbose", "VECTORS", "ptrace")]
    [InlineData("-X raw", "IOCALLS")]
    [InlineData("-X verbose", "IOCALLS")]
    [InlineData("-X raw", "IOCALLS", "ptrace")]
    [InlineData("-X verbose", "IOCALLS", "ptrace")]
    [InlineData("-X raw", "PROCCALLS", "ptrace")]
    [InlineData("-X verbose", "PROCCALLS", "ptrace")]
    [InlineData("-v -e trace=getdents64,openat,close", "ls /etc/ssl")]
    // POSIX extended regexes, as strace compiles them (libc's regcomp): anchors, groups, alternation, negation.
    [InlineData("-e 'trace=/^(close|read)$|stat'", "cat /etc/hostname")]
    [InlineData("-e 'trace=!/^(mmap|mprotect|[a-z]*stat)'", "cat /etc/hostname", "ptrace")]
    [InlineData("-e signal=none", "bash -c 'trap \"echo got\" USR1; kill -USR1 $$'")]
    [InlineData("-e signal=!SIGUSR1", "bash -c 'trap \"echo got\" USR1; kill -USR1 $$'")]
    [InlineData("-e signal=USR1,2", "bash -c 'trap \"echo got\" USR1; kill -USR1 $$'")]
    // -s cuts each iovec buffer and shows at most -s entries of an array (-v: all); -x prints their bytes in hex.
    [InlineData("-s 5", "VECTORS")]
    [InlineData("-s 5", "VECTORS", "ptrace")]
    [InlineData("-x -s 8", "VECTORS")]
    [InlineData("-x -s 8", "VECTORS", "ptrace")]
    // -v: every entry of an iovec array, not just the first -s.
    [InlineData("-v -e trace=writev,readv,sendmsg,recvmsg", "VECTORS")]
    [InlineData("-v -e trace=writev,readv,sendmsg,recvmsg", "VECTORS", "ptrace")]
    // cmsg levels and types, statfs's f_type and f_flags, mmsghdr's msg_flags, rt_sigtimedwait's set and siginfo are constants;
    // -s cuts the message array, the descriptors passed, f_fsid and the pipe pair; -v shows every entry (execve left out:
    // its environment holds more strings than the 32 an argv copy takes).
    [InlineData("-X raw", "MSGCALLS")]
    [InlineData("-X verbose", "MSGCALLS")]
    [InlineData("-X raw", "MSGCALLS", "ptrace")]
    [InlineData("-X verbose", "MSGCALLS", "ptrace")]
    [InlineData("-s 1", "MSGCALLS")]
    [InlineData("-s 1", "MSGCALLS", "ptrace")]
    [InlineData("-v -s 0 -e trace=sendmsg,recvmsg,sendmmsg,recvmmsg,statfs,fstatfs,socketpair", "MSGCALLS")]
    [InlineData("-v -s 0 -e trace=sendmsg,recvmsg,sendmmsg,recvmmsg,statfs,fstatfs,socketpair", "MSGCALLS", "ptrace")]
    // -y: the descriptors passed with SCM_RIGHTS with their paths (ptrace: the receiver's new one is read from /proc while it lives).
    [InlineData("-y", "MSGCALLS", "ptrace")]
    // -y: new sockets and pipes by the inode read as the call returns (sh closes its pipe ends before their records are
    // decoded), and the files of calls -e trace hides (openat), which are traced to learn from but not shown.
    [InlineData("-y -e trace=!recvmsg", "MSGCALLS")]
    [InlineData("-y -e trace=pipe2,close -e signal=none", "sh -c '/bin/echo hi | /bin/cat'")]
    [InlineData("-y -e trace=pipe2,close -e signal=none", "sh -c '/bin/echo hi | /bin/cat'", "ptrace")]
    [InlineData("-y -e trace=read,close", "cat /etc/hostname")]
    [InlineData("-y -e trace=read,close", "cat /etc/hostname", "ptrace")]
    // -Z shows the failed read of /etc (EISDIR) with the directory its successful, unshown openat opened.
    [InlineData("-y -Z", "cat /etc")]
    [InlineData("-y -Z", "cat /etc", "ptrace")]
    // Netlink messages under -s: as many messages and attributes as -s, strings cut ("lo"... under -s 2); -x: attribute strings in hex.
    [InlineData("-s 2", "ip addr")]
    [InlineData("-s 2", "ip addr", "ptrace")]
    [InlineData("-s 3", "NETLINK")]
    [InlineData("-s 3", "NETLINK", "ptrace")]
    [InlineData("-x", "ip addr")]
    [InlineData("-x", "ip addr", "ptrace")]
    // Which sockets are netlink's is learnt from socket() even when -e trace hides it (traced, not shown).
    [InlineData("-e trace=sendmsg,recvmsg", "ip -4 addr show lo")]
    [InlineData("-e trace=sendmsg,recvmsg", "ip -4 addr show lo", "ptrace")]
    public void OptionMatchesStrace(string options, string command, string backend = "ebpf")
    {
        Oracles();
        if (command == "MSGCALLS") command = NativeProgram.Build("msgcalls");
        if (command == "NETLINK") command = NativeProgram.Build("netlink");
        if (command == "LOOPBACK") command = $"{NativeProgram.Build("loopback")} {TestRunDirectory.Root}";
        // Return values with names after them (personality, membarrier) and capability sets, which -X prints differently.
        if (command == "PROCCALLS") command = $"{NativeProgram.Build("proccalls")} {TestRunDirectory.Root}";
        if (command == "VECTORS") command = $"{NativeProgram.Build("vectors")} {TestRunDirectory.Root}";
        // Termios flag words, fcntl's descriptor flags.
        if (command == "IOCALLS") command = NativeProgram.Build("iocalls");
        var expected = StraceComparisonTests.Trace("strace", command, TestRunDirectory.PathOf("sharptrace-opt-oracle.txt"), options);
        var actual = StraceComparisonTests.Trace($"{Ours} --backend {backend}", command, TestRunDirectory.PathOf("sharptrace-opt-ours.txt"), options);
        StraceComparisonTests.AssertSameLines(expected, actual);
    }

    /// <summary>-v prints the whole environment: both run with a small one, as the traced execve shows it all.</summary>
    [Fact]
    public void VerboseMatchesStrace()
    {
        Oracles();
        List<string> Run(string tool, string output)
        {
            File.Delete(output);
            ProcessRunner.Shell($"env -i PATH=/usr/bin:/bin LANG=C {tool} -v -o {output} ls -l /etc/hostname >/dev/null 2>&1", TimeSpan.FromSeconds(60));
            return StraceComparisonTests.Normalise(File.ReadAllText(output));
        }
        var expected = Run("strace", TestRunDirectory.PathOf("sharptrace-v-oracle.txt"));
        var actual = Run(Ours, TestRunDirectory.PathOf("sharptrace-v-ours.txt"));
        Assert.Contains(actual, l => l.StartsWith("execve(\"/usr/bin/ls\", [\"ls\", \"-l\", \"/etc/hostname\"], [\"PATH=/usr/bin:/bin\", \"LANG=C\"]", StringComparison.Ordinal));
        Assert.Contains(actual, l => l.Contains("st_ino=", StringComparison.Ordinal) && l.Contains("st_atime_nsec=", StringComparison.Ordinal));
        StraceComparisonTests.AssertSameLines(expected, actual);
    }

    /// <summary>-C: the trace lines as without it, then the -c table with the same calls and errors per call.</summary>
    [Theory]
    [InlineData("ls /etc/hostname /nonexist")]
    [InlineData("cat /etc/hostname")]
    public void LinesAndSummaryMatchStrace(string command)
    {
        Oracles();
        static (List<string> Lines, Dictionary<string, (long, long)> Counts) Split(List<string> all)
        {
            var at = all.FindIndex(l => l.StartsWith("% time", StringComparison.Ordinal));
            Assert.True(at > 0, "no summary after the lines");
            return (all[..at], SummaryCounts(all[at..]));
        }
        var (expectedLines, expectedCounts) = Split(StraceComparisonTests.Trace("strace", command, TestRunDirectory.PathOf("sharptrace-C-oracle.txt"), "-C"));
        var (actualLines, actualCounts) = Split(StraceComparisonTests.Trace(Ours, command, TestRunDirectory.PathOf("sharptrace-C-ours.txt"), "-C"));
        StraceComparisonTests.AssertSameLines(expectedLines, actualLines);
        Assert.Equal(expectedCounts.OrderBy(k => k.Key), actualCounts.OrderBy(k => k.Key));
    }

    private static Dictionary<string, (long, long)> SummaryCounts(IEnumerable<string> lines) => lines
        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(f => f.Length >= 5 && double.TryParse(f[0], out _) && f[^1] != "total" && f[^1] != "syscall")
        .ToDictionary(f => f[^1], f => (long.Parse(f[3]), f.Length == 6 ? long.Parse(f[4]) : 0));

    private static List<string> SummaryOrder(string text) => text.Split('\n')
        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(f => f.Length >= 5 && double.TryParse(f[0], out _) && f[^1] != "total")
        .Select(f => f[^1]).ToList();

    /// <summary>-S: the rows in strace's order (the time order is not comparable between two runs; its ties are).</summary>
    [Theory]
    [InlineData("-S calls")]
    [InlineData("-S name")]
    [InlineData("-S nothing")]
    [InlineData("-S errors")]
    [InlineData("-S calls -w")]
    public void SummaryOrderMatchesStrace(string options)
    {
        Oracles();
        const string command = "ls /etc/hostname /nonexist";
        var oracle = TestRunDirectory.PathOf("st-S-oracle.txt");
        var ours = TestRunDirectory.PathOf("st-S-ours.txt");
        ProcessRunner.Shell($"strace -c {options} -o {oracle} {command} >/dev/null 2>&1");
        ProcessRunner.Shell($"{Ours} -c {options} -o {ours} {command} >/dev/null 2>&1");
        var expected = File.ReadAllText(oracle);
        var actual = File.ReadAllText(ours);
        Assert.Equal(SummaryCounts(expected.Split('\n')).OrderBy(k => k.Key), SummaryCounts(actual.Split('\n')).OrderBy(k => k.Key));
        Assert.Equal(SummaryOrder(expected), SummaryOrder(actual));
    }

    /// <summary>
    /// -ff -o FILE: one file per task, FILE.PID, no pid prefixes. Files are paired in pid order (the
    /// order the shell forks in); within a file the lines are compared as a multiset, since the
    /// shell's SIGCHLD arrives wherever the scheduler lets its children end.
    /// </summary>
    [Fact]
    public void PerTaskFilesMatchStrace()
    {
        Oracles();
        List<List<string>> Files(string tool, string prefix)
        {
            foreach (var old in Directory.GetFiles(TestRunDirectory.Root, Path.GetFileName(prefix) + ".*")) File.Delete(old);
            ProcessRunner.Shell($"{tool} -ff -o {prefix} sh -c 'cat /etc/hostname | cat' >/dev/null 2>&1", TimeSpan.FromSeconds(60));
            Assert.False(File.Exists(prefix), "-ff must not write FILE itself");
            return Directory.GetFiles(TestRunDirectory.Root, Path.GetFileName(prefix) + ".*")
                .OrderBy(f => int.Parse(f[(f.LastIndexOf('.') + 1)..]))
                .Select(f => StraceComparisonTests.Normalise(File.ReadAllText(f)).Where(l => !SigchldDelivery(l)).ToList()).ToList();
        }
        var expected = Files("strace", TestRunDirectory.PathOf("sharptrace-ff-oracle"));
        var actual = Files(Ours, TestRunDirectory.PathOf("sharptrace-ff-ours"));
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.DoesNotContain(actual[i], l => l.StartsWith("[pid", StringComparison.Ordinal) || Regex.IsMatch(l, "^\\d+ "));
            StraceComparisonTests.AssertSameMultiset(expected[i], actual[i]);
        }
    }

    /// <summary>
    /// Two children that end close together may raise one SIGCHLD or two (the kernel does not queue a
    /// second while the first is pending): how many --- SIGCHLD and rt_sigreturn lines the shell
    /// shows differs between any two runs, of strace or ours.
    /// </summary>
    private static bool SigchldDelivery(string line) => line.StartsWith("--- SIGCHLD ", StringComparison.Ordinal) || line.StartsWith("rt_sigreturn(", StringComparison.Ordinal);

    /// <summary>--json: one object per line; its syscall, args and result put back together are strace's line.</summary>
    [Fact]
    public void JsonRebuildsStraceLines()
    {
        Oracles();
        const string command = "ls -l /etc/hostname /nonexist";
        var expected = StraceComparisonTests.Trace("strace", command, TestRunDirectory.PathOf("sharptrace-json-oracle.txt"));
        var output = TestRunDirectory.PathOf("sharptrace-json-ours.txt");
        File.Delete(output);
        ProcessRunner.Shell($"env --default-signal=PIPE {Ours} --json -o {output} {command} >/dev/null 2>&1", TimeSpan.FromSeconds(60));
        var rebuilt = new List<string>();
        foreach (var line in File.ReadAllLines(output))
        {
            using var json = JsonDocument.Parse(line);
            var o = json.RootElement;
            Assert.True(o.GetProperty("pid").GetInt32() > 0);
            if (o.TryGetProperty("exited", out var exited)) { rebuilt.Add($"+++ exited with {exited.GetInt32()} +++"); continue; }
            if (o.TryGetProperty("signal", out var signal)) { rebuilt.Add($"--- {signal.GetString()} {o.GetProperty("siginfo").GetString()} ---"); continue; }
            var args = string.Join(", ", o.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
            var result = o.GetProperty("result").GetString();
            Assert.True(o.GetProperty("time").GetDouble() > 1e9);
            if (o.GetProperty("errno").ValueKind == JsonValueKind.String)
                Assert.StartsWith("-1 " + o.GetProperty("errno").GetString(), result, StringComparison.Ordinal);
            rebuilt.Add($"{o.GetProperty("syscall").GetString()}({args}) = {result}");
        }
        StraceComparisonTests.AssertSameLines(expected, StraceComparisonTests.Normalise(string.Join("\n", rebuilt)));
    }

    [Theory]
    [InlineData("-S bogus /bin/true", "invalid sortby: 'bogus'")]
    [InlineData("-e signal=bogus /bin/true", "invalid signal 'bogus'")]
    [InlineData("-X bogus /bin/true", "invalid -X argument: 'bogus'")]
    public void BadOptionIsAOneLineError(string args, string message)
    {
        Require.Root();
        var result = ProcessRunner.Shell($"{Ours} {args}");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
    }

    /// <summary>
    /// -c times the first calls of each kind and then 1 in 8, weighted; -C times every call from its records.
    /// Over 20,000 reads and writes both give time to both (the clock is read with -C too) and the
    /// same counts. The estimate itself is checked on 300 sleeps of 1 ms: the calls' own length, not
    /// the machine's load, sets their time, so two runs agree closely (dd's reads do not, under load).
    /// </summary>
    [Fact]
    public void SampledCountTimesAgreeWithEveryCallTimed()
    {
        Require.Root();
        (double Seconds, long Calls) Row(string option, string name, string command)
        {
            var output = TestRunDirectory.PathOf($"sharptrace-sampled{option}.txt");
            ProcessRunner.Shell($"{Ours} {option} -o {output} {command}", TimeSpan.FromSeconds(60));
            var row = File.ReadLines(output).Select(l => Regex.Match(l, $"^\\s*[\\d.]+\\s+([\\d.]+)\\s+\\d+\\s+(\\d+)\\s+{name}$")).First(m => m.Success);
            return (double.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(row.Groups[2].Value));
        }
        const string dd = "dd if=/dev/zero of=/dev/null bs=1 count=20000 status=none";
        foreach (var name in new[] { "read", "write" })
        {
            var sampled = Row("-c", name, dd);
            var every = Row("-C", name, dd);
            Assert.Equal(every.Calls, sampled.Calls);
            Assert.True(sampled.Seconds > 0 && every.Seconds > 0, $"{name}: -c {sampled.Seconds} s, -C {every.Seconds} s");
        }
        const string sleeps = "perl -MTime::HiRes=sleep -e 'sleep(0.001) for 1..300'";
        var sampledSleeps = Row("-c", "clock_nanosleep", sleeps);
        var everySleep = Row("-C", "clock_nanosleep", sleeps);
        Assert.Equal(300, sampledSleeps.Calls);
        Assert.Equal(300, everySleep.Calls);
        var ratio = sampledSleeps.Seconds / everySleep.Seconds;
        Assert.True(ratio is > 0.67 and < 1.5, $"300 sleeps of 1 ms: -c {sampledSleeps.Seconds} s against -C {everySleep.Seconds} s");
        Assert.True(everySleep.Seconds >= 0.3, $"300 sleeps of 1 ms took {everySleep.Seconds} s by -C");
    }

    /// <summary>
    /// -f -ttt -n: every call line, the unfinished and the resumed halves alike, carries the pid, the
    /// time and the call number, as in strace; a resumed half is stamped when the call returned
    /// (the shell's wait for a 0.2 s sleep resumes at least 0.15 s after it began).
    /// </summary>
    [Theory]
    [InlineData("ebpf")]
    [InlineData("ptrace")]
    public void ResumedHalvesCarryTheirReturnTime(string backend)
    {
        Oracles();
        const string command = "sh -c 'sleep 0.2 & wait'";
        var lead = new Regex(@"^(\d+) +(\d+\.\d{6}) \[ *\d+\] (.*)$");
        foreach (var tool in new[] { "strace", $"{Ours} --backend {backend}" })
        {
            var output = TestRunDirectory.PathOf($"resumed-{backend}-{tool.Length}.txt");
            ProcessRunner.Shell($"{tool} -f -ttt -n -o {output} {command}", TimeSpan.FromSeconds(60));
            var lines = File.ReadAllLines(output).Where(l => !l.Contains("+++ ") && !l.Contains("--- ")).ToList();
            Assert.All(lines, l => Assert.Matches(lead, l));
            var started = new Dictionary<string, double>();
            var longest = 0.0;
            foreach (var line in lines)
            {
                var m = lead.Match(line);
                var time = double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (m.Groups[3].Value.EndsWith("<unfinished ...>", StringComparison.Ordinal)) started[m.Groups[1].Value] = time;
                else if (m.Groups[3].Value.StartsWith("<... ", StringComparison.Ordinal) && started.Remove(m.Groups[1].Value, out var begun)) longest = Math.Max(longest, time - begun);
            }
            Assert.True(longest >= 0.15, $"{tool}: the longest unfinished call resumed {longest:F3} s after it began\n{string.Join('\n', lines)}");
        }
    }
}
