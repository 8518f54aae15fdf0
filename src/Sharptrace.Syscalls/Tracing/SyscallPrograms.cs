using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Maps;
using static Sharptrace.Syscalls.Tracing.RecordLayout;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>The maps the programs share with user space.</summary>
internal sealed record SyscallMaps(BpfMap Traced, BpfMap Specs, BpfMap Inflight, BpfMap Scratch, BpfMap? Events, BpfMap Lost, BpfMap? Stats);

/// <summary>
/// Generates the eBPF programs of the syscall tracer: on raw_syscalls:sys_enter and sys_exit,
/// filtered by the traced-thread map, they copy what the per-call spec asks for into a per-CPU
/// scratch record and emit it through the ring buffer (or, for -c, only count and time calls);
/// on sched:sched_process_fork they add the children of traced threads (for -f).
/// </summary>
internal static class SyscallPrograms
{
    private const short StackTid = -8, StackNr = -16, StackSpec = -24, StackPtr = -32, StackSize = -40, StackLen = -48,
        StackTmp = -56, StackKind = -64, StackPidTgid = -72, StackTmp2 = -80, StackBase = -88;

    public static Instruction[] Enter(SyscallMaps maps, bool countOnly) => Build(maps, countOnly, entry: true);

    public static Instruction[] Exit(SyscallMaps maps, bool countOnly) => Build(maps, countOnly, entry: false);

    private static Instruction[] Build(SyscallMaps maps, bool countOnly, bool entry)
    {
        var a = new Assembler();
        var done = a.DefineLabel("done");
        // r9 = ctx while we look things up.
        a.Mov64(Register.R9, Register.R1);
        a.Call(BpfHelper.GetCurrentPidTgid);
        a.StoreMem(Size.DWord, Register.R10, StackPidTgid, Register.R0);
        a.StoreMem(Size.Word, Register.R10, StackTid, Register.R0);
        LookupStack(a, maps.Traced, StackTid);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        // Syscall number: -1 for an invalid call, and our arrays end at MaxSyscalls.
        a.LoadMem(Size.DWord, Register.R1, Register.R9, 8);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R1, MaxSyscalls, done);
        a.StoreMem(Size.Word, Register.R10, StackNr, Register.R1);
        LookupStack(a, maps.Specs, StackNr);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
        a.Alu64(AluOp.And, Register.R1, 1);
        a.JumpIf(JumpCondition.Equal, Register.R1, 0, done);
        a.StoreMem(Size.DWord, Register.R10, StackSpec, Register.R0);
        // r6 = scratch record (per CPU).
        a.StoreImm(Size.Word, Register.R10, StackTmp, 0);
        LookupStack(a, maps.Scratch, StackTmp);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.Mov64(Register.R6, Register.R0);

        if (entry)
        {
            a.Call(BpfHelper.KtimeGetNs);
            a.StoreMem(Size.DWord, Register.R6, Timestamp, Register.R0);
            a.StoreMem(Size.DWord, Register.R6, EnterTimestamp, Register.R0);
            for (var i = 0; i < 6; i++)
            {
                a.LoadMem(Size.DWord, Register.R1, Register.R9, (short)(16 + 8 * i));
                a.StoreMem(Size.DWord, Register.R6, (short)(Args + 8 * i), Register.R1);
            }
            // Keep the entry (time and arguments) for the exit program.
            a.LoadMapFd(Register.R1, maps.Inflight.Fd.Value);
            a.Mov64(Register.R2, Register.R10);
            a.Alu64(AluOp.Add, Register.R2, StackTid);
            a.Mov64(Register.R3, Register.R6);
            a.Alu64(AluOp.Add, Register.R3, InflightOffset);
            a.Mov64(Register.R4, 0);
            a.Call(BpfHelper.MapUpdateElem);
            if (countOnly) { a.MarkLabel(done); a.Mov64(Register.R0, 0); a.Exit(); return [.. a.Build().Instructions]; }
        }
        else
        {
            LookupStack(a, maps.Inflight, StackTid);
            a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
            a.Mov64(Register.R8, Register.R0);
            if (countOnly) { EmitCount(a, maps, done); return [.. a.Build().Instructions]; }
            for (var off = 0; off < InflightSize; off += 8)
            {
                a.LoadMem(Size.DWord, Register.R1, Register.R8, (short)off);
                a.StoreMem(Size.DWord, Register.R6, (short)(InflightOffset + off), Register.R1);
            }
            LookupStack(a, maps.Inflight, StackTid, BpfHelper.MapDeleteElem);
            a.LoadMem(Size.DWord, Register.R1, Register.R9, 16);
            a.StoreMem(Size.DWord, Register.R6, Return, Register.R1);
            a.Call(BpfHelper.KtimeGetNs);
            a.StoreMem(Size.DWord, Register.R6, Timestamp, Register.R0);
        }

