using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Maps;
using Sharptrace.Syscalls.Decoding;
using static Sharptrace.Syscalls.Tracing.RecordLayout;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>The maps the programs share with user space.</summary>
/// <param name="Traced">tid → in-flight slot + 1 (0: not traced); an array indexed by tid, or a hash when pid_max is large.</param>
/// <param name="Specs">Per call number: whether it is shown and what to copy.</param>
/// <param name="Inflight">Per slot: the entry (time, number, arguments) kept for the exit program.</param>
/// <param name="SlotCounter">u64 at index 0: the next slot the fork program hands out.</param>
/// <param name="Tasks">u64 at index 0: how many tasks are traced (1: calls may be deferred to one record).</param>
/// <param name="Scratch">Per CPU: the record being built.</param>
/// <param name="Events">The ring buffer (null with -c).</param>
/// <param name="Lost">u64 at index 0: records the full ring buffer refused.</param>
/// <param name="Stats">-c: per call number and CPU, calls, errors and nanoseconds.</param>
/// <param name="Start">
/// The start of a command (see <see cref="SyscallPrograms.StartedChild"/>), one entry of
/// <see cref="RecordLayout.StartSize"/> bytes: u64 pid_tgid of the thread that spawns it (0: none),
/// u64 the child's task_struct pointer (set at fork; <see cref="RecordLayout.StartClaimed"/> once its execve
/// is traced), u32 its traced-map value.
/// </param>
internal sealed record SyscallMaps(BpfMap Traced, BpfMap Specs, BpfMap Inflight, BpfMap SlotCounter, BpfMap Tasks, BpfMap Scratch, BpfMap? Events, BpfMap Lost, BpfMap? Stats, BpfMap Start)
{
    public bool TracedIsHash => Traced.Spec.Type == Sharptrace.Kernel.Uapi.BpfMapType.Hash;
}

/// <summary>How the programs are generated.</summary>
/// <param name="CountOnly">-c: count and time calls in the kernel, no records.</param>
/// <param name="Timed">Read the clock (-T, -t, -r, -c): bpf_ktime_get_ns is a TSC read that costs a VM dearly, twice per call.</param>
/// <param name="MayDefer">
/// While a single task is traced, a call whose entry needs no record of its own (not execve, exit,
/// clone, sigreturn…) is written as one record at its exit, its input copies made then: no other
/// traced task can print a line in between, and nothing else can change the memory of a lone task
/// during its call. Half the records, and no copy of the registers at entry. Only with -f, where
/// every thread of the tracee is counted.
/// </param>
/// <param name="ExecveNumber">execve's number: the started command's first traced call (see <see cref="SyscallPrograms.StartedChild"/>).</param>
/// <param name="FdTable">-y: where the task's file table is, to read new descriptors' inodes (<see cref="CaptureKind.FdInodes"/>); null: not read.</param>
internal readonly record struct ProgramShape(bool CountOnly, bool Timed, bool MayDefer, int ExecveNumber, FdTableOffsets? FdTable = null);

/// <summary>A call that is shown: its copies, and whether its entry may be deferred to its exit.</summary>
internal readonly record struct ShownCall(CaptureSlot[] Plan, bool Deferrable);

/// <summary>
/// Generates the eBPF programs of the syscall tracer. On the raw sys_enter and sys_exit tracepoints
/// (raw: no perf-event record is built per call, which halves the kernel's share of the cost),
/// filtered by the traced-thread map, they keep the entry in the thread's in-flight slot, copy what
/// the per-call spec asks for into a per-CPU scratch record and emit it through the ring buffer
/// (or, for -c, only count and time calls); on sched:sched_process_fork they add the children of
/// traced threads (for -f). The hot path makes no hash update: slots are array entries.
/// </summary>
internal static class SyscallPrograms
{
    private const short StackTid = -8, StackNr = -16, StackSpec = -24, StackPtr = -32, StackSize = -40, StackLen = -48,
        StackTmp = -56, StackKind = -64, StackPidTgid = -72, StackTmp2 = -80, StackBase = -88, StackSlot = -96, StackFlags = -104,
        StackRegs = -232;

    /// <summary>
    /// The entry program; <paramref name="plans"/> (per call number shown) decide which copy kinds each
    /// slot must handle, so that code the plans never use is not generated: the verifier walks every
    /// path, and the argv and envp loops alone made the load take half a second.
    /// </summary>
    public static Instruction[] Enter(SyscallMaps maps, ProgramShape shape, IEnumerable<ShownCall> plans) => Build(maps, shape, entry: true, plans);

    /// <summary>The exit program (see <see cref="Enter"/>).</summary>
    public static Instruction[] Exit(SyscallMaps maps, ProgramShape shape, IEnumerable<ShownCall> plans) => Build(maps, shape, entry: false, plans);

