using Sharptrace.Kernel;
using Sharptrace.Syscalls.Decoding;
using Sharptrace.Syscalls.Formatting;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// The ptrace backend: the tracee stops at each call's entry and exit, as under strace, and the
/// tracer reads the registers (PTRACE_GET_SYSCALL_INFO) and memory (process_vm_readv) there. Slow,
/// but it needs no BPF and copies exactly what strace copies, at the same moments. Everything runs
/// on one thread, because the kernel takes ptrace requests only from the thread that attached.
/// </summary>
/// <remarks>
/// waitpid(-1) reaps any child of this process: nothing else in it may start child processes
/// while a trace runs (System.Diagnostics.Process would lose its children's exits, and its
/// SIGCHLD handler would take this tracer's stops).
/// </remarks>
public sealed class PtraceTracer : ISyscallBackend
{
    private const int SigTrap = 5, SigKill = 9, SigStop = 19, SigCont = 18, SigUrg = 23, SyscallStop = SigTrap | 0x80;

    /// <summary>Wakes the tracer thread out of waitpid (see <see cref="Ptrace.MakeInterrupting"/>).</summary>
    private const int WakeSignal = SigUrg;

    private readonly StraceOptions options;
    private readonly TraceOutput output;
    private readonly Dictionary<int, Tracee> tracees = [];
    private readonly long[] calls = new long[TraceOutput.MaxSyscalls];
    private readonly long[] errors = new long[TraceOutput.MaxSyscalls];
    private readonly ulong[] nanoseconds = new ulong[TraceOutput.MaxSyscalls];
    private readonly byte[] siginfo = new byte[128];
    private TextWriter? text;

    /// <summary>One traced thread.</summary>
    private sealed class Tracee(int tid, int tgid)
    {
        public int Tid { get; set; } = tid;
        public int Tgid { get; set; } = tgid;

        /// <summary>The call it is in (entered, not yet returned), shown or not.</summary>
        public SyscallRecord? Call { get; set; }

        /// <summary>Whether <see cref="Call"/> is printed or counted (-e trace=).</summary>
        public bool Shown { get; set; }

        /// <summary>A started command before its execve: the helper's last steps are not the command's.</summary>
        public bool Hidden { get; set; }
    }

    /// <summary>Prepares the output; nothing is traced until a command starts or pids are attached.</summary>
    public PtraceTracer(StraceOptions options)
    {
        this.options = options;
        output = new TraceOutput(options);
    }

    private int SeizeOptions => Ptrace.OptionSysGood | Ptrace.OptionExec | Ptrace.OptionExit
        | (options.Follow ? Ptrace.OptionClone | Ptrace.OptionFork | Ptrace.OptionVfork : 0);

    /// <inheritdoc />
    public int RunCommand(IReadOnlyList<string> helperCommand, string path, IReadOnlyList<string> argv, TextWriter writer) => OnTracerThread(() =>
    {
        var pid = Ptrace.Spawn(helperCommand[0], [.. helperCommand, path, .. argv]);
        // The helper stops itself (SIGSTOP) just before its execve: seize it there, then let it go on.
        if (Ptrace.Wait(pid, Ptrace.WaitStopped, out var status, out _) != pid || (status & 0xff) != 0x7f)
            throw new IOException($"could not start {path}: its launcher ended before it stopped (wait status {status})");
        try
        {
            Ptrace.SeizeAndInterrupt(pid, SeizeOptions);
        }
        catch (KernelException)
        {
            Ptrace.Kill(pid, SigKill);
            Ptrace.Wait(pid, 0, out _, out _);
            throw;
        }
        tracees[pid] = new Tracee(pid, pid) { Hidden = true };
        output.StartedProcess(pid);
        using var forwarding = StopSignalForwarding.To(pid);
        Ptrace.Kill(pid, SigCont);
        Begin(writer);
        return Loop(pid, CancellationToken.None, writer);
    });

