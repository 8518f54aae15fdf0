using System.Buffers.Binary;
using System.Diagnostics;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Bpf.Readers;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Syscalls.Decoding;
using Sharptrace.Syscalls.Formatting;
using Sharptrace.Syscalls.Tables;
using static Sharptrace.Syscalls.Tracing.RecordLayout;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// The eBPF backend: loads the programs, starts (held) or follows the tracee, reads the ring
/// buffer and prints strace's lines, or -c's table from the in-kernel counts.
/// </summary>
public sealed class SyscallTracer : ISyscallBackend
{
    private readonly StraceOptions options;
    private readonly SyscallTable table = SyscallTable.Current;
    private readonly List<IDisposable> owned = [];
    private readonly SyscallMaps maps;
    private readonly TraceOutput output;
    private readonly CaptureSlot[][] plans;
    private readonly string[] names;
    private readonly LinkSet links = new();

    /// <summary>The programs wake the reader only when the buffer fills up, so it looks this often on its own.</summary>
    private const int PollMs = 10;
    private long lostSeen;

    /// <summary>Creates the maps and loads and attaches the programs; nothing is traced until a pid is added.</summary>
    public SyscallTracer(StraceOptions options)
    {
        this.options = options;
        var count = options.CountOnly;
        Syscall.RaiseMemlockLimit();
        // The kernel zeroes the ring buffer's pages (some 4 ms for 16 MiB) and parsing its BTF takes
        // some 15 ms: both on the other core while the other maps and the output are made. -c needs
        // neither, unless -f (the fork program reads the child's pid with BTF's offset).
        var events = count ? null : Task.Run(() => BpfMap.Create(MapSpec.RingBuffer("st_events", options.RingBufferBytes)));
        var taskOffsets = count && !options.Follow ? Task.FromResult<TaskStructOffsets?>(null) : Task.Run(TaskOffsets);
        var fdTable = !count && options.Decode.FdPaths ? Task.Run(FdTableOffsets.FromKernel) : null;
        BpfMap Own(MapSpec spec) { var m = BpfMap.Create(spec); owned.Add(m); return m; }
        BpfMap? Owned(BpfMap? m) { if (m is not null) owned.Add(m); return m; }
        var pidMax = PidMax();
        maps = new SyscallMaps(
            Traced: Own(pidMax <= MaxArrayTids ? MapSpec.Array("st_traced", 4, pidMax) : MapSpec.Hash("st_traced", 4, 4, 65536)),
            Specs: Own(MapSpec.Array("st_specs", SpecSize, MaxSyscalls)),
            Inflight: Own(MapSpec.Array("st_inflight", HeaderSize, InflightSlots)),
            SlotCounter: Own(MapSpec.Array("st_slot_next", 8, 1)),
            Tasks: Own(MapSpec.Array("st_tasks", 8, 1)),
            Scratch: Own(MapSpec.PercpuArray("st_scratch", ScratchSize, 1)),
            Lost: Own(MapSpec.Array("st_lost", 8, 1)),
            Stats: count ? Own(MapSpec.PercpuArray("st_stats", StatsSize, MaxSyscalls)) : null,
            Start: Own(MapSpec.Array("st_start", StartSize, 1)),
            Events: null);
        output = new TraceOutput(options);
        // GetResult, not .Result: a kernel refusal must reach the caller as itself (the fallback to ptrace), not wrapped.
        maps = maps with { Events = Owned(events?.GetAwaiter().GetResult()) };
        plans = output.Plans;
        names = output.Names;
        FillSpecs();
        // Only the copies of the calls shown shape the programs.
        var shown = plans.Select((plan, nr) => (plan, nr)).Where(p => output.IsTraced(p.nr))
            .Select(p => new ShownCall(p.plan, !EntryRecordAlways(p.nr))).ToArray();
        var shape = new ProgramShape(count, Timed, MayDefer: options.Follow, FdTable: fdTable?.GetAwaiter().GetResult(),
            ExecveNumber: table.TryGetNumber("execve", out var execve) ? execve : throw new PlatformNotSupportedException("no execve in the syscall table"));
        // The verifier's check of the two large programs is most of our start-up (about 9 and 6 ms):
        // the exit program is checked on another CPU meanwhile.
        var exitProgram = Task.Run(() => LoadProgram("st_exit", BpfProgramType.RawTracepoint, SyscallPrograms.Exit(maps, shape, shown)));
        try { Load("st_enter", BpfProgramType.RawTracepoint, SyscallPrograms.Enter(maps, shape, shown), p => Bpf.Links.Attach.RawTracepoint(p, "sys_enter")); }
        catch
        {
            // The enter program's refusal is what the caller hears of (the fallback to ptrace); the other is only freed.
            Task.WhenAny(exitProgram).Wait();
            if (exitProgram.IsCompletedSuccessfully) exitProgram.Result.Dispose();
            throw;
        }
        Attach(exitProgram.GetAwaiter().GetResult(), p => Bpf.Links.Attach.RawTracepoint(p, "sys_exit"));
        Load("st_start", BpfProgramType.RawTracepoint, SyscallPrograms.StartedChild(maps), p => Bpf.Links.Attach.RawTracepoint(p, "sched_process_fork"));
        var offsets = taskOffsets.GetAwaiter().GetResult();
        Load("st_proc_exit", BpfProgramType.RawTracepoint, SyscallPrograms.ProcessExit(maps, count, offsets?.ExitCode), p => Bpf.Links.Attach.RawTracepoint(p, "sched_process_exit"));
        if (!count) Load("st_signal", BpfProgramType.RawTracepoint, SyscallPrograms.SignalDeliver(maps), p => Bpf.Links.Attach.RawTracepoint(p, "signal_deliver"));
        if (options.Follow)
        {
            Load("st_exec", BpfProgramType.RawTracepoint, SyscallPrograms.Exec(maps, count), p => Bpf.Links.Attach.RawTracepoint(p, "sched_process_exec"));
            if (offsets is not null)
                Load("st_fork", BpfProgramType.RawTracepoint, SyscallPrograms.Fork(maps, offsets.Pid), p => Bpf.Links.Attach.RawTracepoint(p, "sched_process_fork"));
            else
                Load("st_fork", BpfProgramType.Tracepoint, SyscallPrograms.Fork(maps, null), p => Bpf.Links.Attach.Tracepoint(p, "sched", "sched_process_fork"));
        }
    }