        // Header.
        a.StoreImm(Size.Word, Register.R6, RecordLayout.Type, (int)(entry ? TypeEnter : TypeExit));
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
        for (var slot = 0; slot < 4; slot++) EmitSlot(a, slot, entry ? (byte)1 : (byte)2);

        // Emit header + window used.
        a.LoadMapFd(Register.R1, maps.Events!.Fd.Value);
        a.Mov64(Register.R2, Register.R6);
        a.Mov64(Register.R3, Register.R7);
        a.Alu64(AluOp.And, Register.R3, CursorMask);
        a.Alu64(AluOp.Add, Register.R3, HeaderSize);
        a.Mov64(Register.R4, 0);
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

    /// <summary>-c: calls, errors and time per number, in a per-CPU array (no record leaves the kernel).</summary>
    private static void EmitCount(Assembler a, SyscallMaps maps, Label done)
    {
        // r8 = inflight entry; delta = now - entry ts.
        a.LoadMem(Size.DWord, Register.R7, Register.R8, EnterTimestamp - InflightOffset);
        LookupStack(a, maps.Inflight, StackTid, BpfHelper.MapDeleteElem);
        a.Call(BpfHelper.KtimeGetNs);
        a.Alu64(AluOp.Sub, Register.R0, Register.R7);
        a.Mov64(Register.R7, Register.R0);
        LookupStack(a, maps.Stats!, StackNr);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.LoadMem(Size.DWord, Register.R1, Register.R0, 0);
        a.Alu64(AluOp.Add, Register.R1, 1);
        a.StoreMem(Size.DWord, Register.R0, 0, Register.R1);
        a.LoadMem(Size.DWord, Register.R1, Register.R0, 16);
        a.Alu64(AluOp.Add, Register.R1, Register.R7);
        a.StoreMem(Size.DWord, Register.R0, 16, Register.R1);
        a.LoadMem(Size.DWord, Register.R1, Register.R9, 16);
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

    /// <summary>One capture slot: if its phase is now, copy from the argument it names into the window.</summary>
    private static void EmitSlot(Assembler a, int slot, byte phase)
    {
        var skip = a.DefineLabel();
        var store = a.DefineLabel();
        var fault = a.DefineLabel();
        var specOff = (short)(8 + 8 * slot);
        a.LoadMem(Size.DWord, Register.R8, Register.R10, StackSpec);
        a.LoadMem(Size.Byte, Register.R1, Register.R8, specOff);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, phase, skip);
        // An output copy only after success.
        if (phase == 2)
        {
            a.LoadMem(Size.DWord, Register.R1, Register.R6, Return);
            a.JumpIf(JumpCondition.SignedLess, Register.R1, 0, skip);
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

        var notString = a.DefineLabel();
        var notBytes = a.DefineLabel();
        var notArray = a.DefineLabel();
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackKind);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, 1, notString);
        DataPointer(a, Register.R1, 0);
        a.LoadMem(Size.DWord, Register.R3, Register.R10, StackPtr);
        a.Call(BpfHelper.ProbeReadUserStr);
        a.JumpIf(JumpCondition.SignedLess, Register.R0, 0, fault);
        a.Jump(store);