    /// <inheritdoc />
    public int AttachTo(IReadOnlyList<int> pids, TextWriter writer, CancellationToken stop) => OnTracerThread(() =>
    {
        foreach (var pid in pids)
        {
            if (!Directory.Exists($"/proc/{pid}")) throw new ArgumentException($"attach: pid {pid}: No such process");
            // Threads started while attaching are seized by a second look.
            for (var added = true; added;)
            {
                added = false;
                foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
                {
                    if (!int.TryParse(Path.GetFileName(task), out var tid) || tracees.ContainsKey(tid)) continue;
                    Ptrace.SeizeAndInterrupt(tid, SeizeOptions);
                    tracees[tid] = new Tracee(tid, pid);
                    added = true;
                }
            }
            output.AttachedProcess(pid);
        }
        Begin(writer);
        Ptrace.MakeInterrupting(WakeSignal);
        var tracer = Ptrace.CurrentThreadId;
        using var waker = stop.Register(() => Ptrace.WakeThread(tracer, WakeSignal));
        // A wake-up that lands just before waitpid is lost: repeat it until the tracer has detached.
        using var repeat = new Timer(_ => { if (stop.IsCancellationRequested) Ptrace.WakeThread(tracer, WakeSignal); }, null, 50, 50);
        Loop(-1, stop, writer);
        return 0;
    });

    private void Begin(TextWriter writer)
    {
        text = writer;
        output.Begin(writer);
    }

