using System.Text.RegularExpressions;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Strace;

/// <summary>
/// Runs the same command under real strace and under `sharptrace strace` and compares the lines
/// exactly, after normalising what differs between any two strace runs (addresses, ports,
/// random bytes, file sizes, large return values). What is left must be one of
/// <see cref="Deviations"/>, each with its reason.
/// </summary>
public class StraceComparisonTests
{
    private static readonly Regex Address = new("0x[0-9a-f]+", RegexOptions.Compiled);
    private static readonly Regex Random = new("getrandom\\(\"[^\"]*\"", RegexOptions.Compiled);
    private static readonly Regex Vars = new("/\\* \\d+ vars \\*/", RegexOptions.Compiled);

    /// <summary>A known difference: where our line has an address, strace shows <paramref name="Shows"/>.</summary>
    public sealed record Deviation(string Name, string Shows, string Reason);

    /// <summary>Every difference from strace that the comparison accepts, and why.</summary>
    public static readonly Deviation[] Deviations =
    [
        new("unfaulted string", "\"[^\"]*\"(?:\\.\\.\\.)?",
            "eBPF cannot take page faults: a string in a page the tracee has not touched yet (a path literal in .rodata before first use) cannot be copied at the call's entry. Most calls are then written whole at their exit, when the call has faulted the page in (see UnfaultedPathsAreCopiedAtTheCallsExit); calls whose entry must be shown as it happens (execve, clone, exit) print the address. strace reads it with process_vm_readv, which can fault."),
        new("sigreturn mask", "\\{mask=\\[[^\\]]*\\]\\}",
            "rt_sigreturn's restored mask is followed from the rt_sigprocmask calls seen (strace reads it from the signal frame; they are traced, unshown, when -e trace hides them); a thread whose mask changed otherwise (sigsuspend, a signal handler's sa_mask) prints the frame's address."),
    ];

    /// <summary>Known differences where our text is not an address, each with its reason: strace's text matches <c>Shows</c> where ours has <c>Ours</c>.</summary>
    public sealed record TextDeviation(string Name, string Ours, string Shows, string Reason);

    public static readonly TextDeviation[] TextDeviations =
    [
        // (None left: -y's pipe and socket inodes, once printed as pipe:[?] when the process had closed the
        // descriptor before its record was decoded, are now read from the task's file table as the call returns.)
    ];

    private static readonly string AtAddress = "(?:ADDR|" + string.Join("|", Deviations.Select(d => d.Shows)) + ")";

    /// <summary>Equal, or equal once each of our addresses may stand for what a deviation lets strace show there.</summary>
    private static bool Agree(string strace, string ours)
    {
        if (strace == ours) return true;
        var pattern = Regex.Escape(ours).Replace("ADDR", AtAddress);
        foreach (var d in TextDeviations) pattern = pattern.Replace(Regex.Escape(d.Ours), d.Shows);
        return pattern != Regex.Escape(ours) && Regex.IsMatch(strace, "^" + pattern + "$");
    }

    /// <summary>Both backends: eBPF, and ptrace (the reference for exactness, used where BPF is not allowed).</summary>
    public static readonly string[] Backends = ["ebpf", "ptrace"];

    /// <summary>Every command with every backend.</summary>
    public static TheoryData<string, string> CommandsOnBothBackends()
    {
        var data = new TheoryData<string, string>();
        foreach (var backend in Backends)
            foreach (var command in Commands) data.Add(command, backend);
        return data;
    }

