using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Maps;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tests.Support;

/// <summary>Hand-assembled programs the kernel tests attach: per-process accumulators in a hash map keyed by tgid.</summary>
public static class TestPrograms
{
    /// <summary>map[tgid] += 1.</summary>
    public static Instruction[] CountPerProcess(BpfMap counts) => AddPerProcess(counts, ptRegsOffset: null);

    /// <summary>map[tgid] += the u64 at <paramref name="ptRegsOffset"/> of the pt_regs context (an argument or the return value).</summary>
    public static Instruction[] SumRegisterPerProcess(BpfMap sums, int ptRegsOffset) => AddPerProcess(sums, ptRegsOffset);

    /// <summary>
    /// key = bpf_get_current_pid_tgid() &gt;&gt; 32; value = lookup(key) ? atomic add : insert. The
    /// amount (r7) is 1, or read from the context before any helper call clobbers r1.
    /// </summary>
    private static Instruction[] AddPerProcess(BpfMap map, int? ptRegsOffset)
    {
        var asm = new Assembler();
        var missing = asm.DefineLabel("missing");
        var done = asm.DefineLabel("done");
        if (ptRegsOffset is int offset) asm.LoadMem(Size.DWord, Register.R7, Register.R1, (short)offset);
        else asm.Mov64(Register.R7, 1);
        asm.Call(BpfHelper.GetCurrentPidTgid);
        asm.Alu64(AluOp.Rsh, Register.R0, 32);
        asm.StoreMem(Size.Word, Register.R10, -4, Register.R0);
        asm.LoadMapFd(Register.R1, map.Fd.Value);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, -4);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, missing);
        asm.Atomic(AtomicOp.Add, Size.DWord, Register.R0, 0, Register.R7);
        asm.Jump(done);
        asm.MarkLabel(missing);
        // Two CPUs may both miss: NOEXIST makes the loser fail instead of overwriting, and it retries as an add.
        asm.StoreMem(Size.DWord, Register.R10, -16, Register.R7);
        asm.LoadMapFd(Register.R1, map.Fd.Value);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, -4);
        asm.Mov64(Register.R3, Register.R10);
        asm.Alu64(AluOp.Add, Register.R3, -16);
        asm.Mov64(Register.R4, (int)BpfUpdateFlags.NoExist);
        asm.Call(BpfHelper.MapUpdateElem);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        asm.LoadMapFd(Register.R1, map.Fd.Value);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, -4);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        asm.Atomic(AtomicOp.Add, Size.DWord, Register.R0, 0, Register.R7);
        asm.MarkLabel(done);
        asm.Mov64(Register.R0, 0);
        asm.Exit();
        return [.. asm.Build().Instructions];
    }
}