        a.MarkLabel(notString);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, 2, notBytes);
        DataPointer(a, Register.R1, 0);
        a.LoadMem(Size.DWord, Register.R3, Register.R10, StackPtr);
        a.Call(BpfHelper.ProbeReadUser);
        a.JumpIf(JumpCondition.NotEqual, Register.R0, 0, fault);
        a.LoadMem(Size.DWord, Register.R0, Register.R10, StackSize);
        a.Jump(store);

        a.MarkLabel(notBytes);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, 3, notArray);
        EmitStringArray(a, store, fault);

        a.MarkLabel(notArray);
        a.JumpIf(JumpCondition.NotEqual, Register.R1, 4, skip);
        EmitPointerCount(a, store, fault);

        a.MarkLabel(fault);
        a.StoreImm(Size.DWord, Register.R10, StackTmp2, FlagFault);
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
    }

    /// <summary>r1 = scratch + header + slot header + ((cursor + extra) &amp; mask); r2 = size from the stack.</summary>
    private static void DataPointer(Assembler a, Register extra, int unused)
    {
        _ = unused;
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
        _ = extra;
    }

    /// <summary>argv: up to MaxArgvStrings strings, each cut at the slot size, NUL-separated; "more" when cut short.</summary>
    private static void EmitStringArray(Assembler a, Label store, Label fault)
    {
        var loop = a.DefineLabel();
        var end = a.DefineLabel();
        var more = a.DefineLabel();
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPtr);
        a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R1);
        a.StoreImm(Size.DWord, Register.R10, StackLen, 0);
        a.Mov64(Register.R9, 0);
        a.MarkLabel(loop);
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R9, MaxArgvStrings, more);
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackLen);
        a.JumpIf(JumpCondition.Greater, Register.R1, ArrayBudget, more);
        ReadPointer(a, Register.R9, fault);
        a.JumpIf(JumpCondition.Equal, Register.R3, 0, end);
        // dst = scratch + header + slot header + ((cursor + len) & mask)
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackLen);
        a.Alu64(AluOp.Add, Register.R1, Register.R7);
        a.Alu64(AluOp.And, Register.R1, CursorMask);
        a.Alu64(AluOp.Add, Register.R1, Register.R6);
        a.Alu64(AluOp.Add, Register.R1, HeaderSize + SlotHeaderSize);
        a.LoadMem(Size.DWord, Register.R2, Register.R10, StackSize);
        a.Alu64(AluOp.And, Register.R2, MaxCopy - 1);
        a.Call(BpfHelper.ProbeReadUserStr);
        var fine = a.DefineLabel();
        a.JumpIf(JumpCondition.SignedGreater, Register.R0, 0, fine);
        a.Mov64(Register.R0, 0);
        a.MarkLabel(fine);
        a.Alu64(AluOp.And, Register.R0, MaxCopy - 1);
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackLen);
        a.Alu64(AluOp.Add, Register.R1, Register.R0);
        a.StoreMem(Size.DWord, Register.R10, StackLen, Register.R1);
        a.Alu64(AluOp.Add, Register.R9, 1);
        a.Jump(loop);
        a.MarkLabel(more);
        // Cut short only if another pointer follows.
        ReadPointer(a, Register.R9, fault);
        a.JumpIf(JumpCondition.Equal, Register.R3, 0, end);
        a.StoreImm(Size.DWord, Register.R10, StackTmp2, FlagMore);
        a.MarkLabel(end);
        a.LoadMem(Size.DWord, Register.R0, Register.R10, StackLen);
        a.Jump(store);
    }

    /// <summary>envp: the number of pointers before NULL, 8 at a time, as a u32.</summary>
    private static void EmitPointerCount(Assembler a, Label store, Label fault)
    {
        var loop = a.DefineLabel();
        var end = a.DefineLabel();
        a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPtr);
        a.StoreMem(Size.DWord, Register.R10, StackBase, Register.R1);
        a.Mov64(Register.R9, 0);
        a.MarkLabel(loop);
        var full = a.DefineLabel();
        a.JumpIf(JumpCondition.GreaterOrEqual, Register.R9, EnvpChunks * 8, full);
        ReadPointer(a, Register.R9, fault);
        a.JumpIf(JumpCondition.Equal, Register.R3, 0, end);
        a.Alu64(AluOp.Add, Register.R9, 1);
        a.Jump(loop);
        a.MarkLabel(full);
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

    /// <summary>sched_process_fork: a child of a traced thread is traced too (-f).</summary>
    public static Instruction[] Fork(SyscallMaps maps)
    {
        var a = new Assembler();
        var done = a.DefineLabel();
        a.Mov64(Register.R6, Register.R1);
        a.LoadMem(Size.Word, Register.R1, Register.R6, 12);
        a.StoreMem(Size.Word, Register.R10, StackTid, Register.R1);
        LookupStack(a, maps.Traced, StackTid);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        a.LoadMem(Size.Word, Register.R1, Register.R6, 20);
        a.StoreMem(Size.Word, Register.R10, StackNr, Register.R1);
        a.StoreImm(Size.Byte, Register.R10, StackTmp, 1);
        a.LoadMapFd(Register.R1, maps.Traced.Fd.Value);
        a.Mov64(Register.R2, Register.R10);
        a.Alu64(AluOp.Add, Register.R2, StackNr);
        a.Mov64(Register.R3, Register.R10);
        a.Alu64(AluOp.Add, Register.R3, StackTmp);
        a.Mov64(Register.R4, 0);
        a.Call(BpfHelper.MapUpdateElem);
        a.MarkLabel(done);
        a.Mov64(Register.R0, 0);
        a.Exit();
        return [.. a.Build().Instructions];
    }

    /// <summary>sched_process_exit: a traced task ends; tell the reader (a header-only record) and forget the tid.</summary>
    public static Instruction[] ProcessExit(SyscallMaps maps, bool countOnly)
    {
        var a = new Assembler();
        var done = a.DefineLabel();
        a.Call(BpfHelper.GetCurrentPidTgid);
        a.StoreMem(Size.DWord, Register.R10, StackPidTgid, Register.R0);
        a.StoreMem(Size.Word, Register.R10, StackTid, Register.R0);
        LookupStack(a, maps.Traced, StackTid);
        a.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        LookupStack(a, maps.Traced, StackTid, BpfHelper.MapDeleteElem);
        if (!countOnly)
        {
            // {u32 type, u32 tid, u32 tgid, u32 0} at fp-32.
            a.StoreImm(Size.Word, Register.R10, -32, (int)TypeProcessExit);
            a.LoadMem(Size.DWord, Register.R1, Register.R10, StackPidTgid);
            a.StoreMem(Size.Word, Register.R10, -28, Register.R1);
            a.Alu64(AluOp.Rsh, Register.R1, 32);
            a.StoreMem(Size.Word, Register.R10, -24, Register.R1);
            a.StoreImm(Size.Word, Register.R10, -20, 0);
            a.LoadMapFd(Register.R1, maps.Events!.Fd.Value);
            a.Mov64(Register.R2, Register.R10);
            a.Alu64(AluOp.Add, Register.R2, -32);
            a.Mov64(Register.R3, 16);
            a.Mov64(Register.R4, 0);
            a.Call(BpfHelper.RingbufOutput);
        }
        a.MarkLabel(done);
        a.Mov64(Register.R0, 0);
        a.Exit();
        return [.. a.Build().Instructions];
    }

    /// <summary>r0 = helper(map, fp+key): a lookup by default.</summary>
    private static void LookupStack(Assembler a, BpfMap map, short keyOffset, BpfHelper helper = BpfHelper.MapLookupElem)
    {
        a.LoadMapFd(Register.R1, map.Fd.Value);
        a.Mov64(Register.R2, Register.R10);
        a.Alu64(AluOp.Add, Register.R2, keyOffset);
        a.Call(helper);
    }
}