    public static string[] Commands =>
    [
        "/bin/true",
        "/bin/false",
        "ls /etc/hostname /nonexist",
        "ls -l /etc/hostname",
        "ls -a /etc/ssl",
        "cat /etc/hostname",
        "cat /nonexist",
        "dd if=/dev/zero of=/dev/null bs=1 count=50 status=none",
        "head -c 100 /etc/services",
        "tail -n 2 /etc/passwd",
        "wc -l /etc/passwd",
        "sort /etc/hostname",
        "uniq /etc/hostname",
        "cut -d: -f1 /etc/passwd",
        "tr a-z A-Z < /etc/hostname",
        "sha1sum /etc/hostname",
        "sha256sum /etc/hostname",
        "md5sum /etc/hostname",
        "mkdir /tmp/sharptrace-no-such-dir/a",
        "rmdir /tmp/sharptrace-no-such-dir",
        "rm /tmp/sharptrace-no-such-file",
        "touch /nonexist-dir/file",
        "ln -s /etc/hostname /nonexist-dir/link",
        "chmod 644 /nonexist",
        "echo hello",
        "printf %s\\n a b",
        "seq 1 5",
        "stat /etc/passwd",
        // The FICLONE ioctl (its argument a descriptor) cp tries before copying.
        "cp /etc/hostname /dev/null",
        "unshare -n true",
        "readlink /proc/self/exe",
        "realpath /etc/../etc/hostname",
        "basename /a/b",
        "dirname /a/b",
        "env",
        "id -u",
        "whoami",
        "uname -a",
        "nproc",
        "sleep 0.01",
        "test -e /etc/passwd",
        "sh -c 'exit 3'",
        "bash -c 'trap \"echo got\" USR1; kill -USR1 $$'",
        "LOOPBACK",
        "IOCALLS",
        "PROCCALLS",
        "VECTORS",
        // msg_control (SCM_RIGHTS, SCM_CREDENTIALS, other levels, a cut header), sendmmsg/recvmmsg, statfs/fstatfs, rt_sigtimedwait.
        "MSGCALLS",
        // An environment array that ends just before an unmapped page: its count must not be cut.
        "ENVEDGE",
        "stty -F /dev/null",
        // NETLINK_ROUTE: sockaddr_nl, SOL_NETLINK options, address dumps and an error ack as netlink messages; a buffer too short; AF_PACKET's sockaddr_ll.
        "NETLINK",
        // iproute2 over NETLINK_ROUTE: RTM_GETLINK/RTM_NEWLINK with their attributes and statistics, an RTM_GETADDR dump.
        "ip -4 addr show lo",
        "ip link show lo",
        // Every interface's IPv4 and IPv6 addresses; getaddrinfo with AI_ADDRCONFIG asks for them too.
        "ip addr",
        "getent ahosts localhost",
        // RTM_GETROUTE dumps: rtmsg and its RTA_* attributes (IPv6 routes carry RTA_CACHEINFO and RTA_PREF).
        "ip route show",
        "ip -6 route show",
    ];