    private static Instruction[] Build(SyscallMaps maps, ProgramShape shape, bool entry, IEnumerable<ShownCall> plans)
    {
        var (countOnly, timed, mayDefer, execveNumber, fdTable) = shape;
        // The exit program can always write a deferred call whole: besides a lone task's calls
        // (MayDefer), an entry whose input copy faulted is deferred (see EmitDeferOnFault).
        var exitCompletes = !countOnly;
        var used = new HashSet<(int Slot, CaptureKind Kind)>();
        foreach (var (plan, deferrable) in plans)
            for (var s = 0; s < plan.Length; s++)
                if (entry ? plan[s].Phase == CapturePhase.Entry
                    : plan[s].Phase == CapturePhase.Exit || (exitCompletes && deferrable && plan[s].Phase == CapturePhase.Entry))
                    used.Add((s, plan[s].Kind));
        var a = new Assembler();
        var done = a.DefineLabel("done");
        // r9 = ctx: u64 args[2] = { struct pt_regs *regs, long id (enter) / long ret (exit) }.
        a.Mov64(Register.R9, Register.R1);
        StoreCurrentIds(a);
        LookupStack(a, maps.Traced, StackTid);
        var untraced = a.DefineLabel();
        var traced = a.DefineLabel();
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, untraced);
        a.LoadMem(Size.Word, Register.R1, Register.R0, 0);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, 0, traced);
        a.MarkLabel(untraced);
        if (entry) EmitClaimStartedChild(a, maps, execveNumber, done);
        else a.Jump(done);
        a.MarkLabel(traced);
        a.Alu64(AluOp.Sub, Register.R1, 1);
        a.Alu64(AluOp.And, Register.R1, InflightSlots - 1);
        a.StoreMem(Size.Word, Register.R10, StackSlot, Register.R1);
        // r8 = this thread's in-flight entry.
        LookupStack(a, maps.Inflight, StackSlot);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.Mov64(Register.R8, Register.R0);
        if (entry)
        {
            a.LoadMem(Size.DWord, Register.R1, Register.R9, 8);
        }
        else
        {
            // Only an exit whose entry this thread recorded (a call entered before tracing began has none).
            a.LoadMem(Size.Word, Register.R1, Register.R8, Owner);
            a.LoadMem(Size.Word, Register.R2, Register.R10, StackTid);
            a.JumpIf(JumpCondition.NotEqual, Register.R1, Register.R2, done);
            a.StoreImm(Size.Word, Register.R8, Owner, 0);
            a.LoadMem(Size.Word, Register.R1, Register.R8, InflightNumber);
        }
        // Syscall number: -1 for an invalid call, and our arrays end at MaxSyscalls.
        var selected = a.DefineLabel();
        var unselected = a.DefineLabel();
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R1, MaxSyscalls, unselected);
        a.StoreMem(Size.Word, Register.R10, StackNr, Register.R1);
        LookupStack(a, maps.Specs, StackNr);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, unselected);
        a.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
        a.Alu64(AluOp.And, Register.R1, SpecHidden);
        a.JumpIf(JumpCondition.Equal, Register.R1, 0, selected);
        a.MarkLabel(unselected);
        // A call we do not show must not leave an older entry for its exit to find.
        if (entry) a.StoreImm(Size.Word, Register.R8, Owner, 0);
        a.Jump(done);
        a.MarkLabel(selected);
        a.StoreMem(Size.DWord, Register.R10, StackSpec, Register.R0);
        if (!countOnly && entry && mayDefer)
        {
            // Alone: one record at exit, nothing at entry (see ProgramShape.MayDefer).
            var emit = a.DefineLabel();
            a.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
            a.Alu64(AluOp.And, Register.R1, SpecEntryRecord);
            a.JumpIf(JumpCondition.NotEqual, Register.R1, 0, emit);
            a.StoreImm(Size.Word, Register.R10, StackTmp, 0);
            LookupStack(a, maps.Tasks, StackTmp);
            a.JumpIf(JumpCondition.Equal, Register.R0, 0, emit);
            a.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
            a.JumpIf(JumpCondition.NotEqual, Register.R1, 1, emit);
            if (timed)
            {
                a.Call(BpfHelper.KtimeGetNs);
                a.StoreMem(Size.DWord, Register.R8, EnterTimestamp, Register.R0);
            }
            a.LoadMem(Size.Word, Register.R1, Register.R10, StackNr);
            a.StoreMem(Size.Word, Register.R8, InflightNumber, Register.R1);
            a.StoreImm(Size.Word, Register.R8, Deferred, 1);
            a.LoadMem(Size.Word, Register.R1, Register.R10, StackTid);
            a.StoreMem(Size.Word, Register.R8, Owner, Register.R1);
            a.Jump(done);
            a.MarkLabel(emit);
        }

        if (countOnly)
        {
            if (entry)
            {
                // Timed or not, and its weight (see RecordLayout.TimedExactly), from this CPU's count of the number so far.
                var untimed = a.DefineLabel();
                var clocked = a.DefineLabel();
                var stamp = a.DefineLabel();
                a.Mov64(Register.R6, 1);
                LookupStack(a, maps.Stats!, StackNr);
                a.JumpIf(JumpCondition.Equal, Register.R0, 0, untimed);
                a.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
                a.JumpIf(JumpCondition.Less, Register.R1, TimedExactly, clocked);
                a.Mov64(Register.R6, SampleEvery);
                a.Alu64(AluOp.And, Register.R1, SampleEvery - 1);
                a.JumpIf(JumpCondition.Equal, Register.R1, 0, clocked);
                a.MarkLabel(untimed);
                a.Mov64(Register.R6, 0);
                a.Mov64(Register.R0, 0);
                a.Jump(stamp);
                a.MarkLabel(clocked);
                a.Call(BpfHelper.KtimeGetNs);
                a.MarkLabel(stamp);
                a.StoreMem(Size.DWord, Register.R8, EnterTimestamp, Register.R0);
                a.StoreMem(Size.Word, Register.R8, TimeWeight, Register.R6);
                a.LoadMem(Size.Word, Register.R1, Register.R10, StackNr);
                a.StoreMem(Size.Word, Register.R8, InflightNumber, Register.R1);
                a.LoadMem(Size.Word, Register.R1, Register.R10, StackTid);
                a.StoreMem(Size.Word, Register.R8, Owner, Register.R1);
                a.MarkLabel(done);
                a.Mov64(Register.R0, 0);
                a.Exit();
            }
            else
            {
                EmitCount(a, maps, done);
            }
            return [.. a.Build().Instructions];
        }

        // r6 = scratch record (per CPU).
        a.StoreImm(Size.Word, Register.R10, StackTmp, 0);
        LookupStack(a, maps.Scratch, StackTmp);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.Mov64(Register.R6, Register.R0);

        if (entry)
        {
            if (timed)
            {
                a.Call(BpfHelper.KtimeGetNs);
                a.StoreMem(Size.DWord, Register.R6, Timestamp, Register.R0);
                a.StoreMem(Size.DWord, Register.R6, EnterTimestamp, Register.R0);
            }
            EmitReadArguments(a);
            a.LoadMem(Size.Word, Register.R1, Register.R10, StackNr);
            a.StoreMem(Size.Word, Register.R6, InflightNumber, Register.R1);
            a.LoadMem(Size.Word, Register.R1, Register.R10, StackTid);
            a.StoreMem(Size.Word, Register.R6, Owner, Register.R1);
            a.StoreImm(Size.Word, Register.R6, Deferred, 0);
            // Keep the entry (time, number and arguments) for the exit program.
            for (var off = InflightOffset; off < HeaderSize; off += 8)
            {
                a.LoadMem(Size.DWord, Register.R1, Register.R6, (short)off);
                a.StoreMem(Size.DWord, Register.R8, (short)off, Register.R1);
            }
        }
        else
        {
            for (var off = InflightOffset; off < HeaderSize; off += 8)
            {
                a.LoadMem(Size.DWord, Register.R1, Register.R8, (short)off);
                a.StoreMem(Size.DWord, Register.R6, (short)off, Register.R1);
            }
            a.LoadMem(Size.DWord, Register.R1, Register.R9, 8);
            a.StoreMem(Size.DWord, Register.R6, Return, Register.R1);
            if (timed)
            {
                a.Call(BpfHelper.KtimeGetNs);
                a.StoreMem(Size.DWord, Register.R6, Timestamp, Register.R0);
            }
        }

        // Header.
        a.StoreImm(Size.Word, Register.R6, RecordLayout.Type, (int)(entry ? TypeEnter : TypeExit));
        if (!entry && exitCompletes)
        {
            // A deferred entry: the arguments are still in the saved registers (the calls that
            // change them are never deferred), and the record says it is the whole call.
            var whole = a.DefineLabel();
            a.LoadMem(Size.Word, Register.R1, Register.R6, Deferred);
            a.JumpIf(JumpCondition.Equal, Register.R1, 0, whole);
            EmitReadArguments(a);
            a.StoreImm(Size.Word, Register.R6, RecordLayout.Type, (int)TypeWhole);
            a.MarkLabel(whole);
        }
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPidTgid);
        a.StoreMem(Size.Word, Register.R6, Tid, Register.R1);
        a.Alu64(AluOp.Rsh, Register.R1, 32);
        a.StoreMem(Size.Word, Register.R6, Tgid, Register.R1);
        a.LoadMem(Size.Word, Register.R1, Register.R10, StackNr);
        a.StoreMem(Size.Word, Register.R6, Number, Register.R1);
        a.StoreImm(Size.Word, Register.R10, StackTmp, 0);
        LookupStack(a, maps.Lost, StackTmp);
        var noLost = a.DefineLabel();
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, noLost);
        a.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
        a.StoreMem(Size.DWord, Register.R6, LostSnapshot, Register.R1);
        a.MarkLabel(noLost);

        // Captures; r7 = cursor within the data window.
        a.Mov64(Register.R7, 0);
        if (entry) a.StoreImm(Size.Word, Register.R6, EntryFaulted, 0);
        for (var slot = 0; slot < CapturePlan.MaxSlots; slot++)
        {
            var kinds = used.Where(u => u.Slot == slot).Select(u => u.Kind).ToHashSet();
            if (kinds.Count > 0) EmitSlot(a, slot, entry, exitCompletes, kinds, fdTable);
        }
        if (entry) EmitDeferOnFault(a, maps, done);

        // Never wake the reader: a wake-up per record costs a context switch per call (and asking
        // the buffer how full it is costs a helper call). The reader polls every few milliseconds.
        a.LoadMapFd(Register.R1, maps.Events!.Fd.Value);
        a.Mov64(Register.R2, Register.R6);
        a.Mov64(Register.R3, Register.R7);
        a.Alu64(AluOp.And, Register.R3, CursorMask);
        a.Alu64(AluOp.Add, Register.R3, HeaderSize);
        a.Mov64(Register.R4, (int)RbNoWakeup);
        a.Call(BpfHelper.RingbufOutput);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        // A full ring buffer: count it, so the reader can say how many and where.
        a.StoreImm(Size.Word, Register.R10, StackTmp, 0);
        LookupStack(a, maps.Lost, StackTmp);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.Mov64(Register.R1, 1);
        a.Atomic(AtomicOp.Add, Size.DWord, Register.R0, 0, Register.R1);
        a.MarkLabel(done);
        a.Mov64(Register.R0, 0);
        a.Exit();
        return [.. a.Build().Instructions];
    }

    /// <summary>
    /// An untraced thread: if it is the command being started (the child the fork program noted) and
    /// this call is its execve, it becomes traced from this call on, and the code falls through with
    /// r1 = its traced-map value; anything else jumps to <paramref name="done"/>. The child's calls
    /// before its execve (posix_spawn's signal resets) are never shown, as strace never shows its own.
    /// </summary>
    private static void EmitClaimStartedChild(Assembler a, SyscallMaps maps, int execveNumber, Label done)
    {
        a.StoreImm(Size.Word, Register.R10, StackTmp, 0);
        LookupStack(a, maps.Start, StackTmp);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.Mov64(Register.R7, Register.R0);
        a.LoadMem(Size.DWord, Register.R1, Register.R7, StartChild);
        a.JumpIf(JumpCondition.LessOrEqual, Register.R1, StartClaimed, done);
        a.Call(BpfHelper.GetCurrentTask);
        a.LoadMem(Size.DWord, Register.R1, Register.R7, StartChild);
        a.JumpIf(JumpCondition.NotEqual, Register.R0, Register.R1, done);
        a.LoadMem(Size.DWord, Register.R1, Register.R9, 8);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, execveNumber, done);
        a.StoreImm(Size.DWord, Register.R7, StartChild, StartClaimed);
        UpdateStack(a, maps.Traced, StackTid, Register.R7, StartTracedValue);
        a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, done);
        a.LoadMem(Size.Word, Register.R1, Register.R7, StartTracedValue);
        a.JumpIf(JumpCondition.Equal, Register.R1, 0, done);
    }

    /// <summary>scratch.args[0..5] from the saved user registers (ctx args[0] is the struct pt_regs pointer).</summary>
    private static void EmitReadArguments(Assembler a)
    {
        var offsets = Sharptrace.Kernel.Arch.Current.SyscallArgumentOffsets;
        var low = offsets.Min();
        var window = offsets.Max() + 8 - low;
        if (window <= -StackRegs + StackFlags)
        {
            // One read of the window that holds all six registers, then pick them out.
            a.Mov64(Register.R1, Register.R10);
            a.Alu64(AluOp.Add, Register.R1, StackRegs);
            a.Mov64(Register.R2, window);
            a.LoadMem(Size.DWord, Register.R3, Register.R9, 0);
            a.Alu64(AluOp.Add, Register.R3, low);
            a.Call(BpfHelper.ProbeReadKernel);
            for (var i = 0; i < 6; i++)
            {
                a.LoadMem(Size.DWord, Register.R1, Register.R10, (short)(StackRegs + offsets[i] - low));
                a.StoreMem(Size.DWord, Register.R6, (short)(Args + 8 * i), Register.R1);
            }
            return;
        }
        for (var i = 0; i < 6; i++)
        {
            a.Mov64(Register.R1, Register.R6);
            a.Alu64(AluOp.Add, Register.R1, Args + 8 * i);
            a.Mov64(Register.R2, 8);
            a.LoadMem(Size.DWord, Register.R3, Register.R9, 0);
            a.Alu64(AluOp.Add, Register.R3, offsets[i]);
            a.Call(BpfHelper.ProbeReadKernel);
        }
    }

    /// <summary>-c: calls, errors and time per number, in a per-CPU array (no record leaves the kernel).</summary>
    private static void EmitCount(Assembler a, SyscallMaps maps, Label done)
    {
        // r8 = in-flight entry; r7 = (now - entry ts) × its weight, 0 for an untimed call.
        var untimed = a.DefineLabel();
        a.LoadMem(Size.Word, Register.R6, Register.R8, TimeWeight);
        a.Mov64(Register.R7, 0);
        a.JumpIf(JumpCondition.Equal, Register.R6, 0, untimed);
        a.LoadMem(Size.DWord, Register.R7, Register.R8, EnterTimestamp);
        a.Call(BpfHelper.KtimeGetNs);
        a.Alu64(AluOp.Sub, Register.R0, Register.R7);
        a.Alu64(AluOp.Mul, Register.R0, Register.R6);
        a.Mov64(Register.R7, Register.R0);
        a.MarkLabel(untimed);
        LookupStack(a, maps.Stats!, StackNr);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
        a.Alu64(AluOp.Add, Register.R1, 1);
        a.StoreMem(Size.DWord, Register.R0, 0, Register.R1);
        a.LoadMem(Size.DWord, Register.R1, Register.R0, 16);
        a.Alu64(AluOp.Add, Register.R1, Register.R7);
        a.StoreMem(Size.DWord, Register.R0, 16, Register.R1);
        a.LoadMem(Size.DWord, Register.R1, Register.R9, 8);
        var ok = a.DefineLabel();
        a.JumpIf(JumpCondition.SignedGreaterOrEqual, Register.R1, 0, ok);
        a.JumpIf(JumpCondition.SignedLess, Register.R1, -4095, ok);
        a.LoadMem(Size.DWord, Register.R1, Register.R0, 8);
        a.Alu64(AluOp.Add, Register.R1, 1);
        a.StoreMem(Size.DWord, Register.R0, 8, Register.R1);
        a.MarkLabel(ok);
        a.MarkLabel(done);
        a.Mov64(Register.R0, 0);
        a.Exit();
    }

    /// <summary>
    /// An input the entry could not copy is most often a string in a page the task has not touched
    /// yet (a path literal in .rodata: eBPF cannot take the page fault). The call itself reads it,
    /// which faults the page in, so at its exit the copy succeeds: such an entry writes no record,
    /// and the exit program writes the whole call with its inputs (as a lone task's calls are, see
    /// ProgramShape.MayDefer). Not for calls whose entry needs its own record (execve, exit, clone…).
    /// With other traced tasks running, the call then prints as one line at its exit, not as
    /// &lt;unfinished ...&gt; and resumed.
    /// </summary>
    private static void EmitDeferOnFault(Assembler a, SyscallMaps maps, Label done)
    {
        var emit = a.DefineLabel();
        a.LoadMem(Size.Word, Register.R1, Register.R6, EntryFaulted);
        a.JumpIf(JumpCondition.Equal, Register.R1, 0, emit);
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackSpec);
        a.LoadMem(Size.DWord, Register.R1, Register.R1, 0);
        a.Alu64(AluOp.And, Register.R1, SpecEntryRecord);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, 0, emit);
        LookupStack(a, maps.Inflight, StackSlot);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, emit);
        a.StoreImm(Size.Word, Register.R0, Deferred, 1);
        a.Jump(done);
        a.MarkLabel(emit);
    }

    /// <summary>One capture slot: if its phase is now, copy from the argument it names into the window.</summary>
    private static void EmitSlot(Assembler a, int slot, bool entry, bool exitCompletes, HashSet<CaptureKind> kinds, FdTableOffsets? fdTable)
    {
        var skip = a.DefineLabel();
        var store = a.DefineLabel();
        var fault = a.DefineLabel();
        var copy = a.DefineLabel();
        var specOff = (short)(8 + 8 * slot);
        a.LoadMem(Size.DWord, Register.R8, Register.R10, StackSpec);
        a.LoadMem(Size.Byte, Register.R1, Register.R8, specOff);
        if (entry)
        {
            a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)CapturePhase.Entry, skip);
        }
        else
        {
            // An input copy at exit only for a deferred entry; an output copy only after success.
            var output = a.DefineLabel();
            a.JumpIf(JumpCondition.Equal, Register.R1, (int)CapturePhase.Exit, output);
            if (exitCompletes)
            {
                a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)CapturePhase.Entry, skip);
                a.LoadMem(Size.Word, Register.R1, Register.R6, Deferred);
                a.JumpIf(JumpCondition.Equal, Register.R1, 0, skip);
                a.Jump(copy);
            }
            else
            {
                a.Jump(skip);
            }
            a.MarkLabel(output);
            if (kinds.Contains(CaptureKind.Iovecs))
            {
                // A failed readv still shows its array, each buffer by its address, as strace does.
                a.LoadMem(Size.Byte, Register.R1, Register.R8, (short)(specOff + 1));
                a.JumpIf(JumpCondition.Equal, Register.R1, (int)CaptureKind.Iovecs, copy);
            }
            a.LoadMem(Size.DWord, Register.R1, Register.R6, Return);
            a.JumpIf(JumpCondition.SignedLess, Register.R1, 0, skip);
        }
        a.MarkLabel(copy);
        if (kinds.Contains(CaptureKind.FdInodes) && fdTable is not null)
        {
            // Before the pointer is read: the descriptor may be the return value, with no pointer at all.
            var other = a.DefineLabel();
            a.LoadMem(Size.Byte, Register.R1, Register.R8, (short)(specOff + 1));
            a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)CaptureKind.FdInodes, other);
            EmitFdInodes(a, specOff, fdTable, store, fault);
            a.MarkLabel(other);
        }
        a.LoadMem(Size.Byte, Register.R1, Register.R8, (short)(specOff + 1));
        a.StoreMem(Size.DWord, Register.R10, StackKind, Register.R1);
        // ptr = args[arg]
        a.LoadMem(Size.Byte, Register.R1, Register.R8, (short)(specOff + 2));
        a.Alu64(AluOp.And, Register.R1, 7);
        a.Alu64(AluOp.Lsh, Register.R1, 3);
        a.Alu64(AluOp.Add, Register.R1, Register.R6);
        a.LoadMem(Size.DWord, Register.R1, Register.R1, Args);
        a.JumpIf(JumpCondition.Equal, Register.R1, 0, skip);
        a.StoreMem(Size.DWord, Register.R10, StackPtr, Register.R1);
        // size from the spec: constant, an argument, or the return value; never above MaxCopy.
        a.LoadMem(Size.Half, Register.R2, Register.R8, (short)(specOff + 6));
        a.LoadMem(Size.Byte, Register.R1, Register.R8, (short)(specOff + 3));
        var sized = a.DefineLabel();
        var fromRet = a.DefineLabel();
        a.JumpIf(JumpCondition.Equal, Register.R1, 0, sized);
        a.JumpIf(JumpCondition.Equal, Register.R1, 2, fromRet);
        a.LoadMem(Size.Byte, Register.R1, Register.R8, (short)(specOff + 4));
        a.Alu64(AluOp.And, Register.R1, 7);
        a.Alu64(AluOp.Lsh, Register.R1, 3);
        a.Alu64(AluOp.Add, Register.R1, Register.R6);
        a.LoadMem(Size.DWord, Register.R1, Register.R1, Args);
        // An argument that counts elements (poll's nfds) is scaled to bytes by the spec's shift; a
        // count so large that the shift wraps it is cut to the maximum like any other.
        var scaled = a.DefineLabel();
        a.LoadMem(Size.Byte, Register.R3, Register.R8, (short)(specOff + 5));
        a.JumpIf(JumpCondition.Equal, Register.R3, 0, scaled);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R1, MaxCopy, sized);
        a.Alu64(AluOp.And, Register.R3, 7);
        a.Alu64(AluOp.Lsh, Register.R1, Register.R3);
        a.MarkLabel(scaled);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R1, Register.R2, sized);
        a.Mov64(Register.R2, Register.R1);
        a.Jump(sized);
        a.MarkLabel(fromRet);
        a.LoadMem(Size.DWord, Register.R1, Register.R6, Return);
        a.JumpIf(JumpCondition.SignedLessOrEqual, Register.R1, 0, skip);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R1, Register.R2, sized);
        a.Mov64(Register.R2, Register.R1);
        a.MarkLabel(sized);
        var bounded = a.DefineLabel();
        a.JumpIf(JumpCondition.LessOrEqual, Register.R2, MaxCopy, bounded);
        a.Mov64(Register.R2, MaxCopy);
        a.MarkLabel(bounded);
        a.StoreMem(Size.DWord, Register.R10, StackSize, Register.R2);
        a.StoreImm(Size.DWord, Register.R10, StackTmp2, 0); // flags

        // Each kind the plans use: its copy, entered when the slot's kind is that one.
        void Kind(CaptureKind kind, Action emit)
        {
            if (!kinds.Contains(kind)) return;
            var other = a.DefineLabel();
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackKind);
            a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)kind, other);
            emit();
            a.MarkLabel(other);
        }
        Kind(CaptureKind.String, () =>
        {
            DataPointer(a);
            a.LoadMem(Size.DWord, Register.R3, Register.R10, StackPtr);
            a.Call(BpfHelper.ProbeReadUserStr);
            a.JumpIf(JumpCondition.SignedLess, Register.R0, 0, fault);
            a.Jump(store);
        });
        Kind(CaptureKind.Bytes, () =>
        {
            DataPointer(a);
            a.LoadMem(Size.DWord, Register.R3, Register.R10, StackPtr);
            a.Call(BpfHelper.ProbeReadUser);
            a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, fault);
            a.LoadMem(Size.DWord, Register.R0, Register.R10, StackSize);
            a.Jump(store);
        });
        Kind(CaptureKind.StringArray, () => EmitStringArray(a, store, fault));
        Kind(CaptureKind.PointerCount, () => EmitPointerCount(a, store, fault));
        Kind(CaptureKind.DirentCount, () => EmitDirentCount(a, store, fault));
        EmitIovecs(a, kinds, specOff, store, fault, skip);

        a.MarkLabel(fault);
        a.StoreImm(Size.DWord, Register.R10, StackTmp2, FlagFault);
        if (entry) a.StoreImm(Size.Word, Register.R6, EntryFaulted, 1);
        a.Mov64(Register.R0, 0);
        a.MarkLabel(store);
        // Slot header at the cursor, data after it; advance by 8 + round8(len).
        a.Alu64(AluOp.And, Register.R0, 0x1fff);
        a.Mov64(Register.R1, Register.R7);
        a.Alu64(AluOp.And, Register.R1, CursorMask);
        a.Alu64(AluOp.Add, Register.R1, Register.R6);
        a.StoreImm(Size.Byte, Register.R1, HeaderSize, slot);
        a.LoadMem(Size.DWord, Register.R2, Register.R10, StackTmp2);
        a.StoreMem(Size.Byte, Register.R1, HeaderSize + 1, Register.R2);
        a.StoreMem(Size.Word, Register.R1, HeaderSize + 4, Register.R0);
        a.Alu64(AluOp.Add, Register.R0, 7 + SlotHeaderSize);
        a.Alu64(AluOp.And, Register.R0, ~7);
        a.Alu64(AluOp.Add, Register.R7, Register.R0);
        a.Alu64(AluOp.And, Register.R7, CursorMask);
        a.MarkLabel(skip);
        // Pass the cursor through map memory, whose contents the verifier does not track: every path
        // then reaches the next slot with the same "some value in the window" cursor, and the
        // verifier prunes instead of walking each combination of the slots' outcomes.
        a.StoreMem(Size.DWord, Register.R6, CursorSpill, Register.R7);
        a.LoadMem(Size.DWord, Register.R7, Register.R6, CursorSpill);
        a.Alu64(AluOp.And, Register.R7, CursorMask);
    }

    /// <summary>
    /// The copies that follow pointers found in memory: an iovec array and its buffers (writev's argument, or
    /// msg_iov of a struct msghdr), and the bytes of a {pointer, length} pair (msg_name, pselect6's sigmask). r8 is the spec; jumps to <paramref name="skip"/> for other kinds.
    /// </summary>
    private static void EmitIovecs(Assembler a, HashSet<CaptureKind> kinds, short specOff, Label store, Label fault, Label skip)
    {
        var array = kinds.Contains(CaptureKind.Iovecs) || kinds.Contains(CaptureKind.MsgIovecs) || kinds.Contains(CaptureKind.MmsgIovecs);
        var loop = a.DefineLabel();
        if (kinds.Contains(CaptureKind.Iovecs))
        {
            // The array is the argument, its entries counted by the spec's size argument.
            var other = a.DefineLabel();
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackKind);
            a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)CaptureKind.Iovecs, other);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPtr);
            a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R1);
            a.LoadMem(Size.Byte, Register.R1, Register.R8, (short)(specOff + 4));
            a.Alu64(AluOp.And, Register.R1, 7);
            a.Alu64(AluOp.Lsh, Register.R1, 3);
            a.Alu64(AluOp.Add, Register.R1, Register.R6);
            a.LoadMem(Size.DWord, Register.R1, Register.R1, Args);
            EntryLimit(a, specOff);
            RemainingFromReturn(a, specOff);
            a.StoreImm(Size.DWord, Register.R6, LoopLength, 0);
            a.Jump(loop);
            a.MarkLabel(other);
        }
        var messageDone = a.DefineLabel();
        if (kinds.Contains(CaptureKind.MmsgIovecs))
        {
            // The messages of an mmsghdr array, each {u64 its part's bytes, its address, its ancillary data, its iovec array}:
            // as many as argument 2 says, received ones no more than returned, and no more than -s unless -v.
            var other = a.DefineLabel();
            var sent = a.DefineLabel();
            var counted = a.DefineLabel();
            var limited = a.DefineLabel();
            var nextMessage = a.DefineLabel();
            var messagesEnd = a.DefineLabel();
            var messageCut = a.DefineLabel();
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackKind);
            a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)CaptureKind.MmsgIovecs, other);
            a.LoadMem(Size.Word, Register.R1, Register.R6, Args + 16);
            a.LoadMem(Size.Byte, Register.R3, Register.R8, (short)(specOff + 4));
            a.JumpIf(JumpCondition.Equal, Register.R3, 0, counted);
            a.LoadMem(Size.DWord, Register.R2, Register.R6, Return);
            a.JumpIf(JumpCondition.LessOrEqual, Register.R1, Register.R2, counted);
            a.Mov64(Register.R1, Register.R2);
            a.MarkLabel(counted);
            a.LoadMem(Size.Byte, Register.R3, Register.R8, (short)(specOff + 5));
            a.JumpIf(JumpCondition.Equal, Register.R3, CapturePlan.AllEntries, limited);
            a.LoadMem(Size.DWord, Register.R2, Register.R10, StackSize);
            a.JumpIf(JumpCondition.LessOrEqual, Register.R1, Register.R2, limited);
            a.Mov64(Register.R1, Register.R2);
            a.MarkLabel(limited);
            a.StoreMem(Size.DWord, Register.R6, LoopMessages, Register.R1);
            a.StoreImm(Size.DWord, Register.R6, LoopMessage, 0);
            a.StoreImm(Size.DWord, Register.R6, LoopLength, 0);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPtr);
            a.StoreMem(Size.DWord, Register.R6, LoopArray, Register.R1);
            a.MarkLabel(nextMessage);
            a.MayGoto(messagesEnd);
            a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopSpill);
            a.StoreMem(Size.DWord, Register.R10, StackTmp, Register.R1);
            a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopMessage);
            a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopMessages);
            a.JumpIf(JumpCondition.GreaterOrEqual, Register.R9, Register.R1, messagesEnd);
            // No further message once the copy is past the iovec budget: the slot holds 8 KiB at most.
            a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopLength);
            a.JumpIf(JumpCondition.Greater, Register.R1, CapturePlan.IovecBudget, messagesEnd);
            a.StoreMem(Size.DWord, Register.R6, LoopMessageStart, Register.R1);
            a.Alu64(AluOp.Add, Register.R1, 8);
            a.StoreMem(Size.DWord, Register.R6, LoopLength, Register.R1);
            a.Alu64(AluOp.Lsh, Register.R9, 6);
            a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopArray);
            a.Alu64(AluOp.Add, Register.R1, Register.R9);
            a.StoreMem(Size.DWord, Register.R10, StackPtr, Register.R1);
            // A message sent is shown whole; one received, its msg_len bytes (after its struct msghdr).
            a.StoreImm(Size.DWord, Register.R6, LoopRemaining, -1);
            a.LoadMem(Size.Byte, Register.R3, Register.R8, (short)(specOff + 4));
            a.JumpIf(JumpCondition.Equal, Register.R3, 0, sent);
            a.StoreImm(Size.DWord, Register.R10, StackTmp, 0);
            a.Mov64(Register.R1, Register.R10);
            a.Alu64(AluOp.Add, Register.R1, StackTmp);
            a.Mov64(Register.R2, 4);
            a.LoadMem(Size.DWord, Register.R3, Register.R10, StackPtr);
            a.Alu64(AluOp.Add, Register.R3, CapturePlan.MsghdrSize);
            a.Call(BpfHelper.ProbeReadUser);
            a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, messageCut);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackTmp);
            a.StoreMem(Size.DWord, Register.R6, LoopRemaining, Register.R1);
            a.MarkLabel(sent);
            EmitLengthPrefixed(a, 0, CapturePlan.SockaddrSize, messageCut);
            EmitLengthPrefixed(a, 32, CapturePlan.MessageControlMax, messageCut);
            ReadMsghdrPair(a, 16, messageCut);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackRegs);
            a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R1);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackRegs + 8);
            EntryLimit(a, specOff);
            a.Jump(loop);
            // After a message's iovec array: its part's length at its start, then the next message.
            a.MarkLabel(messageDone);
            a.LoadMem(Size.DWord, Register.R2, Register.R6, LoopLength);
            a.LoadMem(Size.DWord, Register.R3, Register.R6, LoopMessageStart);
            a.Mov64(Register.R1, Register.R3);
            a.Alu64(AluOp.Add, Register.R1, Register.R7);
            a.Alu64(AluOp.And, Register.R1, CursorMask);
            a.Alu64(AluOp.Add, Register.R1, Register.R6);
            a.Alu64(AluOp.Sub, Register.R2, Register.R3);
            a.StoreMem(Size.DWord, Register.R1, HeaderSize + SlotHeaderSize, Register.R2);
            a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopMessage);
            a.Alu64(AluOp.Add, Register.R9, 1);
            a.StoreMem(Size.DWord, Register.R6, LoopMessage, Register.R9);
            a.Jump(nextMessage);
            // A message that cannot be read ends the copy where the messages before it end.
            var length = a.DefineLabel();
            a.MarkLabel(messageCut);
            a.LoadMem(Size.DWord, Register.R0, Register.R6, LoopMessageStart);
            a.Jump(length);
            a.MarkLabel(messagesEnd);
            a.LoadMem(Size.DWord, Register.R0, Register.R6, LoopLength);
            a.MarkLabel(length);
            a.Alu64(AluOp.And, Register.R0, 0x1fff);
            a.Jump(store);
            a.MarkLabel(other);
        }
        if (kinds.Contains(CaptureKind.MsgIovecs))
        {
            // msg_iov and msg_iovlen, at 16 in struct msghdr.
            var other = a.DefineLabel();
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackKind);
            a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)CaptureKind.MsgIovecs, other);
            ReadMsghdrPair(a, 16, fault);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackRegs);
            a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R1);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackRegs + 8);
            EntryLimit(a, specOff);
            RemainingFromReturn(a, specOff);
            a.StoreImm(Size.DWord, Register.R6, LoopLength, 0);
            a.Jump(loop);
            a.MarkLabel(other);
        }
        if (kinds.Contains(CaptureKind.PointerWithLength))
        {
            // {pointer, u32 length} at the spec's offset (msg_name and msg_namelen at 0, msg_control and msg_controllen at 32,
            // pselect6's sigmask and size at 0): as many bytes as the length says, up to the slot's maximum.
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackKind);
            a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)CaptureKind.PointerWithLength, skip);
            a.LoadMem(Size.Byte, Register.R2, Register.R8, (short)(specOff + 4));
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPtr);
            a.Alu64(AluOp.Add, Register.R1, Register.R2);
            a.StoreMem(Size.DWord, Register.R10, StackPtr, Register.R1);
            ReadMsghdrPair(a, 0, fault);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackRegs);
            a.JumpIf(JumpCondition.Equal, Register.R1, 0, skip);
            a.StoreMem(Size.DWord, Register.R10, StackPtr, Register.R1);
            a.LoadMem(Size.Word, Register.R2, Register.R10, StackRegs + 8);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackSize);
            var shorter = a.DefineLabel();
            a.JumpIf(JumpCondition.LessOrEqual, Register.R2, Register.R1, shorter);
            a.Mov64(Register.R2, Register.R1);
            a.MarkLabel(shorter);
            a.StoreMem(Size.DWord, Register.R10, StackSize, Register.R2);
            DataPointer(a);
            a.LoadMem(Size.DWord, Register.R3, Register.R10, StackPtr);
            a.Call(BpfHelper.ProbeReadUser);
            a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, fault);
            a.LoadMem(Size.DWord, Register.R0, Register.R10, StackSize);
            a.Jump(store);
        }
        else
        {
            a.Jump(skip);
        }
        if (!array) return;

        // Per entry {base, len, copied} then the bytes. A may_goto loop whose state lives in scratch memory, as argv's.
        // An output copy (the slot's phase is exit) spreads the bytes returned over the buffers, as the kernel filled them.
        a.MarkLabel(loop);
        var end = a.DefineLabel();
        var next = a.DefineLabel();
        var read = a.DefineLabel();
        var copied = a.DefineLabel();
        // The copy's length so far is the prologue's: 0, or a message's address area.
        a.StoreImm(Size.DWord, Register.R6, LoopIndex, 0);
        // A scratch word the prologues leave in different ranges, made unknown through map memory: the verifier then
        // finds the loop in one state from every prologue and prunes, instead of walking it once a prologue.
        a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopIndex);
        a.StoreMem(Size.DWord, Register.R10, StackTmp, Register.R1);
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackLen);
        a.StoreMem(Size.DWord, Register.R6, LoopSpill, Register.R1);
        a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopSpill);
        a.StoreMem(Size.DWord, Register.R10, StackLen, Register.R1);
        // Bytes copied of each buffer: the slot's maximum (-s).
        a.LoadMem(Size.Half, Register.R1, Register.R8, (short)(specOff + 6));
        var capped = a.DefineLabel();
        a.JumpIf(JumpCondition.LessOrEqual, Register.R1, MaxCopy - 1, capped);
        a.Mov64(Register.R1, MaxCopy - 1);
        a.MarkLabel(capped);
        a.StoreMem(Size.DWord, Register.R10, StackFlags, Register.R1);
        a.MarkLabel(next);
        a.MayGoto(end);
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackLen);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R9, Register.R1, end);
        a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopLength);
        a.JumpIf(JumpCondition.Greater, Register.R1, CapturePlan.IovecBudget, end);
        // Nor past the record's budget: sendmmsg's messages are six such copies, which together would overrun the window.
        a.Alu64(AluOp.Add, Register.R1, Register.R7);
        a.JumpIf(JumpCondition.Greater, Register.R1, RecordIovecBudget, end);
        // The entry (16 bytes) straight into the record.
        LoopDestination(a);
        a.Mov64(Register.R2, 16);
        a.Mov64(Register.R3, Register.R9);
        a.Alu64(AluOp.Lsh, Register.R3, 4);
        a.LoadMem(Size.DWord, Register.R4, Register.R10, StackBase);
        a.Alu64(AluOp.Add, Register.R3, Register.R4);
        a.Call(BpfHelper.ProbeReadUser);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, read);
        // Unreadable: at the start the array is a bad address; further on the copy ends there.
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        a.JumpIf(JumpCondition.Equal, Register.R9, 0, fault);
        a.Jump(end);
        a.MarkLabel(read);
        LoopDestination(a);
        a.LoadMem(Size.DWord, Register.R3, Register.R1, 0);
        a.LoadMem(Size.DWord, Register.R2, Register.R1, 8);
        // visible = min(len, remaining); remaining -= visible; copied = min(visible, -s).
        a.LoadMem(Size.DWord, Register.R4, Register.R6, LoopRemaining);
        var withinRemaining = a.DefineLabel();
        a.JumpIf(JumpCondition.LessOrEqual, Register.R2, Register.R4, withinRemaining);
        a.Mov64(Register.R2, Register.R4);
        a.MarkLabel(withinRemaining);
        a.Alu64(AluOp.Sub, Register.R4, Register.R2);
        a.StoreMem(Size.DWord, Register.R6, LoopRemaining, Register.R4);
        a.LoadMem(Size.DWord, Register.R4, Register.R10, StackFlags);
        var withinLimit = a.DefineLabel();
        a.JumpIf(JumpCondition.LessOrEqual, Register.R2, Register.R4, withinLimit);
        a.Mov64(Register.R2, Register.R4);
        a.MarkLabel(withinLimit);
        var bounded = a.DefineLabel();
        a.JumpIf(JumpCondition.LessOrEqual, Register.R2, MaxCopy - 1, bounded);
        a.Mov64(Register.R2, MaxCopy - 1);
        a.MarkLabel(bounded);
        a.StoreMem(Size.DWord, Register.R1, 16, Register.R2);
        a.StoreMem(Size.DWord, Register.R10, StackTmp, Register.R2);
        a.Alu64(AluOp.Add, Register.R1, CapturePlan.IovecEntryHeader);
        a.Call(BpfHelper.ProbeReadUser);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, copied);
        LoopDestination(a);
        a.StoreImm(Size.DWord, Register.R1, 16, -1);
        a.StoreImm(Size.DWord, Register.R10, StackTmp, 0);
        a.MarkLabel(copied);
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackTmp);
        a.Alu64(AluOp.Add, Register.R1, 7 + CapturePlan.IovecEntryHeader);
        a.Alu64(AluOp.And, Register.R1, ~7);
        NextItem(a, Register.R1, next);
        a.MarkLabel(end);
        if (kinds.Contains(CaptureKind.MmsgIovecs))
        {
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackKind);
            a.JumpIf(JumpCondition.Equal, Register.R1, (int)CaptureKind.MmsgIovecs, messageDone);
        }
        a.LoadMem(Size.DWord, Register.R0, Register.R6, LoopLength);
        a.Alu64(AluOp.And, Register.R0, 0x1fff);
        a.Jump(store);
    }

    /// <summary>
    /// Appends to the loop's copy what the {pointer, u32 length} pair at <paramref name="pairOffset"/> in the struct at StackPtr
    /// points at, as {i64 bytes copied (-1: none), the bytes padded to 8}, at most <paramref name="max"/> bytes.
    /// </summary>
    private static void EmitLengthPrefixed(Assembler a, int pairOffset, int max, Label fault)
    {
        var bounded = a.DefineLabel();
        var read = a.DefineLabel();
        var done = a.DefineLabel();
        ReadMsghdrPair(a, pairOffset, fault);
        a.StoreImm(Size.DWord, Register.R10, StackTmp, 0);
        LoopDestination(a);
        a.StoreImm(Size.DWord, Register.R1, 0, -1);
        a.LoadMem(Size.DWord, Register.R3, Register.R10, StackRegs);
        a.JumpIf(JumpCondition.Equal, Register.R3, 0, done);
        a.LoadMem(Size.Word, Register.R2, Register.R10, StackRegs + 8);
        a.JumpIf(JumpCondition.LessOrEqual, Register.R2, max, bounded);
        a.Mov64(Register.R2, max);
        a.MarkLabel(bounded);
        a.StoreMem(Size.DWord, Register.R10, StackTmp, Register.R2);
        a.Alu64(AluOp.Add, Register.R1, 8);
        a.Call(BpfHelper.ProbeReadUser);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, read);
        a.StoreImm(Size.DWord, Register.R10, StackTmp, 0);
        a.Jump(done);
        a.MarkLabel(read);
        LoopDestination(a);
        a.LoadMem(Size.DWord, Register.R2, Register.R10, StackTmp);
        a.StoreMem(Size.DWord, Register.R1, 0, Register.R2);
        a.MarkLabel(done);
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackTmp);
        a.Alu64(AluOp.Add, Register.R1, 7 + 8);
        a.Alu64(AluOp.And, Register.R1, ~7);
        a.LoadMem(Size.DWord, Register.R2, Register.R6, LoopLength);
        a.Alu64(AluOp.Add, Register.R2, Register.R1);
        a.StoreMem(Size.DWord, Register.R6, LoopLength, Register.R2);
    }

    /// <summary>LoopRemaining = the bytes to spread over the buffers: for an output copy (the slot's phase is exit) those returned, else all.</summary>
    private static void RemainingFromReturn(Assembler a, short specOff)
    {
        var input = a.DefineLabel();
        a.LoadMem(Size.Byte, Register.R1, Register.R8, specOff);
        a.Mov64(Register.R2, -1);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)CapturePhase.Exit, input);
        a.LoadMem(Size.DWord, Register.R2, Register.R6, Return);
        a.JumpIf(JumpCondition.SignedGreaterOrEqual, Register.R2, 0, input);
        a.Mov64(Register.R2, 0);
        a.MarkLabel(input);
        a.StoreMem(Size.DWord, Register.R6, LoopRemaining, Register.R2);
    }

    /// <summary>StackLen = the entries to copy of the r1 given: all with -v (the budget bounds them), else no more than -s (StackSize).</summary>
    private static void EntryLimit(Assembler a, short specOff)
    {
        var stored = a.DefineLabel();
        a.LoadMem(Size.Byte, Register.R3, Register.R8, (short)(specOff + 5));
        a.JumpIf(JumpCondition.Equal, Register.R3, CapturePlan.AllEntries, stored);
        a.LoadMem(Size.DWord, Register.R2, Register.R10, StackSize);
        a.JumpIf(JumpCondition.LessOrEqual, Register.R1, Register.R2, stored);
        a.Mov64(Register.R1, Register.R2);
        a.MarkLabel(stored);
        a.StoreMem(Size.DWord, Register.R10, StackLen, Register.R1);
    }

    /// <summary>fp[StackRegs..+16] = the two u64 at <paramref name="offset"/> in the struct msghdr at StackPtr; jumps to <paramref name="fault"/> when unreadable.</summary>
    private static void ReadMsghdrPair(Assembler a, int offset, Label fault)
    {
        a.Mov64(Register.R1, Register.R10);
        a.Alu64(AluOp.Add, Register.R1, StackRegs);
        a.Mov64(Register.R2, 16);
        a.LoadMem(Size.DWord, Register.R3, Register.R10, StackPtr);
        a.Alu64(AluOp.Add, Register.R3, offset);
        a.Call(BpfHelper.ProbeReadUser);
        a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, fault);
    }

    /// <summary>A loop's item is stored: its length += <paramref name="stored"/> bytes, its index += 1, on to <paramref name="loop"/>.</summary>
    private static void NextItem(Assembler a, Register stored, Label loop)
    {
        a.LoadMem(Size.DWord, Register.R2, Register.R6, LoopLength);
        a.Alu64(AluOp.Add, Register.R2, stored);
        a.StoreMem(Size.DWord, Register.R6, LoopLength, Register.R2);
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        a.Alu64(AluOp.Add, Register.R9, 1);
        a.StoreMem(Size.DWord, Register.R6, LoopIndex, Register.R9);
        a.Jump(loop);
    }

    /// <summary>r1 = where a loop's current item (an iovec entry, an argv string) goes: scratch + header + slot header + ((cursor + loop length) &amp; mask).</summary>
    private static void LoopDestination(Assembler a)
    {
        a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopLength);
        a.Alu64(AluOp.Add, Register.R1, Register.R7);
        a.Alu64(AluOp.And, Register.R1, CursorMask);
        a.Alu64(AluOp.Add, Register.R1, Register.R6);
        a.Alu64(AluOp.Add, Register.R1, HeaderSize + SlotHeaderSize);
    }

    /// <summary>r1 = scratch + header + slot header + (cursor &amp; mask); r2 = the size on the stack, at most MaxCopy.</summary>
    private static void DataPointer(Assembler a)
    {
        a.Mov64(Register.R1, Register.R7);
        a.Alu64(AluOp.And, Register.R1, CursorMask);
        a.Alu64(AluOp.Add, Register.R1, Register.R6);
        a.Alu64(AluOp.Add, Register.R1, HeaderSize + SlotHeaderSize);
        a.LoadMem(Size.DWord, Register.R2, Register.R10, StackSize);
        a.Alu64(AluOp.And, Register.R2, MaxCopy * 2 - 1);
        var ok = a.DefineLabel();
        a.JumpIf(JumpCondition.LessOrEqual, Register.R2, MaxCopy, ok);
        a.Mov64(Register.R2, MaxCopy);
        a.MarkLabel(ok);
    }

    /// <summary>argv: up to MaxArgvStrings strings, each cut at the slot size, NUL-separated; "more" when cut short.</summary>
    private static void EmitStringArray(Assembler a, Label store, Label fault)
    {
        // The loop carries its index and length in scratch memory, which the verifier does not
        // track, and is bounded by may_goto: the second pass through the body then looks like the
        // first and is pruned, where a counted loop is walked once per iteration (tens of ms at load).
        var loop = a.DefineLabel();
        var end = a.DefineLabel();
        var more = a.DefineLabel();
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPtr);
        a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R1);
        a.StoreImm(Size.DWord, Register.R6, LoopLength, 0);
        a.StoreImm(Size.DWord, Register.R6, LoopIndex, 0);
        a.MarkLabel(loop);
        a.MayGoto(more);
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R9, MaxArgvStrings, more);
        a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopLength);
        a.JumpIf(JumpCondition.Greater, Register.R1, ArrayBudget, more);
        ReadPointer(a, Register.R9, fault);
        a.JumpIf(JumpCondition.Equal, Register.R3, 0, end);
        LoopDestination(a);
        a.LoadMem(Size.DWord, Register.R2, Register.R10, StackSize);
        a.Alu64(AluOp.And, Register.R2, MaxCopy - 1);
        a.Call(BpfHelper.ProbeReadUserStr);
        var fine = a.DefineLabel();
        a.JumpIf(JumpCondition.SignedGreater, Register.R0, 0, fine);
        a.Mov64(Register.R0, 0);
        a.MarkLabel(fine);
        a.Alu64(AluOp.And, Register.R0, MaxCopy - 1);
        NextItem(a, Register.R0, loop);
        a.MarkLabel(more);
        // Cut short only if another pointer follows.
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        ReadPointer(a, Register.R9, fault);
        a.JumpIf(JumpCondition.Equal, Register.R3, 0, end);
        a.StoreImm(Size.DWord, Register.R10, StackTmp2, FlagMore);
        a.MarkLabel(end);
        a.LoadMem(Size.DWord, Register.R0, Register.R6, LoopLength);
        a.Alu64(AluOp.And, Register.R0, 0x3fff);
        a.Jump(store);
    }

    /// <summary>envp: the number of pointers before NULL, read 8 at a time, as a u32 (a may_goto loop, as argv's).</summary>
    private static void EmitPointerCount(Assembler a, Label store, Label fault)
    {
        var loop = a.DefineLabel();
        var end = a.DefineLabel();
        var full = a.DefineLabel();
        var read = a.DefineLabel();
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPtr);
        a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R1);
        a.StoreImm(Size.DWord, Register.R6, LoopIndex, 0);
        a.MarkLabel(loop);
        a.MayGoto(full);
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R9, EnvpChunks * 8, full);
        // Read up to 8 pointers, but never past the end of the page: the array may end just before an
        // unmapped page (a launcher's heap), where a 64-byte read would fail although the NULL was readable.
        var whole = a.DefineLabel();
        var advance = a.DefineLabel();
        a.Mov64(Register.R3, Register.R9);
        a.Alu64(AluOp.Lsh, Register.R3, 3);
        a.LoadMem(Size.DWord, Register.R4, Register.R10, StackBase);
        a.Alu64(AluOp.Add, Register.R3, Register.R4);
        a.Mov64(Register.R1, Register.R3);
        a.Alu64(AluOp.And, Register.R1, 4095);
        a.Mov64(Register.R2, 4096);
        a.Alu64(AluOp.Sub, Register.R2, Register.R1);
        a.JumpIf(JumpCondition.LessOrEqual, Register.R2, 64, whole);
        a.Mov64(Register.R2, 64);
        a.MarkLabel(whole);
        // A piece shorter than one pointer (an unaligned array) cannot advance: count no further.
        a.JumpIf(JumpCondition.Less, Register.R2, 8, full);
        a.StoreMem(Size.DWord, Register.R10, StackTmp, Register.R2);
        a.Mov64(Register.R1, Register.R10);
        a.Alu64(AluOp.Add, Register.R1, StackRegs);
        a.Call(BpfHelper.ProbeReadUser);
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, read);
        // Unreadable: at the start it is a bad address; further on the next page is not mapped.
        a.JumpIf(JumpCondition.Equal, Register.R9, 0, fault);
        a.Jump(full);
        a.MarkLabel(read);
        a.LoadMem(Size.DWord, Register.R5, Register.R10, StackTmp);
        var found = new Label[8];
        for (var j = 0; j < 8; j++)
        {
            found[j] = a.DefineLabel();
            a.JumpIf(JumpCondition.LessOrEqual, Register.R5, 8 * j, advance);
            a.LoadMem(Size.DWord, Register.R3, Register.R10, (short)(StackRegs + 8 * j));
            a.JumpIf(JumpCondition.Equal, Register.R3, 0, found[j]);
        }
        a.MarkLabel(advance);
        a.Alu64(AluOp.Rsh, Register.R5, 3);
        a.Alu64(AluOp.Add, Register.R9, Register.R5);
        a.StoreMem(Size.DWord, Register.R6, LoopIndex, Register.R9);
        a.Jump(loop);
        for (var j = 0; j < 8; j++)
        {
            a.MarkLabel(found[j]);
            a.Alu64(AluOp.Add, Register.R9, j);
            a.Jump(end);
        }
        a.MarkLabel(full);
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        a.StoreImm(Size.DWord, Register.R10, StackTmp2, FlagMore);
        a.MarkLabel(end);
        // The count goes where the data would go.
        a.Mov64(Register.R1, Register.R7);
        a.Alu64(AluOp.And, Register.R1, CursorMask);
        a.Alu64(AluOp.Add, Register.R1, Register.R6);
        a.StoreMem(Size.Word, Register.R1, HeaderSize + SlotHeaderSize, Register.R9);
        a.Mov64(Register.R0, 4);
        a.Jump(store);
    }

    /// <summary>
    /// getdents64: the records in all the bytes the call returned, counted by following each d_reclen
    /// (a u16 at offset 16) as a u32 (a may_goto loop, as argv's); "more" past <see cref="MaxDirents"/>.
    /// </summary>
    private static void EmitDirentCount(Assembler a, Label store, Label fault)
    {
        var loop = a.DefineLabel();
        var end = a.DefineLabel();
        var full = a.DefineLabel();
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPtr);
        a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R1);
        a.StoreImm(Size.DWord, Register.R6, LoopIndex, 0); // the next record's offset
        a.StoreImm(Size.DWord, Register.R6, LoopLength, 0); // records so far
        a.MarkLabel(loop);
        a.MayGoto(full);
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        a.LoadMem(Size.DWord, Register.R1, Register.R6, Return);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R9, Register.R1, end);
        a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopLength);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R1, MaxDirents, full);
        a.StoreImm(Size.DWord, Register.R10, StackTmp, 0);
        a.Mov64(Register.R1, Register.R10);
        a.Alu64(AluOp.Add, Register.R1, StackTmp);
        a.Mov64(Register.R2, 2);
        a.LoadMem(Size.DWord, Register.R3, Register.R10, StackBase);
        a.Alu64(AluOp.Add, Register.R3, Register.R9);
        a.Alu64(AluOp.Add, Register.R3, 16);
        a.Call(BpfHelper.ProbeReadUser);
        a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, fault);
        // A record shorter than its own header would never end the walk: malformed.
        a.LoadMem(Size.Half, Register.R1, Register.R10, StackTmp);
        a.JumpIf(JumpCondition.Less, Register.R1, 19, fault);
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopIndex);
        a.Alu64(AluOp.Add, Register.R9, Register.R1);
        a.StoreMem(Size.DWord, Register.R6, LoopIndex, Register.R9);
        a.LoadMem(Size.DWord, Register.R1, Register.R6, LoopLength);
        a.Alu64(AluOp.Add, Register.R1, 1);
        a.StoreMem(Size.DWord, Register.R6, LoopLength, Register.R1);
        a.Jump(loop);
        a.MarkLabel(full);
        a.StoreImm(Size.DWord, Register.R10, StackTmp2, FlagMore);
        a.MarkLabel(end);
        // The count goes where the data would go.
        a.LoadMem(Size.DWord, Register.R9, Register.R6, LoopLength);
        a.Mov64(Register.R1, Register.R7);
        a.Alu64(AluOp.And, Register.R1, CursorMask);
        a.Alu64(AluOp.Add, Register.R1, Register.R6);
        a.StoreMem(Size.Word, Register.R1, HeaderSize + SlotHeaderSize, Register.R9);
        a.Mov64(Register.R0, 4);
        a.Jump(store);
    }

    /// <summary>
    /// -y: the inodes of the descriptors the call made (<see cref="CaptureKind.FdInodes"/>), each a u64
    /// (0: not found), read through current->files->fdt->fd[fd]->f_inode->i_ino. r8 is the spec.
    /// </summary>
    private static void EmitFdInodes(Assembler a, short specOff, FdTableOffsets offsets, Label store, Label fault)
    {
        var fromMemory = a.DefineLabel();
        var known = a.DefineLabel();
        a.StoreImm(Size.DWord, Register.R10, StackTmp2, 0); // flags
        a.LoadMem(Size.Byte, Register.R1, Register.R8, (short)(specOff + 3));
        a.JumpIf(JumpCondition.NotEqual, Register.R1, (int)SizeSource.ReturnValue, fromMemory);
        // The returned descriptor, and none (-1) in the second place.
        a.LoadMem(Size.DWord, Register.R1, Register.R6, Return);
        a.StoreMem(Size.Word, Register.R10, StackTmp, Register.R1);
        a.StoreImm(Size.Word, Register.R10, StackTmp + 4, -1);
        a.Jump(known);
        // Two ints the call wrote at the argument (pipe's fds, socketpair's sv).
        a.MarkLabel(fromMemory);
        a.LoadMem(Size.Byte, Register.R3, Register.R8, (short)(specOff + 2));
        a.Alu64(AluOp.And, Register.R3, 7);
        a.Alu64(AluOp.Lsh, Register.R3, 3);
        a.Alu64(AluOp.Add, Register.R3, Register.R6);
        a.LoadMem(Size.DWord, Register.R3, Register.R3, Args);
        a.Mov64(Register.R1, Register.R10);
        a.Alu64(AluOp.Add, Register.R1, StackTmp);
        a.Mov64(Register.R2, 8);
        a.Call(BpfHelper.ProbeReadUser);
        a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, fault);
        a.MarkLabel(known);
        for (var i = 0; i < 2; i++)
        {
            var none = a.DefineLabel();
            var stored = a.DefineLabel();
            // Each step reads a kernel pointer (or number) into StackLen; a failed read gives 0.
            void Read(int size)
            {
                a.StoreImm(Size.DWord, Register.R10, StackLen, 0);
                a.Mov64(Register.R1, Register.R10);
                a.Alu64(AluOp.Add, Register.R1, StackLen);
                a.Mov64(Register.R2, size);
                a.Call(BpfHelper.ProbeReadKernel);
                a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, none);
                a.LoadMem(Size.DWord, Register.R3, Register.R10, StackLen);
                a.JumpIf(JumpCondition.Equal, Register.R3, 0, none);
            }
            a.Call(BpfHelper.GetCurrentTask);
            a.Mov64(Register.R3, Register.R0);
            a.Alu64(AluOp.Add, Register.R3, offsets.Files);
            Read(8); // files
            a.Alu64(AluOp.Add, Register.R3, offsets.Fdt);
            Read(8); // fdt
            a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R3);
            a.Alu64(AluOp.Add, Register.R3, offsets.MaxFds);
            Read(4); // max_fds
            a.LoadMem(Size.Word, Register.R1, Register.R10, (short)(StackTmp + 4 * i));
            a.JumpIf(JumpCondition.GreaterOrEqual, Register.R1, Register.R3, none);
            a.Alu64(AluOp.Lsh, Register.R1, 3);
            a.StoreMem(Size.DWord, Register.R10, StackSize, Register.R1);
            a.LoadMem(Size.DWord, Register.R3, Register.R10, StackBase);
            a.Alu64(AluOp.Add, Register.R3, offsets.Fd);
            Read(8); // fd array
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackSize);
            a.Alu64(AluOp.Add, Register.R3, Register.R1);
            Read(8); // struct file *
            a.Alu64(AluOp.Add, Register.R3, offsets.FileInode);
            Read(8); // struct inode *
            a.Alu64(AluOp.Add, Register.R3, offsets.InodeNumber);
            Read(8); // i_ino
            a.Jump(stored);
            a.MarkLabel(none);
            a.Mov64(Register.R3, 0);
            a.MarkLabel(stored);
            a.Mov64(Register.R1, Register.R7);
            a.Alu64(AluOp.And, Register.R1, CursorMask);
            a.Alu64(AluOp.Add, Register.R1, Register.R6);
            a.StoreMem(Size.DWord, Register.R1, (short)(HeaderSize + SlotHeaderSize + 8 * i), Register.R3);
        }
        a.Mov64(Register.R0, 16);
        a.Jump(store);
    }

    /// <summary>r3 = ((u64*)base)[index] read from user memory; jumps to <paramref name="fault"/> when unreadable.</summary>
    private static void ReadPointer(Assembler a, Register index, Label fault)
    {
        a.Mov64(Register.R1, Register.R10);
        a.Alu64(AluOp.Add, Register.R1, StackTmp);
        a.Mov64(Register.R2, 8);
        a.Mov64(Register.R3, index);
        a.Alu64(AluOp.Lsh, Register.R3, 3);
        a.LoadMem(Size.DWord, Register.R4, Register.R10, StackBase);
        a.Alu64(AluOp.Add, Register.R3, Register.R4);
        a.Call(BpfHelper.ProbeReadUser);
        a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, fault);
        a.LoadMem(Size.DWord, Register.R3, Register.R10, StackTmp);
    }

    /// <summary>
    /// sched_process_fork: a child of a traced thread is traced too (-f), with a slot of its own.
    /// With <paramref name="childPidOffset"/> (task_struct.pid, from BTF) the program is a raw
    /// tracepoint (ctx: parent, child task pointers; the parent is current); without, a perf
    /// tracepoint reading parent_pid and child_pid from its record. Raw is preferred because closing
    /// the last perf event of a tracepoint waits for an RCU grace period (some 50 ms at exit).
    /// </summary>
    public static Instruction[] Fork(SyscallMaps maps, int? childPidOffset)
    {
        var a = new Assembler();
        var done = a.DefineLabel();
        a.Mov64(Register.R6, Register.R1);
        if (childPidOffset is { } offset)
        {
            a.Call(BpfHelper.GetCurrentPidTgid);
            a.StoreMem(Size.Word, Register.R10, StackTid, Register.R0);
            a.Mov64(Register.R1, Register.R10);
            a.Alu64(AluOp.Add, Register.R1, StackNr);
            a.Mov64(Register.R2, 4);
            a.LoadMem(Size.DWord, Register.R3, Register.R6, 8);
            a.Alu64(AluOp.Add, Register.R3, offset);
            a.Call(BpfHelper.ProbeReadKernel);
            a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, done);
        }
        else
        {
            a.LoadMem(Size.Word, Register.R1, Register.R6, 12);
            a.StoreMem(Size.Word, Register.R10, StackTid, Register.R1);
            a.LoadMem(Size.Word, Register.R1, Register.R6, 20);
            a.StoreMem(Size.Word, Register.R10, StackNr, Register.R1);
        }
        SkipUnlessTraced(a, maps, StackTid, done);
        // slot = counter++ within the lower half; stored as slot + 1.
        a.StoreImm(Size.Word, Register.R10, StackTmp, 0);
        LookupStack(a, maps.SlotCounter, StackTmp);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.Mov64(Register.R1, 1);
        a.Atomic(AtomicOp.FetchAdd, Size.DWord, Register.R0, 0, Register.R1);
        a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R1);
        AddToTasks(a, maps, 1);
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackBase);
        a.Alu64(AluOp.And, Register.R1, InflightSlots / 2 - 1);
        a.Alu64(AluOp.Add, Register.R1, 1);
        a.StoreMem(Size.Word, Register.R10, StackTmp, Register.R1);
        UpdateStack(a, maps.Traced, StackNr, Register.R10, StackTmp);
        a.MarkLabel(done);
        a.Mov64(Register.R0, 0);
        a.Exit();
        return [.. a.Build().Instructions];
    }

    /// <summary>
    /// sched_process_fork (raw: parent, child task pointers; the parent is current): while user space
    /// spawns a command, the child forked by the spawning thread (and only by it: the runtime's other
    /// threads may clone threads meanwhile) is noted by its task pointer, which the entry program
    /// compares with bpf_get_current_task to trace the child from its execve on. A held start
    /// without a helper process that stops itself, and without BTF.
    /// </summary>
    public static Instruction[] StartedChild(SyscallMaps maps)
    {
        var a = new Assembler();
        var done = a.DefineLabel();
        a.Mov64(Register.R6, Register.R1);
        a.Call(BpfHelper.GetCurrentPidTgid);
        a.Mov64(Register.R7, Register.R0);
        a.StoreImm(Size.Word, Register.R10, StackTmp, 0);
        LookupStack(a, maps.Start, StackTmp);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.LoadMem(Size.DWord, Register.R1, Register.R0, StartSpawner);
        a.JumpIf(JumpCondition.Equal, Register.R1, 0, done);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, Register.R7, done);
        // Its first fork only: the spawn. (Once claimed, the runtime may start a thread from it.)
        a.LoadMem(Size.DWord, Register.R1, Register.R0, StartChild);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, 0, done);
        a.LoadMem(Size.DWord, Register.R1, Register.R6, 8);
        a.StoreMem(Size.DWord, Register.R0, StartChild, Register.R1);
        a.MarkLabel(done);
        a.Mov64(Register.R0, 0);
        a.Exit();
        return [.. a.Build().Instructions];
    }

    /// <summary>
    /// sched_process_exit (a raw tracepoint: the exiting task is current): a traced task ends; tell
    /// the reader (a header-only record) and forget the tid.
    /// </summary>
    /// <remarks>With <paramref name="exitCodeOffset"/> (task_struct.exit_code, from BTF) the record carries the wait status, so that "killed by SIGx" is told from "exited with N".</remarks>
    public static Instruction[] ProcessExit(SyscallMaps maps, bool countOnly, int? exitCodeOffset)
    {
        var a = new Assembler();
        var done = a.DefineLabel();
        StoreCurrentIds(a);
        SkipUnlessTraced(a, maps, StackTid, done);
        a.StoreImm(Size.Word, Register.R0, 0, 0);
        if (maps.TracedIsHash) LookupStack(a, maps.Traced, StackTid, BpfHelper.MapDeleteElem);
        AddToTasks(a, maps, -1);
        if (!countOnly)
        {
            // {u32 type, u32 tid, u32 tgid, u32 exit_code, u32 exit_code known} at fp-32; woken at once: it may be the last record.
            StoreRecordHead(a, -32, TypeProcessExit);
            a.StoreImm(Size.Word, Register.R10, -20, 0);
            a.StoreImm(Size.DWord, Register.R10, -16, 0);
            if (exitCodeOffset is { } offset)
            {
                var unknown = a.DefineLabel();
                a.Call(BpfHelper.GetCurrentTask);
                a.Mov64(Register.R3, Register.R0);
                a.Alu64(AluOp.Add, Register.R3, offset);
                a.Mov64(Register.R1, Register.R10);
                a.Alu64(AluOp.Add, Register.R1, -20);
                a.Mov64(Register.R2, 4);
                a.Call(BpfHelper.ProbeReadKernel);
                a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, unknown);
                a.StoreImm(Size.Word, Register.R10, -16, 1);
                a.MarkLabel(unknown);
            }
            OutputStackRecord(a, maps, -32, 24, RbForceWakeup);
        }
        a.MarkLabel(done);
        a.Mov64(Register.R0, 0);
        a.Exit();
        return [.. a.Build().Instructions];
    }

    /// <summary>
    /// sched_process_exec (raw: task, old_pid, bprm; the exec'ing task is current and already has
    /// the process id): when a thread other than the leader exec'd, the kernel ended the leader
    /// (whose exit dropped the process id from the traced set) and gave the thread its id. The
    /// thread's slot, with its execve in flight, moves to the process id, and the reader is told
    /// (a header-only record: the new id in tid, the old one in the number field) for strace's
    /// "+++ superseded by execve in pid N +++".
    /// </summary>
    public static Instruction[] Exec(SyscallMaps maps, bool countOnly)
    {
        var a = new Assembler();
        var done = a.DefineLabel();
        a.Mov64(Register.R9, Register.R1);
        StoreCurrentIds(a);
        a.LoadMem(Size.DWord, Register.R1, Register.R9, 8);
        a.StoreMem(Size.Word, Register.R10, StackNr, Register.R1);
        a.LoadMem(Size.Word, Register.R2, Register.R10, StackTid);
        a.JumpIf(JumpCondition.Equal, Register.R1, Register.R2, done);
        SkipUnlessTraced(a, maps, StackNr, done);
        a.StoreMem(Size.Word, Register.R10, StackTmp, Register.R1);
        a.StoreImm(Size.Word, Register.R0, 0, 0);
        if (maps.TracedIsHash) LookupStack(a, maps.Traced, StackNr, BpfHelper.MapDeleteElem);
        // The process id takes the slot over.
        UpdateStack(a, maps.Traced, StackTid, Register.R10, StackTmp);
        // The execve in flight is now the process id's: its exit must find it.
        a.LoadMem(Size.Word, Register.R1, Register.R10, StackTmp);
        a.Alu64(AluOp.Sub, Register.R1, 1);
        a.Alu64(AluOp.And, Register.R1, InflightSlots - 1);
        a.StoreMem(Size.Word, Register.R10, StackSlot, Register.R1);
        LookupStack(a, maps.Inflight, StackSlot);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        var notOwned = a.DefineLabel();
        a.LoadMem(Size.Word, Register.R1, Register.R0, Owner);
        a.LoadMem(Size.Word, Register.R2, Register.R10, StackNr);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, Register.R2, notOwned);
        a.LoadMem(Size.Word, Register.R1, Register.R10, StackTid);
        a.StoreMem(Size.Word, Register.R0, Owner, Register.R1);
        a.MarkLabel(notOwned);
        if (!countOnly)
        {
            // {u32 type, u32 tid (new), u32 tgid, u32 old tid} at fp-32.
            StoreRecordHead(a, -32, TypeExec);
            a.LoadMem(Size.Word, Register.R1, Register.R10, StackNr);
            a.StoreMem(Size.Word, Register.R10, -20, Register.R1);
            OutputStackRecord(a, maps, -32, 16, RbNoWakeup);
        }
        a.MarkLabel(done);
        a.Mov64(Register.R0, 0);
        a.Exit();
        return [.. a.Build().Instructions];
    }

    /// <summary>
    /// signal_deliver (raw: sig, struct kernel_siginfo *, struct k_sigaction *): a traced task takes a
    /// signal; the record is a header and the siginfo, for strace's <c>--- SIGx {…} ---</c> line.
    /// </summary>
    public static Instruction[] SignalDeliver(SyscallMaps maps)
    {
        var a = new Assembler();
        var done = a.DefineLabel();
        a.Mov64(Register.R9, Register.R1);
        StoreCurrentIds(a);
        SkipUnlessTraced(a, maps, StackTid, done);
        // {u32 type, u32 tid, u32 tgid, u32 sig, siginfo[48]} at fp-232.
        const short at = StackRegs;
        StoreRecordHead(a, at, TypeSignal);
        a.LoadMem(Size.DWord, Register.R1, Register.R9, 0);
        a.StoreMem(Size.Word, Register.R10, at + 12, Register.R1);
        a.Mov64(Register.R1, Register.R10);
        a.Alu64(AluOp.Add, Register.R1, at + 16);
        a.Mov64(Register.R2, 48);
        a.LoadMem(Size.DWord, Register.R3, Register.R9, 8);
        a.Call(BpfHelper.ProbeReadKernel);
        OutputStackRecord(a, maps, at, 64, RbNoWakeup);
        a.MarkLabel(done);
        a.Mov64(Register.R0, 0);
        a.Exit();
        return [.. a.Build().Instructions];
    }

    /// <summary>Atomically adds <paramref name="delta"/> to the count of traced tasks (clobbers r0-r5).</summary>
    private static void AddToTasks(Assembler a, SyscallMaps maps, int delta)
    {
        var skip = a.DefineLabel();
        a.StoreImm(Size.Word, Register.R10, StackTmp2, 0);
        LookupStack(a, maps.Tasks, StackTmp2);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, skip);
        a.Mov64(Register.R1, delta);
        a.Atomic(AtomicOp.Add, Size.DWord, Register.R0, 0, Register.R1);
        a.MarkLabel(skip);
    }

    /// <summary>r0 = helper(map, fp+key): a lookup by default.</summary>
    /// <summary>The head of a record built on the stack at <paramref name="at"/>: {u32 type, u32 tid, u32 tgid} from the saved pid_tgid.</summary>
    private static void StoreRecordHead(Assembler a, short at, uint type)
    {
        a.StoreImm(Size.Word, Register.R10, at, (int)type);
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPidTgid);
        a.StoreMem(Size.Word, Register.R10, (short)(at + 4), Register.R1);
        a.Alu64(AluOp.Rsh, Register.R1, 32);
        a.StoreMem(Size.Word, Register.R10, (short)(at + 8), Register.R1);
    }

    /// <summary>Sends the <paramref name="size"/>-byte record built on the stack at <paramref name="at"/> through the ring buffer.</summary>
    private static void OutputStackRecord(Assembler a, SyscallMaps maps, short at, int size, long flags)
    {
        a.LoadMapFd(Register.R1, maps.Events!.Fd.Value);
        a.Mov64(Register.R2, Register.R10);
        a.Alu64(AluOp.Add, Register.R2, at);
        a.Mov64(Register.R3, size);
        a.Mov64(Register.R4, (int)flags);
        a.Call(BpfHelper.RingbufOutput);
    }

    /// <summary>map[fp + keyOffset] = the value at <paramref name="valueBase"/> + <paramref name="valueOffset"/> (r0: 0 or an error).</summary>
    private static void UpdateStack(Assembler a, BpfMap map, short keyOffset, Register valueBase, int valueOffset)
    {
        a.LoadMapFd(Register.R1, map.Fd.Value);
        a.Mov64(Register.R2, Register.R10);
        a.Alu64(AluOp.Add, Register.R2, keyOffset);
        a.Mov64(Register.R3, valueBase);
        a.Alu64(AluOp.Add, Register.R3, valueOffset);
        a.Mov64(Register.R4, 0);
        a.Call(BpfHelper.MapUpdateElem);
    }

    /// <summary>Stores the current pid_tgid at <see cref="StackPidTgid"/> and its tid at <see cref="StackTid"/>.</summary>
    private static void StoreCurrentIds(Assembler a)
    {
        a.Call(BpfHelper.GetCurrentPidTgid);
        a.StoreMem(Size.DWord, Register.R10, StackPidTgid, Register.R0);
        a.StoreMem(Size.Word, Register.R10, StackTid, Register.R0);
    }

    /// <summary>
    /// Jumps to <paramref name="skip"/> unless the tid at <paramref name="tidOffset"/> has a slot in
    /// the traced set; falls through with r0 = the slot's map value and r1 = its slot number + 1.
    /// </summary>
    private static void SkipUnlessTraced(Assembler a, SyscallMaps maps, short tidOffset, Label skip)
    {
        LookupStack(a, maps.Traced, tidOffset);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, skip);
        a.LoadMem(Size.Word, Register.R1, Register.R0, 0);
        a.JumpIf(JumpCondition.Equal, Register.R1, 0, skip);
    }

    private static void LookupStack(Assembler a, BpfMap map, short keyOffset, BpfHelper helper = BpfHelper.MapLookupElem)
    {
        a.LoadMapFd(Register.R1, map.Fd.Value);
        a.Mov64(Register.R2, Register.R10);
        a.Alu64(AluOp.Add, Register.R2, keyOffset);
        a.Call(helper);
    }
}