    /// <summary>Runs <paramref name="trace"/> on a thread of its own and returns its result (or rethrows its exception).</summary>
    private static int OnTracerThread(Func<int> trace)
    {
        var result = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = trace(); }
            catch (Exception e) when (e is KernelException or InvalidOperationException or ArgumentException or IOException) { failure = e; }
        }, 1 << 20) { Name = "ptrace tracer", IsBackground = true };
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return result;
    }

    /// <summary>The wait loop: handles each stop and restarts the task, until no task is left (or <paramref name="stop"/> fires).</summary>
    private int Loop(int mainPid, CancellationToken stop, TextWriter writer)
    {
        var mainStatus = 0;
        while (tracees.Count > 0)
        {
            if (stop.IsCancellationRequested) { DetachAll(); break; }
            var tid = Ptrace.Wait(-1, Ptrace.WaitAll, out var status, out var errno);
            if (tid < 0)
            {
                if (errno == Errno.EINTR) continue;
                break;
            }
            var now = TraceOutput.MonotonicNs();
            var tracee = Find(tid);
            if ((status & 0xff) != 0x7f)
            {
                Ended(tracee, status);
                if (tid == mainPid) mainStatus = status;
                continue;
            }
            var signal = (status >> 8) & 0xff;
            var ptraceEvent = status >> 16;
            if (signal == SyscallStop) { AtSyscall(tracee, now); Ptrace.ResumeToSyscall(tid); }
            else if (ptraceEvent != 0) AtEvent(tracee, ptraceEvent, signal);
            else AtSignal(tracee, signal);
        }
        if (options.CountOnly)
        {
            output.Summary(writer, Counts());
        }
        else
        {
            if (mainPid > 0 && !output.ExitShown(mainPid)) output.TaskExited(mainPid, mainPid, mainStatus);
            output.Flush();
        }
        var code = (mainStatus >> 8) & 0xff;
        return (mainStatus & 0x7f) != 0 ? 128 + (mainStatus & 0x7f) : code;
    }

    /// <summary>The tracee <paramref name="tid"/>; a task seen for the first time is a new child (-f), seized by the kernel.</summary>
    private Tracee Find(int tid)
    {
        if (tracees.TryGetValue(tid, out var tracee)) return tracee;
        tracee = new Tracee(tid, ProcessOf(tid));
        tracees[tid] = tracee;
        return tracee;
    }

    /// <summary>The process (Tgid) of task <paramref name="tid"/>, from /proc; the task itself when it is gone.</summary>
    private static int ProcessOf(int tid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{tid}/status"))
                if (line.StartsWith("Tgid:", StringComparison.Ordinal) && int.TryParse(line.AsSpan(5).Trim(), out var tgid)) return tgid;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return tid;
    }

    private void AtSyscall(Tracee tracee, ulong now)
    {
        var info = Ptrace.SyscallInfo(tracee.Tid);
        if (info.Op == 1)
        {
            var nr = (int)info.Number;
            var known = nr is >= 0 and < TraceOutput.MaxSyscalls;
            if (tracee.Hidden && known && output.Names[nr] is "execve" or "execveat") tracee.Hidden = false;
            if (!known) { tracee.Call = null; return; }
            var call = new SyscallRecord { Tid = tracee.Tid, Tgid = tracee.Tgid, Number = nr, Args = info.Args, EnterNs = now };
            tracee.Call = call;
            tracee.Shown = !tracee.Hidden && output.IsTraced(nr);
            if (!tracee.Shown || options.CountOnly) return;
            TraceeCaptures.Read(tracee.Tid, call, output.Plans[nr], entry: true);
            output.NoteTask(tracee.Tgid);
            output.Entered(call);
        }
        else if (info.Op == 2 && tracee.Call is { } call)
        {
            tracee.Call = null;
            call.Return = info.Return;
            call.Returned = true;
            call.ExitNs = now;
            if (!tracee.Shown) return;
            if (options.CountOnly)
            {
                calls[call.Number]++;
                if (call.Return is < 0 and >= -4095) errors[call.Number]++;
                nanoseconds[call.Number] += now - call.EnterNs;
                return;
            }
            TraceeCaptures.Read(tracee.Tid, call, output.Plans[call.Number], entry: false);
            output.NoteTask(tracee.Tgid);
            output.Returned(call);
        }
    }

    private void AtEvent(Tracee tracee, int ptraceEvent, int signal)
    {
        var tid = tracee.Tid;
        switch (ptraceEvent)
        {
            case Ptrace.EventExec:
                var former = (int)Ptrace.EventMessage(tid);
                if (former != tid && tracees.Remove(former, out var execing))
                {
                    // A thread other than the leader exec'd: it now has the leader's id, and the leader is gone.
                    tracees.Remove(tid);
                    execing.Tid = tid;
                    execing.Tgid = tid;
                    tracees[tid] = execing;
                    var shown = !options.CountOnly && !execing.Hidden && execing.Shown;
                    var moved = shown ? output.Superseded(former, tid) : null;
                    if (execing.Call is { } call)
                        execing.Call = moved ?? new SyscallRecord { Tid = tid, Tgid = tid, Number = call.Number, Args = call.Args, EnterNs = call.EnterNs };
                }
                Ptrace.ResumeToSyscall(tid);
                break;
            case Ptrace.EventClone or Ptrace.EventFork or Ptrace.EventVfork:
                Find((int)Ptrace.EventMessage(tid));
                Ptrace.ResumeToSyscall(tid);
                break;
            case Ptrace.EventStop when signal is SigStop or 20 or 21 or 22:
                // Group-stop: stay stopped (as without a tracer) until SIGCONT, which PTRACE_LISTEN reports.
                if (!tracee.Hidden && !options.CountOnly)
                {
                    output.Note(tid, $"--- stopped by {Flags.Signal(signal)} ---");
                    // The task may stay stopped a long time: what led to the stop is readable now, as under strace.
                    text?.Flush();
                }
                Ptrace.ListenTask(tid);
                break;
            default:
                Ptrace.ResumeToSyscall(tid);
                break;
        }
    }

    /// <summary>A signal about to be delivered: strace's line, then deliver it.</summary>
    private void AtSignal(Tracee tracee, int signal)
    {
        if (!Ptrace.SignalInfo(tracee.Tid, siginfo))
        {
            Ptrace.ResumeToSyscall(tracee.Tid);
            return;
        }
        if (!tracee.Hidden && !options.CountOnly) output.Signal(tracee.Tid, tracee.Tgid, signal, siginfo);
        Ptrace.ResumeToSyscall(tracee.Tid, signal);
    }

    private void Ended(Tracee tracee, int status)
    {
        tracees.Remove(tracee.Tid);
        if (tracee.Hidden || options.CountOnly) return;
        output.TaskExited(tracee.Tid, tracee.Tgid, status);
    }

    /// <summary>
    /// Ctrl-C, SIGTERM or the caller's stop: each task is interrupted and, at its stop, detached
    /// with the signal it was about to get, so it runs on as if never traced.
    /// </summary>
    private void DetachAll()
    {
        foreach (var tid in tracees.Keys) Ptrace.InterruptTask(tid);
        while (tracees.Count > 0)
        {
            var tid = Ptrace.Wait(-1, Ptrace.WaitAll, out var status, out var errno);
            if (tid < 0)
            {
                if (errno == Errno.EINTR) continue;
                break;
            }
            if (!tracees.TryGetValue(tid, out var tracee)) continue;
            if ((status & 0xff) != 0x7f)
            {
                Ended(tracee, status);
                continue;
            }
            var signal = (status >> 8) & 0xff;
            var delivering = status >> 16 == 0 && signal != SyscallStop;
            Ptrace.DetachTask(tid, delivering ? signal : 0);
            tracees.Remove(tid);
        }
    }

    private IEnumerable<CallCount> Counts()
    {
        for (var nr = 0; nr < TraceOutput.MaxSyscalls; nr++)
            if (calls[nr] > 0) yield return new CallCount(output.Names[nr], calls[nr], errors[nr], nanoseconds[nr], nr);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