    /// <param name="text">A trace.</param>
    /// <param name="rawXlat">Traced with -X raw, where strace prints clock ticks without their comment.</param>
    internal static List<string> Normalise(string text, bool rawXlat = false)
    {
        var lines = new List<string>();
        foreach (var raw in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // A fork cut by a signal that arrived during it (ERESTARTNOINTR, restarted by the kernel unseen)
            // happens in one run and not in the next: timing, not decoding. The signal's own line stays.
            if (raw.Contains("= ? ERESTARTNOINTR", StringComparison.Ordinal)) continue;
            var line = Random.Replace(raw, "getrandom(\"R\"");
            line = Address.Replace(line, "ADDR");
            line = Vars.Replace(line, "/* N vars */");
            line = Regex.Replace(line, "st_size=\\d+", "st_size=N");
            // waitid's P_PID is 0x1 (now ADDR) under -X raw and verbose; tgkill's thread id is the process's.
            line = Regex.Replace(line, "(si_pid=|cmsg_data=\\{pid=|kill\\(|wait4\\(|waitid\\((?:P_PID|ADDR(?: /\\* P_PID \\*/)?), |pidfd_open\\()\\d+", "$1PID");
            line = Regex.Replace(line, "^(tgkill\\(PID, )\\d+", "$1PID");
            // A netlink socket's port id: the kernel assigns the process id to a process's first, a random negative one after.
            line = Regex.Replace(line, "(nl_pid=|nlmsg_pid=)-?\\d+", "$1PID");
            // iproute2 numbers its requests from the clock; lo's packet and byte counters move with any loopback traffic on the machine.
            line = Regex.Replace(line, "nlmsg_seq=\\d+", "nlmsg_seq=SEQ");
            line = Regex.Replace(line, "\\b((?:rx|tx)_(?:packets|bytes))=\\d+", "$1=N");
            // The clock and the CPU time used, which differ between any two runs.
            if (line.StartsWith("time(", StringComparison.Ordinal))
                line = Regex.Replace(Regex.Replace(line, "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}", "DATE"), "\\b\\d{9,}\\b", "T");
            // A message's receive time (SO_TIMESTAMP, SO_TIMESTAMPNS).
            line = Regex.Replace(line, "cmsg_data=\\{tv_sec=\\d+, tv_(u|n)sec=\\d+\\}", "cmsg_data={tv_sec=T, tv_$1sec=T}");
            line = Regex.Replace(line, "^gettimeofday\\(\\{tv_sec=\\d+, tv_usec=\\d+\\}", "gettimeofday({T}");
            line = Regex.Replace(line, "(ru_[us]time)=\\{tv_sec=\\d+, tv_usec=\\d+\\}", "$1={T}");
            // A child's CPU time in a SIGCHLD siginfo or times() (clock ticks) is the scheduler's, in any two runs. A nonzero
            // count must carry strace's comment of the seconds it makes: one without, or with wrong seconds, stays as it is and differs.
            line = Regex.Replace(line, "(si_[us]time|tms_c?[us]time)=(\\d+)(?: /\\* (\\d+)\\.(\\d\\d) s \\*/)?", m => ClockTicks(m, rawXlat));
            line = Regex.Replace(line, "htons\\(\\d+\\)", "htons(PORT)");
            // -X raw/verbose print the port as its network-order bytes.
            line = Regex.Replace(line, "(sin6?_port=)\"(\\\\x[0-9a-f]{2}){2}\"", "$1\"PORT\"");
            line = Regex.Replace(line, "(pipe|socket):\\[\\d+\\]", "$1:[INODE]");
            // What changes between any two runs: the time ppoll had left, the machine's memory and load.
            line = Regex.Replace(line, "left \\{tv_sec=\\d+, tv_[nu]sec=\\d+\\}", "left {T}");
            line = Regex.Replace(line, "^sysinfo\\(\\{uptime=.*\\}\\)", "sysinfo({...})");
            line = Regex.Replace(line, "= \\d{3,}$", "= N");
            line = Regex.Replace(line, "\\s+=", " =");
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>A clock_t field as "N" when it is 0, or nonzero with the comment strace gives it (ticks / 100 in seconds), or under -X raw bare; else unchanged.</summary>
    private static string ClockTicks(Match m, bool raw)
    {
        var ticks = long.Parse(m.Groups[2].Value);
        var commented = m.Groups[3].Success;
        var right = commented && long.Parse(m.Groups[3].Value) * 100 + long.Parse(m.Groups[4].Value) == ticks;
        // -X raw: never a comment.
        return raw ? (commented ? m.Value : m.Groups[1].Value + "=N")
            : (ticks == 0 && !commented) || (ticks != 0 && right) ? m.Groups[1].Value + "=N" : m.Value;
    }

    internal static List<string> Trace(string tool, string command, string output, string options = "")
    {
        File.Delete(output);
        // The test host ignores SIGPIPE and strace passes that on; a command started from a shell has
        // the default, which is what sharptrace gives it (its own runtime ignores SIGPIPE): run both so.
        ProcessRunner.Shell($"env --default-signal=PIPE {tool} {options} -o {output} {command} >/dev/null 2>&1", TimeSpan.FromSeconds(60));
        return Normalise(File.ReadAllText(output), rawXlat: options.Contains("-X raw", StringComparison.Ordinal));
    }

    /// <summary>The same lines in any order: each of ours pairs with one of strace's that it agrees with (exact lines first).</summary>
    internal static void AssertSameMultiset(List<string> expected, List<string> actual)
    {
        var left = new List<string>(expected);
        var unmatched = new List<string>();
        foreach (var line in actual)
            if (!left.Remove(line)) unmatched.Add(line);
        var extra = new List<string>();
        foreach (var line in unmatched)
        {
            var at = left.FindIndex(e => Agree(e, line));
            if (at >= 0) left.RemoveAt(at);
            else extra.Add(line);
        }
        Assert.True(extra.Count == 0 && left.Count == 0,
            $"{extra.Count} of our lines and {left.Count} of strace's have no partner beyond the listed deviations:\n"
            + string.Join("\n", extra.Take(8).Select(l => "ours:   " + l).Concat(left.Take(8).Select(l => "strace: " + l))));
    }

    internal static void AssertSameLines(List<string> expected, List<string> actual)
    {
        var differences = new List<string>();
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : "(none)";
            var a = i < actual.Count ? actual[i] : "(none)";
            if (!Agree(e, a)) differences.Add($"line {i + 1}\nstrace: {e}\nours:   {a}");
        }
        Assert.True(differences.Count == 0, $"{differences.Count} lines differ from strace beyond the listed deviations:\n" + string.Join("\n", differences.Take(10)));
    }

    [Theory]
    [MemberData(nameof(CommandsOnBothBackends))]
    public void SameLinesAsStrace(string command, string backend)
    {
        Require.Root();
        ProcessRunner.Shell($"{SharptraceBinary.RepoRoot}/tests/install-oracles.sh || true");
        // Loopback sockets (AF_INET, AF_INET6, AF_UNIX; stream and datagram) and failing network calls, from a C program.
        if (command == "LOOPBACK") command = $"{NativeProgram.Build("loopback")} {TestRunDirectory.Root}";
        // poll/ppoll, ioctl, getsockopt, cpu masks, sysinfo, getdents64 (in/out pointers), from a C program.
        if (command == "IOCALLS") command = NativeProgram.Build("iocalls");
        // Ids, scheduling, timers, times, mount/mknod/chroot, inotify, splice/tee, xattrs, capabilities, select, from a C program.
        if (command == "PROCCALLS") command = $"{NativeProgram.Build("proccalls")} {TestRunDirectory.Root}";
        // readv/writev/preadv/pwritev (v2 too), sendmsg/recvmsg with addresses, select/pselect6, a child's CPU time in SIGCHLD.
        if (command == "VECTORS") command = $"{NativeProgram.Build("vectors")} {TestRunDirectory.Root}";
        if (command == "ENVEDGE") command = NativeProgram.Build("env_edge");
        if (command == "MSGCALLS") command = NativeProgram.Build("msgcalls");
        if (command == "NETLINK") command = NativeProgram.Build("netlink");
        var expected = Trace("strace", command, TestRunDirectory.PathOf("sharptrace-strace-oracle.txt"));
        var actual = Trace($"{SharptraceBinary.Path} strace --backend {backend}", command, TestRunDirectory.PathOf("sharptrace-strace-ours.txt"));
        var differences = new List<string>();
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : "(none)";
            var a = i < actual.Count ? actual[i] : "(none)";
            if (!Agree(e, a)) differences.Add($"line {i + 1}\nstrace: {e}\nours:   {a}");
        }
        Assert.True(differences.Count == 0, $"{differences.Count} lines differ from strace beyond the listed deviations:\n" + string.Join("\n", differences.Take(10)));
    }

