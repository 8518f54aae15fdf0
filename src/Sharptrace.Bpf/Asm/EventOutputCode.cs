namespace Sharptrace.Bpf.Asm;

/// <summary>
/// Instruction sequences that send a record from the BPF stack to user space, the way generated
/// tracing programs need them. A full buffer is never silent: the ring buffer form counts what it
/// could not write (the kernel does not), and the perf form relies on the kernel's PERF_RECORD_LOST.
/// Every sequence clobbers R0-R5, as a helper call does.
/// </summary>
public static class EventOutputCode
{
    /// <summary>BPF_F_CURRENT_CPU: write to the perf ring of the CPU the program runs on.</summary>
    public const uint CurrentCpu = 0xffffffff;

    /// <summary>
    /// <c>bpf_ringbuf_output(ringbuf, r10 + dataOffset, size, 0)</c>, and when that fails (buffer full)
    /// add 1 to the u64 at index 0 of <paramref name="lostCounterFd"/> (an array or per-CPU array
    /// map), the counter <see cref="Readers.RingBufferReader"/> reads as <c>Lost</c>.
    /// </summary>
    /// <param name="asm">Where to emit.</param>
    /// <param name="ringBufferFd">The BPF_MAP_TYPE_RINGBUF map.</param>
    /// <param name="lostCounterFd">The lost counter map.</param>
    /// <param name="dataOffset">Stack offset (negative, from R10) of the record.</param>
    /// <param name="size">Record size in bytes.</param>
    /// <param name="scratchOffset">A 4-byte stack slot (negative, from R10) free for the map key.</param>
    public static void RingBufferOutputOrCountLost(Assembler asm, int ringBufferFd, int lostCounterFd, short dataOffset, int size, short scratchOffset)
    {
        var written = asm.DefineLabel();
        asm.LoadMapFd(Register.R1, ringBufferFd);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, dataOffset);
        asm.Mov64(Register.R3, size);
        asm.Mov64(Register.R4, 0);
        asm.Call(BpfHelper.RingbufOutput);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, written);
        CountLost(asm, lostCounterFd, scratchOffset);
        asm.MarkLabel(written);
    }

    /// <summary>
    /// Atomically adds 1 to the u64 at index 0 of <paramref name="counterFd"/> (an array or per-CPU
    /// array map); for a path where <c>bpf_ringbuf_reserve</c> returned NULL.
    /// </summary>
    /// <param name="asm">Where to emit.</param>
    /// <param name="counterFd">The counter map.</param>
    /// <param name="scratchOffset">A 4-byte stack slot (negative, from R10) free for the map key.</param>
    public static void CountLost(Assembler asm, int counterFd, short scratchOffset)
    {
        var done = asm.DefineLabel();
        asm.StoreImm(Size.Word, Register.R10, scratchOffset, 0);
        asm.LoadMapFd(Register.R1, counterFd);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, scratchOffset);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, done);
        asm.Mov64(Register.R1, 1);
        // Atomic even in a per-CPU slot: a program preempted on one CPU can be re-entered there.
        asm.Atomic(AtomicOp.Add, Size.DWord, Register.R0, 0, Register.R1);
        asm.MarkLabel(done);
    }

    /// <summary>
    /// <c>bpf_perf_event_output(ctx, perfArray, BPF_F_CURRENT_CPU, r10 + dataOffset, size)</c>, read by
    /// <see cref="Readers.PerfBufferReader"/>; the kernel counts what a full ring refuses.
    /// </summary>
    /// <param name="asm">Where to emit.</param>
    /// <param name="context">The register holding the program's context pointer (not R1-R5 if it must survive).</param>
    /// <param name="perfEventArrayFd">The BPF_MAP_TYPE_PERF_EVENT_ARRAY map.</param>
    /// <param name="dataOffset">Stack offset (negative, from R10) of the record.</param>
    /// <param name="size">Record size in bytes.</param>
    public static void PerfEventOutput(Assembler asm, Register context, int perfEventArrayFd, short dataOffset, int size)
    {
        asm.Mov64(Register.R1, context);
        asm.LoadMapFd(Register.R2, perfEventArrayFd);
        // A 32-bit move zero-extends: R3 = 0x00000000ffffffff, BPF_F_CURRENT_CPU.
        asm.Mov32(Register.R3, unchecked((int)CurrentCpu));
        asm.Mov64(Register.R4, Register.R10);
        asm.Alu64(AluOp.Add, Register.R4, dataOffset);
        asm.Mov64(Register.R5, size);
        asm.Call(BpfHelper.PerfEventOutput);
    }
}
