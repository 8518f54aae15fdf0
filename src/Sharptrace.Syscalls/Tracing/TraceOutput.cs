using System.Diagnostics;
using Sharptrace.Kernel;
using Sharptrace.Syscalls.Decoding;
using Sharptrace.Syscalls.Formatting;
using Sharptrace.Syscalls.Tables;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// The backend-neutral side of tracing: what each call number is (name, decoder, the copies its
/// arguments need), the calls in flight per thread, and the lines strace prints for entries, exits,
/// signals, task ends and -c's table. A backend (eBPF, ptrace) feeds it <see cref="SyscallRecord"/>s
/// whose <see cref="SyscallRecord.Captures"/> follow <see cref="Plans"/>.
/// </summary>
internal sealed class TraceOutput : ICallText
{
    private readonly StraceOptions options;
    private readonly CallFormatter formatter;
    private readonly Dictionary<int, SyscallRecord> pending = [];
    private readonly Dictionary<int, long> exitCodes = [];
    private readonly Dictionary<string, int> argumentCounts = [];

    /// <summary>The latest time a call entered or returned: when a call abandoned at its task's end is printed.</summary>
    private ulong latestNs;
    private ITraceSink? writer;

    public TraceOutput(StraceOptions options)
    {
        this.options = options;
        formatter = new CallFormatter(options.Decode, RawArgumentCount);
        var table = SyscallTable.Current;
        for (var nr = 0; nr < MaxSyscalls; nr++)
        {
            Names[nr] = table.NameOf(nr);
            Decoders[nr] = DecoderTable.Find(Names[nr]);
            Plans[nr] = Decoders[nr] is { } d && !options.CountOnly ? CapturePlan.For(d, options.Decode) : [];
        }
        RealtimeOffsetNs = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000) - MonotonicNs();
        sigreturnShown = table.TryGetNumber("rt_sigreturn", out var sigreturn) && IsShown(sigreturn);
        socketDataShown = new[] { "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg" }.Any(n => table.TryGetNumber(n, out var nr) && IsShown(nr));
    }

    /// <summary>Call numbers known to the tables are below this.</summary>
    public const int MaxSyscalls = RecordLayout.MaxSyscalls;

    public string[] Names { get; } = new string[MaxSyscalls];

    public SyscallDecoder?[] Decoders { get; } = new SyscallDecoder?[MaxSyscalls];

    /// <summary>Per call number, what a backend copies from the tracee (inputs at entry, outputs at a successful exit).</summary>
    public CaptureSlot[][] Plans { get; } = new CaptureSlot[MaxSyscalls][];

    /// <summary>Added to a CLOCK_MONOTONIC time in ns (the kernel's ktime, <see cref="Stopwatch"/>), gives the time of day.</summary>
    public ulong RealtimeOffsetNs { get; }

    /// <summary>CLOCK_MONOTONIC now, in ns (the clock bpf_ktime_get_ns reads).</summary>
    public static ulong MonotonicNs() => (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));

    /// <summary>Whether -e trace= shows call <paramref name="nr"/>.</summary>
    public bool IsShown(int nr) => options.Selected is null || options.Selected.Contains(nr);

    /// <summary>
    /// Whether call <paramref name="nr"/> is traced: shown, or hidden by -e trace but needed for what it
    /// teaches (-y's descriptors: strace -y -e trace=read names the file a read reads; strace reads
    /// /proc at every stop, we learn from open and close). Such a call prints nothing.
    /// </summary>
    public bool IsTraced(int nr) => IsShown(nr) || (!options.CountOnly && Names[nr] is { } name && CallFormatter.LearnsFrom(name, options.Decode, sigreturnShown, socketDataShown));

    private readonly bool sigreturnShown, socketDataShown;

    /// <summary>
    /// Calls whose entry must be written when it happens: they never return (exit), replace the memory
    /// and registers the exit would read (execve, sigreturn), or start tasks whose lines come before
    /// the call's end (clone, fork).
    /// </summary>
    public static bool NeedsEntryRecord(string name) => name is "exit" or "exit_group" or "execve" or "execveat" or "rt_sigreturn"
        or "sigreturn" or "clone" or "clone3" or "fork" or "vfork" or "restart_syscall";

    /// <summary>Starts writing to <paramref name="output"/>.</summary>
    public void Begin(TextWriter output) => writer = TraceSinks.Create(output, options, this);

    private ITraceSink Writer => writer ?? throw new InvalidOperationException("Begin was not called");

    /// <summary>The started command's pid (for -y: its fds start as ours).</summary>
    public void StartedProcess(int pid) => formatter.StartedProcess(pid);

    /// <summary>An attached process (for -y: its open fds are read from /proc).</summary>
    public void AttachedProcess(int pid) => formatter.AttachedProcess(pid);

    /// <summary>A process whose lines are printed: with -f, a second one switches on the [pid N] prefixes.</summary>
    public void NoteTask(int tgid) => Writer.NoteTask(tgid);

    /// <summary>A line of its own for <paramref name="tid"/> (signals, notes).</summary>
    public void Note(int tid, string text) => Writer.Note(tid, text);

    /// <summary>A call entered (its input copies made): held until its exit or another line decides its shape.</summary>
    public void Entered(SyscallRecord call)
    {
        pending[call.Tid] = call;
        if (!IsShown(call.Number)) return; // traced only to learn from (its exit finds it here)
        if (Names[call.Number] is "exit_group" or "exit") exitCodes[call.Tid] = (int)call.Args[0];
        if (options.OnlySuccessful is not null) return;
        Writer.Enter(call, Lead(call));
    }

    /// <summary>The call <paramref name="tid"/> entered and has not returned, if any.</summary>
    public SyscallRecord? TakePending(int tid) => pending.Remove(tid, out var call) ? call : null;

    /// <summary>Whether <paramref name="tid"/> has a call in flight.</summary>
    public bool HasPending(int tid) => pending.ContainsKey(tid);

    /// <summary>A call whose entry and exit arrive together (its entry was not recorded when it happened).</summary>
    public void EnteredAndReturned(SyscallRecord call)
    {
        if (!IsShown(call.Number))
        {
            Returned(call);
            return;
        }
        if (options.OnlySuccessful is null) Writer.Enter(call, Lead(call));
        Returned(call);
    }

    /// <summary>A call returned (Return, ExitNs and the output copies set): prints its line or its resumed part.</summary>
    public void Returned(SyscallRecord call)
    {
        latestNs = Math.Max(latestNs, call.ExitNs);
        if (pending.TryGetValue(call.Tid, out var entered) && ReferenceEquals(entered, call)) pending.Remove(call.Tid);
        if (!IsShown(call.Number))
        {
            formatter.Learn(Names[call.Number], Decoders[call.Number], call, Plans[call.Number]);
            return;
        }
        if (options.OnlySuccessful is { } wantSuccess)
        {
            var failed = call.Return is < 0 and >= -4095;
            if (failed == wantSuccess)
            {
                // Not shown, but what it did still counts (-y's descriptors, signal masks).
                formatter.Learn(Names[call.Number], Decoders[call.Number], call, Plans[call.Number]);
                return;
            }
            Writer.Enter(call, Lead(call));
        }
        Writer.Exit(call);
    }

    /// <summary>
    /// Thread <paramref name="from"/> exec'd and now has the process's id <paramref name="to"/> (the
    /// kernel gives the exec'ing thread the leader's id and ends the leader): the leader's call ends
    /// with "= ?", strace's "+++ superseded by execve in pid N +++", and the execve goes on under the new id.
    /// </summary>
    /// <returns>The execve's record under the new id, or null when none was pending.</returns>
    public SyscallRecord? Superseded(int from, int to)
    {
        if (pending.Remove(to, out var leaderCall) && Writer.IsPending(to)) Writer.Abandon(leaderCall);
        Writer.Note(to, $"+++ superseded by execve in pid {from} +++");
        if (!pending.Remove(from, out var call)) return null;
        var moved = new SyscallRecord { Tid = to, Tgid = to, Number = call.Number, Args = call.Args, EnterNs = call.EnterNs };
        for (var i = 0; i < call.Captures.Length; i++) moved.Captures[i] = call.Captures[i];
        pending[to] = moved;
        Writer.Renumber(from, to);
        return moved;
    }

    /// <summary>A signal delivered to <paramref name="tid"/>: strace's <c>--- SIGx {…} ---</c> line.</summary>
    public void Signal(int tid, int tgid, int signo, ReadOnlySpan<byte> siginfo)
    {
        if (options.Signals is { } shownSignals && !shownSignals.Contains(signo)) return;
        Writer.NoteTask(tgid);
        Writer.Note(tid, SiginfoFormatter.Line(signo, siginfo, options.Decode.Xlat));
    }

    /// <summary>A traced task ended: its pending call ends with "= ?" and, for a process (or any task with -f), the +++ line.</summary>
    /// <param name="tid">The task.</param>
    /// <param name="tgid">Its process.</param>
    /// <param name="status">The task's wait status when known.</param>
    public void TaskExited(int tid, int tgid, int? status)
    {
        // A leader ended by another thread's exec: the exec's record (Superseded) speaks for it.
        if (tid == tgid && ExecInFlightByAnotherThread(tgid)) return;
        if (pending.Remove(tid, out var call) && Writer.IsPending(tid)) Writer.Abandon(call);
        if (status is { } s && (options.Follow || tid == tgid))
        {
            exitCodes[-tid] = (s >> 8) & 0xff;
            var signal = s & 0x7f;
            Writer.Note(tid, signal != 0
                ? $"+++ killed by {Flags.Signal(signal)}{((s & 0x80) != 0 ? " (core dumped)" : "")} +++"
                : $"+++ exited with {(s >> 8) & 0xff} +++");
            return;
        }
        exitCodes.TryGetValue(tid, out var code);
        exitCodes[-tid] = code;
        if (options.Follow || tid == tgid) PrintExit(tid, (int)code);
    }

    /// <summary>
    /// Whether a leader's call that returned to be restarted was cut short by another thread's exec
    /// (which kills the leader): strace, which never sees that return, ends the call with "= ?".
    /// </summary>
    public bool EndedByExec(SyscallRecord call) =>
        call.Tid == call.Tgid && call.Return is <= -512 and >= -516 && ExecInFlightByAnotherThread(call.Tgid);

    /// <summary>A call that will not return: its line ends with "= ?".</summary>
    public void Abandon(SyscallRecord call)
    {
        pending.Remove(call.Tid);
        if (Writer.IsPending(call.Tid)) Writer.Abandon(call);
    }

    private bool ExecInFlightByAnotherThread(int tgid) =>
        pending.Values.Any(c => c.Tgid == tgid && c.Tid != tgid && Names[c.Number] is "execve" or "execveat");

    /// <summary>Whether the +++ line of <paramref name="tid"/> was printed.</summary>
    public bool ExitShown(int tid) => exitCodes.ContainsKey(-tid);

    /// <summary>The +++ line from an exit code as a parent sees it (128 + N: killed by signal N).</summary>
    public void PrintExit(int tid, int code)
    {
        exitCodes[-tid] = code;
        Writer.Note(tid, code > 128 && !exitCodes.ContainsKey(tid) ? $"+++ killed by {Flags.Signal(code - 128)} +++" : $"+++ exited with {code} +++");
    }

    /// <summary>-c: strace's table.</summary>
    public void Summary(TextWriter output, IEnumerable<CallCount> counts)
    {
        output.Write(CallSummary.Format(counts, options.SummarySort));
        output.Flush();
    }

    public void Flush() => Writer.Flush();

    /// <summary>What goes before the call on its line: timestamps and -n's number.</summary>
    private string Lead(SyscallRecord call) => LeadAt(call, call.EnterNs);

    private string LeadAt(SyscallRecord call, ulong ns)
    {
        latestNs = Math.Max(latestNs, ns);
        var stamp = Writer.Stamp(ns, RealtimeOffsetNs);
        return options.ShowNumbers ? $"{stamp}[{call.Number,4}] " : stamp;
    }

    /// <summary>A resumed line is stamped when the call returned; a call abandoned at its task's end never returned: the latest time seen.</summary>
    string ICallText.ResumedLead(SyscallRecord call) => LeadAt(call, call.ExitNs != 0 ? call.ExitNs : latestNs);

    string ICallText.Name(SyscallRecord call) => Names[call.Number];

    string ICallText.Entry(SyscallRecord call) => formatter.Entry(Names[call.Number], Decoders[call.Number], call, Plans[call.Number]);

    string ICallText.Rest(SyscallRecord call) => formatter.Exit(Names[call.Number], Decoders[call.Number], call, Plans[call.Number]);

    void ICallText.Whole(System.Text.StringBuilder line, SyscallRecord call) => formatter.Whole(line, Names[call.Number], Decoders[call.Number], call, Plans[call.Number]);

    IReadOnlyList<string> ICallText.Arguments(SyscallRecord call) => formatter.ArgumentTexts(Names[call.Number], Decoders[call.Number], call, Plans[call.Number]);

    string ICallText.Result(SyscallRecord call)
    {
        var ret = formatter.Result(Names[call.Number], Decoders[call.Number], call, Plans[call.Number]);
        if (!options.ShowDuration || !call.Returned) return ret;
        var ns = call.ExitNs - call.EnterNs;
        return $"{ret} <{ns / 1_000_000_000}.{ns / 1000 % 1_000_000:D6}>";
    }

    /// <summary>How many arguments an undecoded call has, from its syscalls tracepoint format (6 when unknown).</summary>
    private int RawArgumentCount(string name)
    {
        if (argumentCounts.TryGetValue(name, out var n)) return n;
        n = 6;
        try
        {
            var format = File.ReadAllLines(TraceFs.PathOf($"events/syscalls/sys_enter_{name}/format"));
            n = format.Count(l => l.Contains("field:", StringComparison.Ordinal) && !l.Contains("common_", StringComparison.Ordinal) && !l.Contains("__syscall_nr", StringComparison.Ordinal));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        catch (TraceFsUnavailableException) { }
        catch (KernelException) { }
        argumentCounts[name] = n;
        return n;
    }
}