    /// <summary>
    /// getdents64 of a directory of 1500 entries: each 32 KiB result holds far more than one copy
    /// (4 KiB), so the records are counted over all of it ("/* 970 entries */"), in the kernel by the eBPF backend.
    /// </summary>
    [Theory]
    [InlineData("ebpf")]
    [InlineData("ptrace")]
    public void LargeDirectoriesCountEveryEntry(string backend)
    {
        Require.Root();
        ProcessRunner.Shell($"{SharptraceBinary.RepoRoot}/tests/install-oracles.sh || true");
        var directory = TestRunDirectory.PathOf("sharptrace-many-entries");
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory + ".tmp");
            for (var i = 0; i < 1500; i++) File.WriteAllBytes(Path.Combine(directory + ".tmp", $"entry-with-a-longer-name-{i:D5}"), []);
            Directory.Move(directory + ".tmp", directory);
        }
        var ours = Trace($"{SharptraceBinary.Path} strace --backend {backend}", $"ls {directory}", TestRunDirectory.PathOf($"sharptrace-getdents-{backend}.txt"), "-e trace=getdents64");
        Assert.True(ours.Count(l => l.Contains(" entries */", StringComparison.Ordinal)) >= 3, string.Join("\n", ours));
        if (!File.Exists("/usr/bin/strace")) return;
        Assert.Equal(Trace("strace", $"ls {directory}", TestRunDirectory.PathOf($"sharptrace-getdents-oracle-{backend}.txt"), "-e trace=getdents64"), ours);
    }

    /// <summary>
    /// A path literal alone in a page nothing has touched (Native/unfaulted.c): eBPF cannot copy it
    /// at the call's entry, so the entry defers the call to its exit, when the call itself has
    /// faulted the page in. Every line is strace's exactly, without the "unfaulted string" deviation.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("-f")]
    public void UnfaultedPathsAreCopiedAtTheCallsExit(string options)
    {
        Require.Root();
        ProcessRunner.Shell($"{SharptraceBinary.RepoRoot}/tests/install-oracles.sh || true");
        var program = NativeProgram.Build("unfaulted");
        var probe = ProcessRunner.Run(program, []);
        // The premise: the page was not mapped when the call began (else this proves nothing).
        Assert.Equal("mapped 0\n", probe.StdErr);
        var ours = Trace($"{SharptraceBinary.Path} strace", program, TestRunDirectory.PathOf("sharptrace-unfaulted-ours.txt"), options + " -e trace=openat,statfs");
        // (With -f each line starts with the pid.)
        Assert.Contains(ours, l => l.EndsWith("openat(AT_FDCWD, \"/nonexistent/sharptrace-unfaulted\", O_RDONLY) = -1 ENOENT (No such file or directory)", StringComparison.Ordinal));
        if (!File.Exists("/usr/bin/strace")) return;
        var expected = Trace("strace", program, TestRunDirectory.PathOf("sharptrace-unfaulted-oracle.txt"), options + " -e trace=openat,statfs");
        static IEnumerable<string> WithoutPid(List<string> lines) => lines.Select(l => Regex.Replace(l, @"^\d+ ", "PID "));
        Assert.Equal(WithoutPid(expected), WithoutPid(ours));
    }

    /// <summary>
    /// -f: every task id is "P"; the lines must match exactly as a multiset (the order across tasks
    /// is the scheduler's; a call cut by another task's line is joined back). Known deviation: a
    /// fatal signal without a handler has no --- line of its own, as the kernel turns it into a bare
    /// SIGKILL when no ptrace tracer is attached; its +++ line names it. Lines whose number depends on
    /// scheduling in any two runs, of strace as of ours, are compared as sets, see <see cref="Scheduled"/>.
    /// </summary>
    [Theory]
    [InlineData("sh -c 'echo hi | cat'", "ebpf")]
    [InlineData("bash -c 'trap \"echo got\" USR1; kill -USR1 $$; sleep 0.1 & wait; sh -c \"kill -TERM \\$$\"; true'", "ebpf")]
    [InlineData("THREADS", "ebpf")]
    [InlineData("sh -c 'echo hi | cat'", "ptrace")]
    [InlineData("bash -c 'trap \"echo got\" USR1; kill -USR1 $$; sleep 0.1 & wait; sh -c \"kill -TERM \\$$\"; true'", "ptrace")]
    [InlineData("THREADS", "ptrace")]
    [InlineData("VECTORS", "ebpf")]
    [InlineData("VECTORS", "ptrace")]
    // Alone under -f: recvmmsg's array is read at entry (msg_namelen as given) and again at exit.
    [InlineData("MSGCALLS", "ebpf")]
    [InlineData("MSGCALLS", "ptrace")]
    // -X: clone's flags and exit signal as two constants, si_code in hex, from every task.
    [InlineData("sh -c 'echo hi | cat'", "ebpf", "-X raw")]
    [InlineData("sh -c 'echo hi | cat'", "ptrace", "-X raw")]
    [InlineData("sh -c 'echo hi | cat'", "ebpf", "-X verbose")]
    [InlineData("sh -c 'echo hi | cat'", "ptrace", "-X verbose")]
    // clone3's flags and exit signal.
    [InlineData("THREADS", "ebpf", "-X raw")]
    [InlineData("THREADS", "ptrace", "-X verbose")]
    public void FollowMatchesStrace(string command, string backend, string options = "")
    {
        Require.Root();
        // Four threads that each write a line, joined by the main thread (gcc -pthread).
        if (command == "THREADS") command = NativeProgram.Build("threads", "-O1 -pthread");
        // Alone under -f the eBPF backend defers a call's entry to its exit: select's sets and recvmsg's msghdr must not be read there.
        if (command == "VECTORS") command = $"{NativeProgram.Build("vectors")} {TestRunDirectory.Root}";
        if (command == "MSGCALLS") command = NativeProgram.Build("msgcalls");
        ProcessRunner.Shell($"{SharptraceBinary.RepoRoot}/tests/install-oracles.sh || true");
        static List<string> Lines(string tool, string command, string output, string options)
        {
            File.Delete(output);
            ProcessRunner.Shell($"{tool} -f {options} -o {output} {command} >/dev/null 2>&1", TimeSpan.FromSeconds(60));
            // Which task gets which pid depends on scheduling: every traced task's id, wherever it
            // appears (kill's target, a futex word, clone's parent_tid, a return value), is "P".
            var raw = JoinResumed(File.ReadAllLines(output));
            var pids = raw.Select(l => Regex.Match(l, "^(\\d+) ")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
            return raw.Select(l =>
            {
                var m = Regex.Match(l, "^(\\d+) +(.*)$");
                if (!m.Success) return l;
                var rest = Regex.Replace(m.Groups[2].Value, "\\b\\d{3,}\\b", x => pids.Contains(x.Value) ? "P" : x.Value);
                // bash reaps a child that ended either in its SIGCHLD handler (wait4 with WNOHANG) or in
                // its wait (blocking), as the signal and the wait race: the same reaping, either flag.
                rest = Regex.Replace(rest, "^(wait4\\(-1, \\[\\{.*\\}\\]), (?:WNOHANG|0), NULL\\) = P$", "$1, FLAGS, NULL) = P");
                // Normalise drops a fork restarted after a signal (timing): null here, then left out.
                return Normalise(rest, rawXlat: options.Contains("-X raw", StringComparison.Ordinal)) is [var line] ? "P " + line : null;
            }).OfType<string>().ToList();
        }
        var expected = Lines("strace", command, TestRunDirectory.PathOf("sharptrace-strace-f-oracle.txt"), options);
        var actual = Lines($"{SharptraceBinary.Path} strace --backend {backend}", command, TestRunDirectory.PathOf("sharptrace-strace-f-ours.txt"), options);
        static bool Marker(string l) => (l.Contains(" --- ") || l.Contains(" +++ ")) && !Scheduled(l);
        static bool FatalWithoutHandler(string l) => Regex.IsMatch(l, "--- SIG(TERM|INT|KILL) \\{si_signo=SIG(TERM|INT|KILL), si_code=SI_USER");
        // Per task the order is exact; across tasks it is the scheduler's, so the lines are compared sorted.
        // ptrace stops at every signal, as strace does: there the signal lines match with no exception.
        // SIGCHLD is a standard signal: children that end before their parent takes it give one
        // delivery, in either tool, as the scheduler has it; so its lines are compared as a set.
        static IEnumerable<string> Markers(IEnumerable<string> lines) =>
            lines.Where(Marker).Where(l => !l.Contains("--- SIGCHLD ", StringComparison.Ordinal))
                .Concat(lines.Where(Marker).Where(l => l.Contains("--- SIGCHLD ", StringComparison.Ordinal)).Distinct()).Order(StringComparer.Ordinal);
        Assert.Equal(Markers(expected.Where(l => backend == "ptrace" || !FatalWithoutHandler(l))), Markers(actual));
        // Lines as a multiset: the order across tasks is the scheduler's; a call cut by another task's
        // line (unfinished/resumed) in one tool and not in the other counts as two differing lines.
        AssertSameMultiset(expected.Where(l => !Marker(l) && !Scheduled(l)).ToList(), actual.Where(l => !Marker(l) && !Scheduled(l)).ToList());
        static List<string> Distinct(IEnumerable<string> lines) => lines.Where(Scheduled).Where(l => !JoinWait(l))
            .Select(l => Regex.Replace(l, "^(P rt_sigreturn\\(.*\\)) = .*$", "$1 = R")).Distinct().ToList();
        AssertSameMultiset(Distinct(expected), Distinct(actual));
    }

    /// <summary>
    /// Lines whose count depends on scheduling in any two runs (of strace as of ours): two children
    /// that end close together raise one SIGCHLD or two, each handled one ending in rt_sigreturn, which
    /// returns whatever the call it interrupted was to return; pthread_join waits on a futex only if
    /// the thread has not ended yet (<see cref="JoinWait"/>: not compared at all). Compared as sets.
    /// </summary>
    private static bool Scheduled(string line) =>
        line.StartsWith("P --- SIGCHLD ", StringComparison.Ordinal) || line.StartsWith("P rt_sigreturn(", StringComparison.Ordinal) || JoinWait(line);

    /// <summary>The join's futex wait; under -X raw its operation is a number (ADDR), and only the wait takes a tid, a NULL timeout and a bitset.</summary>
    private static bool JoinWait(string line) => Regex.IsMatch(line, "^P futex\\(ADDR, (FUTEX_WAIT_BITSET|ADDR /\\* FUTEX_WAIT_BITSET|ADDR, P, NULL, ADDR\\))");

    /// <summary>"pid call( &lt;unfinished ...&gt;" + "pid &lt;... call resumed&gt;rest" → "pid call(rest", in place of the first.</summary>
    private static List<string> JoinResumed(IEnumerable<string> lines)
    {
        var result = new List<string>();
        var open = new Dictionary<string, int>();
        foreach (var line in lines)
        {
            var m = Regex.Match(line, "^(\\d+) +(.*)$");
            if (!m.Success) { result.Add(line); continue; }
            var pid = m.Groups[1].Value;
            var text = m.Groups[2].Value;
            if (text.EndsWith(" <unfinished ...>", StringComparison.Ordinal))
            {
                open[pid] = result.Count;
                result.Add(line[..^" <unfinished ...>".Length]);
                continue;
            }
            var resumed = Regex.Match(text, "^<\\.\\.\\. \\w+ resumed>(.*)$");
            if (resumed.Success && open.Remove(pid, out var at)) { result[at] += resumed.Groups[1].Value; continue; }
            result.Add(line);
        }
        return result;
    }

    /// <summary>
    /// A started command is traced from its very first call, its execve, as strace traces it (the
    /// eBPF backend catches the child as it is forked and shows it from its execve on): the first
    /// line is strace's first line, nothing of the launch comes before it, and there is one execve.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("-f")]
    public void StartedCommandIsTracedFromItsExecve(string options)
    {
        Require.Root();
        ProcessRunner.Shell($"{SharptraceBinary.RepoRoot}/tests/install-oracles.sh || true");
        for (var run = 0; run < 5; run++)
        {
            // -f -o puts the pid first on every line: the pids differ.
            static List<string> WithoutPid(List<string> lines) => lines.ConvertAll(l => Regex.Replace(l, "^\\d+ +", ""));
            var expected = WithoutPid(Trace("strace", "cat /etc/hostname", "/tmp/sharptrace-first-oracle.txt", options));
            var actual = WithoutPid(Trace($"{SharptraceBinary.Path} strace", "cat /etc/hostname", "/tmp/sharptrace-first-ours.txt", options));
            Assert.Matches("^execve\\(\"(/usr)?/bin/cat\", \\[\"cat\", \"/etc/hostname\"\\], ", actual[0]);
            Assert.Equal(expected[0], actual[0]);
            Assert.Single(actual, l => l.StartsWith("execve(", StringComparison.Ordinal));
            Assert.Equal("+++ exited with 0 +++", actual[^1]);
        }
    }

    [Theory]
    [InlineData("ls /etc /nonexist", "ebpf")]
    [InlineData("dd if=/dev/zero of=/dev/null bs=1 count=1000", "ebpf")]
    [InlineData("ls /etc /nonexist", "ptrace")]
    [InlineData("dd if=/dev/zero of=/dev/null bs=1 count=1000", "ptrace")]
    public void CountsMatchStraceExactly(string command, string backend)
    {
        Require.Root();
        static Dictionary<string, (long, long)> Table(string text) => text.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 5 && double.TryParse(f[0], out _) && f[^1] != "total" && f[^1] != "syscall")
            .ToDictionary(f => f[^1], f => (long.Parse(f[3]), f.Length == 6 ? long.Parse(f[4]) : 0));
        var oracle = TestRunDirectory.PathOf("st-c-oracle.txt");
        var ours = TestRunDirectory.PathOf("st-c-ours.txt");
        ProcessRunner.Shell($"strace -c -o {oracle} {command} >/dev/null 2>&1");
        ProcessRunner.Shell($"{SharptraceBinary.Path} strace --backend {backend} -c -o {ours} {command} >/dev/null 2>&1");
        Assert.Equal(Table(File.ReadAllText(oracle)).OrderBy(k => k.Key), Table(File.ReadAllText(ours)).OrderBy(k => k.Key));
    }

    [Theory]
    [InlineData("-e trace=nosuchcall /bin/true", "invalid system call 'nosuchcall'")]
    [InlineData("-e trace=%nosuchclass /bin/true", "invalid system call '%nosuchclass'")]
    [InlineData("-e 'trace=/(' /bin/true", "regcomp: (: Unmatched ( or \\(")]
    [InlineData("/nonexistent/command", "Cannot find executable '/nonexistent/command'")]
    [InlineData("/etc/hostname", "Exec format error")]
    [InlineData("-p 999999999", "No such process")]
    [InlineData("--backend ptrace /nonexistent/command", "Cannot find executable '/nonexistent/command'")]
    [InlineData("--backend ptrace -p 999999999", "No such process")]
    [InlineData("--backend nosuch /bin/true", "invalid --backend 'nosuch' (ebpf or ptrace)")]
    public void BadInputIsAOneLineError(string args, string message)
    {
        Require.Root();
        var result = ProcessRunner.Shell($"{SharptraceBinary.Path} strace {args}");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
    }
}