    private void Load(string name, BpfProgramType type, Bpf.Asm.Instruction[] code, Func<BpfProgram, BpfLink> attach) =>
        Attach(LoadProgram(name, type, code), attach);

    private static BpfProgram LoadProgram(string name, BpfProgramType type, Bpf.Asm.Instruction[] code)
    {
        // SHARPTRACE_VERIFIER_STATS=1 prints what the verifier did per program: its cost is start-up time.
        var stats = Environment.GetEnvironmentVariable("SHARPTRACE_VERIFIER_STATS") == "1";
        var program = BpfProgram.Load(new ProgramSpec(name, type, code), stats ? 4u : 0u);
        if (stats) Console.Error.WriteLine($"{name}: {code.Length} insns; {program.VerifierLog.Trim().Replace('\n', ' ')}");
        return program;
    }

    private void Attach(BpfProgram program, Func<BpfProgram, BpfLink> attach)
    {
        owned.Add(program);
        links.Add(attach(program));
    }

    private void FillSpecs()
    {
        var value = new byte[SpecSize];
        for (var nr = 0; nr < MaxSyscalls; nr++)
        {
            var selected = output.IsTraced(nr);
            Array.Clear(value);
            value[0] = (byte)((selected ? 0 : SpecHidden) | (EntryRecordAlways(nr) ? SpecEntryRecord : 0));
            for (var s = 0; s < plans[nr].Length; s++)
            {
                var slot = plans[nr][s];
                var at = 8 + 8 * s;
                value[at] = (byte)slot.Phase;
                value[at + 1] = (byte)slot.Kind;
                value[at + 2] = slot.Arg;
                value[at + 3] = (byte)slot.SizeFrom;
                value[at + 4] = slot.SizeArg;
                value[at + 5] = slot.SizeShift;
                BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(at + 6), slot.Max);
            }
            if (value.AsSpan().ContainsAnyExcept((byte)0)) maps.Specs.Update(BitConverter.GetBytes(nr), value);
        }
    }

    /// <summary>
    /// Whether call <paramref name="nr"/>'s entry always writes its own record: the calls that need one, and those
    /// whose input copies would show what the call wrote back if they were deferred to the exit (select's sets, recvmsg's msghdr).
    /// </summary>
    private bool EntryRecordAlways(int nr) => TraceOutput.NeedsEntryRecord(names[nr]) || CapturePlan.RewritesInput(plans[nr]);

    /// <summary>Whether anything printed needs the kernel's clock.</summary>
    private bool Timed => options.NeedsClock;

    private int nextUserSlot = InflightSlots / 2;

    /// <summary>Starts tracing thread <paramref name="tid"/>, with an in-flight slot from the upper half (the fork program uses the lower).</summary>
    public void AddTask(int tid)
    {
        maps.Traced.Update(BitConverter.GetBytes(tid), BitConverter.GetBytes(NextUserSlot() + 1));
        CountTask();
    }

    private int NextUserSlot()
    {
        var slot = nextUserSlot++;
        if (nextUserSlot == InflightSlots) nextUserSlot = InflightSlots / 2;
        return slot;
    }

    private void CountTask()
    {
        // Only user space adds tasks before the programs see any, so a plain read-modify-write will do.
        var tasks = new byte[8];
        maps.Tasks.TryLookup(new byte[4], tasks);
        maps.Tasks.Update(new byte[4], BitConverter.GetBytes(BitConverter.ToInt64(tasks) + 1));
    }

    private sealed record TaskStructOffsets(int Pid, int ExitCode);

    /// <summary>Offsets of task_struct.pid and .exit_code from the kernel's BTF; null without BTF.</summary>
    private static TaskStructOffsets? TaskOffsets()
    {
        try
        {
            // A walk over the raw BTF for the two offsets; the full parse only where they are not direct members.
            if (Bpf.Btf.BtfSpec.ScanKernelMemberOffsets("task_struct", "pid", "exit_code") is [var pidOffset, var exitCodeOffset])
                return new TaskStructOffsets(pidOffset, exitCodeOffset);
            var btf = Bpf.Btf.BtfSpec.LoadKernel();
            return btf.TryFindType("task_struct", Bpf.Btf.BtfKind.Struct, out var task)
                && btf.TryFindMember(task.Id, "pid", out var pid) && btf.TryFindMember(task.Id, "exit_code", out var exitCode)
                ? new TaskStructOffsets((int)pid.ByteOffset, (int)exitCode.ByteOffset) : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        catch (Bpf.Btf.BtfFormatException) { return null; }
    }

    /// <summary>The largest tid + 1 the kernel hands out (32768 when unreadable, the kernel's default).</summary>
    private static int PidMax()
    {
        try { return int.TryParse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), out var n) && n > 0 ? n : 32768; }
        catch (IOException) { return 32768; }
    }

    /// <summary>
    /// Runs <paramref name="path"/> with <paramref name="argv"/> under trace, from its execve on (no helper
    /// process: the kernel programs catch the child as this thread forks it, see
    /// <see cref="SyscallPrograms.StartedChild"/>), and writes the trace to <paramref name="output"/>;
    /// returns the command's exit status as strace does.
    /// </summary>
    public int RunCommand(IReadOnlyList<string> helperCommand, string path, IReadOnlyList<string> argv, TextWriter output)
    {
        var start = new byte[StartSize];
        BinaryPrimitives.WriteInt64LittleEndian(start.AsSpan(StartSpawner), ((long)Syscall.ProcessId << 32) | (uint)Syscall.ThreadId);
        BinaryPrimitives.WriteInt32LittleEndian(start.AsSpan(StartTracedValue), NextUserSlot() + 1);
        var key = new byte[4];
        maps.Start.Update(key, start);
        CountTask();
        HeldCommand child;
        try
        {
            child = HeldCommand.StartRunning(path, argv, string.Join(' ', argv));
        }
        catch (KernelException e)
        {
            throw new ArgumentException($"exec {path}: {e.Message}");
        }
        finally
        {
            maps.Start.TryLookup(key, start);
            maps.Start.Update(key, new byte[StartSize]);
        }
        using (child)
        {
            // posix_spawn returns once the child has exec'd, so its execve has been claimed by now.
            if (BinaryPrimitives.ReadInt64LittleEndian(start.AsSpan(StartChild)) != StartClaimed)
                throw new IOException($"the kernel programs did not see {path} start (pid {child.Pid}): not traced");
            this.output.StartedProcess(child.Pid);
            using var forwarding = StopSignalForwarding.To(child.Pid);
            // The launcher opened it before its reaper could wait4, so it names our child and no later process.
            var exited = child.ExitFd;
            return Trace(output, exited is null ? () => child.HasExited : () => exited.HasExited, child.WaitForExit, child.Pid, exited);
        }
    }

    /// <summary>Attaches to running processes (all their threads) until they end or <paramref name="stop"/> fires.</summary>
    public int AttachTo(IReadOnlyList<int> pids, TextWriter output, CancellationToken stop)
    {
        foreach (var pid in pids)
        {
            if (!Directory.Exists($"/proc/{pid}")) throw new ArgumentException($"attach: pid {pid}: No such process");
            foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
                if (int.TryParse(Path.GetFileName(task), out var tid)) AddTask(tid);
            this.output.AttachedProcess(pid);
        }
        return Trace(output, () => stop.IsCancellationRequested || pids.All(p => !Directory.Exists($"/proc/{p}")), () => 0, -1, null);
    }

    // exited: the started command's pidfd, so that the reader wakes when it ends rather than at its next poll.
    private int Trace(TextWriter text, Func<bool> finished, Func<int> exitStatus, int mainPid, PidFd? exited)
    {
        output.Begin(text);
        if (options.CountOnly)
        {
            // A started command: block until it ends (no polling delay at the end); attached: poll.
            if (mainPid <= 0) while (!finished()) Thread.Sleep(20);
            var status = exitStatus();
            output.Summary(text, ReadCounts());
            return status;
        }
        // The command was started before: it keeps its priority, only this draining thread is raised.
        ReaderPriority.RaiseCurrentThread();
        using var reader = new RingBufferReader(maps.Events!);
        if (exited is not null) reader.WakeOn(exited.Fd);
        while (!finished()) reader.Poll(PollMs, Handle);
        var code = exitStatus();
        // The exit record of the last task may still be on its way.
        for (var i = 0; i < 20 && reader.Consume(Handle) >= 0; i++)
        {
            if (!output.HasPending(mainPid) && output.ExitShown(mainPid)) break;
            Thread.Sleep(5);
        }
        reader.Consume(Handle);
        ReportLost();
        if (mainPid > 0 && !output.ExitShown(mainPid)) output.PrintExit(mainPid, code);
        output.Flush();
        return code;
    }

    private IEnumerable<CallCount> ReadCounts()
    {
        for (var nr = 0; nr < MaxSyscalls; nr++)
        {
            var perCpu = maps.Stats!.LookupPerCpu<int, Stats>(nr);
            if (perCpu is null) continue;
            long calls = 0, errors = 0;
            ulong ns = 0;
            foreach (var s in perCpu) { calls += (long)s.Calls; errors += (long)s.Errors; ns += s.Nanoseconds; }
            if (calls > 0) yield return new CallCount(names[nr], calls, errors, ns, nr);
        }
    }

    private readonly record struct Stats(ulong Calls, ulong Errors, ulong Nanoseconds);

    private void ReportLost()
    {
        var buffer = new byte[8];
        if (maps.Lost.TryLookup(new byte[4], buffer))
        {
            var lost = BitConverter.ToInt64(buffer);
            if (lost > lostSeen) output.Note(0, $"--- sharptrace: {lost - lostSeen} records lost at the end (ring buffer full) ---");
            lostSeen = lost;
        }
    }

    private void Handle(ReadOnlySpan<byte> record)
    {
        var type = BinaryPrimitives.ReadUInt32LittleEndian(record);
        var tid = BinaryPrimitives.ReadInt32LittleEndian(record[Tid..]);
        var tgid = BinaryPrimitives.ReadInt32LittleEndian(record[Tgid..]);
        if (type == TypeProcessExit)
        {
            var known = record.Length >= 20 && BinaryPrimitives.ReadInt32LittleEndian(record[16..]) != 0;
            output.TaskExited(tid, tgid, known ? BinaryPrimitives.ReadInt32LittleEndian(record[12..]) : null);
            return;
        }
        if (type == TypeExec)
        {
            // A thread exec'd and took the process id (see SyscallPrograms.Exec).
            output.NoteTask(tgid);
            output.Superseded(BinaryPrimitives.ReadInt32LittleEndian(record[12..]), tid);
            return;
        }
        if (type == TypeSignal)
        {
            // A fatal signal to an untraced-by-ptrace process is turned by the kernel into a bare
            // SIGKILL to each thread (no sender): strace never sees that one; the +++ line names the signal.
            var signo = BinaryPrimitives.ReadInt32LittleEndian(record[12..]);
            if (signo == 9 && record.Length >= 16 + SiginfoFormatter.Size
                && BinaryPrimitives.ReadInt32LittleEndian(record[24..]) == 0 && BinaryPrimitives.ReadInt32LittleEndian(record[32..]) == 0) return;
            output.Signal(tid, tgid, signo, record[16..]);
            return;
        }
        var nr = BinaryPrimitives.ReadInt32LittleEndian(record[Number..]);
        var lost = BinaryPrimitives.ReadInt64LittleEndian(record[LostSnapshot..]);
        if (lost > lostSeen)
        {
            output.Note(tid, $"--- sharptrace: {lost - lostSeen} records lost here (ring buffer full) ---");
            lostSeen = lost;
        }
        output.NoteTask(tgid);
        if (type == TypeEnter)
        {
            var call = new SyscallRecord { Tid = tid, Tgid = tgid, Number = nr, EnterNs = BinaryPrimitives.ReadUInt64LittleEndian(record[Timestamp..]) };
            for (var i = 0; i < 6; i++) call.Args[i] = BinaryPrimitives.ReadUInt64LittleEndian(record[(Args + 8 * i)..]);
            ReadSlots(record, call);
            output.Entered(call);
        }
        else if (type is TypeExit or TypeWhole)
        {
            SyscallRecord? call;
            if (type == TypeWhole)
            {
                call = new SyscallRecord { Tid = tid, Tgid = tgid, Number = nr, EnterNs = BinaryPrimitives.ReadUInt64LittleEndian(record[EnterTimestamp..]) };
                for (var i = 0; i < 6; i++) call.Args[i] = BinaryPrimitives.ReadUInt64LittleEndian(record[(Args + 8 * i)..]);
            }
            else if ((call = output.TakePending(tid)) is null)
            {
                return;
            }
            call.Return = BinaryPrimitives.ReadInt64LittleEndian(record[Return..]);
            call.Returned = true;
            call.ExitNs = BinaryPrimitives.ReadUInt64LittleEndian(record[Timestamp..]);
            ReadSlots(record, call);
            if (type == TypeExit && output.EndedByExec(call)) output.Abandon(call);
            else if (type == TypeWhole) output.EnteredAndReturned(call);
            else output.Returned(call);
        }
    }

    private static void ReadSlots(ReadOnlySpan<byte> record, SyscallRecord call)
    {
        var at = HeaderSize;
        while (at + SlotHeaderSize <= record.Length)
        {
            var slot = record[at];
            var flags = record[at + 1];
            var length = BinaryPrimitives.ReadInt32LittleEndian(record[(at + 4)..]);
            if (length < 0 || at + SlotHeaderSize + length > record.Length || slot >= CapturePlan.MaxSlots) break;
            call.Captures[slot] = new Capture(record.Slice(at + SlotHeaderSize, length).ToArray(), (flags & FlagFault) != 0, (flags & FlagMore) != 0);
            at += SlotHeaderSize + ((length + 7) & ~7);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        links.Dispose();
        for (var i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
    }
}
