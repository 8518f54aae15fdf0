using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Maps;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.VmChecks;

/// <summary>
/// The two kprobe programs of the check, hand-assembled: they only count events of one process
/// (its tgid is an immediate, so other processes of the guest never touch the maps).
/// </summary>
internal static class ProbeCounterPrograms
{
    /// <summary>On entry: counters.Entries++ when the caller belongs to <paramref name="tgid"/>.</summary>
    public static Instruction[] CountEntries(BpfMap counters, int tgid)
    {
        var asm = new Assembler();
        var done = asm.DefineLabel("done");
        SkipOtherProcesses(asm, tgid, done);
        LookupCounters(asm, counters, done);
        AtomicAdd(asm, Register.R0, OpenCounters.EntriesOffset, 1);
        asm.MarkLabel(done);
        asm.Mov64(Register.R0, 0);
        asm.Exit();
        return [.. asm.Build().Instructions];
    }

    /// <summary>
    /// On return: counters.Returns++, classifies and sums the return value read from the context at
    /// <paramref name="returnValueOffset"/> (pt_regs for a kretprobe, the u64 array for fexit), and
    /// counts each distinct return value in <paramref name="returnValues"/> (s64 → u64).
    /// </summary>
    public static Instruction[] RecordReturns(BpfMap counters, BpfMap returnValues, int tgid, short returnValueOffset)
    {
        var asm = new Assembler();
        var done = asm.DefineLabel("done");
        var enoent = asm.DefineLabel("enoent");
        var classified = asm.DefineLabel("classified");
        var firstTime = asm.DefineLabel("first_time");
        // r6 = ctx (struct pt_regs *); r7 = return value; r8 = counters value. r6-r9 survive calls.
        asm.Mov64(Register.R6, Register.R1);
        SkipOtherProcesses(asm, tgid, done);
        asm.LoadMem(Size.DWord, Register.R7, Register.R6, returnValueOffset);
        LookupCounters(asm, counters, done);
        asm.Mov64(Register.R8, Register.R0);
        AtomicAdd(asm, Register.R8, OpenCounters.ReturnsOffset, 1);
        asm.Atomic(AtomicOp.Add, Size.DWord, Register.R8, OpenCounters.ReturnSumOffset, Register.R7);
        asm.JumpIf(JumpCondition.Equal, Register.R7, -2, enoent); // the immediate is sign-extended to 64 bits
        asm.JumpIf(JumpCondition.SignedLess, Register.R7, 0, classified);
        AtomicAdd(asm, Register.R8, OpenCounters.OkOffset, 1);
        asm.Jump(classified);
        asm.MarkLabel(enoent);
        AtomicAdd(asm, Register.R8, OpenCounters.EnoentOffset, 1);
        asm.MarkLabel(classified);

        // returnValues[r7]++: the key lives at fp-16, a first value of 1 at fp-24 (fp-4 holds
        // the counters' key).
        asm.StoreMem(Size.DWord, Register.R10, -16, Register.R7);
        asm.LoadMapFd(Register.R1, returnValues.Fd.Value);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, -16);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, firstTime);
        AtomicAdd(asm, Register.R0, 0, 1);
        asm.Jump(done);
        asm.MarkLabel(firstTime);
        asm.StoreImm(Size.DWord, Register.R10, -24, 1);
        asm.LoadMapFd(Register.R1, returnValues.Fd.Value);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, -16);
        asm.Mov64(Register.R3, Register.R10);
        asm.Alu64(AluOp.Add, Register.R3, -24);
        asm.Mov64(Register.R4, (int)BpfUpdateFlags.NoExist);
        asm.Call(BpfHelper.MapUpdateElem);

        asm.MarkLabel(done);
        asm.Mov64(Register.R0, 0);
        asm.Exit();
        return [.. asm.Build().Instructions];
    }

    /// <summary>Jumps to <paramref name="done"/> unless bpf_get_current_pid_tgid() &gt;&gt; 32 is <paramref name="tgid"/>.</summary>
    static void SkipOtherProcesses(Assembler asm, int tgid, Label done)
    {
        asm.Call(BpfHelper.GetCurrentPidTgid);
        asm.Alu64(AluOp.Rsh, Register.R0, 32);
        asm.JumpIf(JumpCondition.NotEqual, Register.R0, tgid, done);
    }

    /// <summary>r0 = &amp;counters[0], or a jump to <paramref name="done"/> should the lookup fail (the verifier insists).</summary>
    static void LookupCounters(Assembler asm, BpfMap counters, Label done)
    {
        asm.StoreImm(Size.Word, Register.R10, -4, 0);
        asm.LoadMapFd(Register.R1, counters.Fd.Value);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, -4);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
    }

    static void AtomicAdd(Assembler asm, Register value, short offset, int amount)
    {
        asm.Mov64(Register.R1, amount);
        asm.Atomic(AtomicOp.Add, Size.DWord, value, offset, Register.R1);
    }
}
