using Sharptrace.Bpf.Asm;

namespace Sharptrace.Script.CodeGen;

internal sealed partial class ProgramGenerator
{
    /// <summary>BPF_F_CURRENT_CPU: the perf event array index of the CPU the program runs on.</summary>
    private const long CurrentCpu = 0xffffffff;

    /// <summary>
    /// Sends <paramref name="size"/> bytes at <paramref name="data"/> to user space, r0 = 0 or a
    /// negative error: bpf_ringbuf_output(rb, data, size, 0), or on kernels without a ring buffer
    /// bpf_perf_event_output(ctx, events, BPF_F_CURRENT_CPU, data, size).
    /// </summary>
    private void EmitOutputCall(Register data, int size)
    {
        if (fds.PerfBuffer)
        {
            asm.Mov64(Register.R4, data);
            asm.Mov64(Register.R1, Ctx);
            asm.LoadMapFd(Register.R2, fds.RingBuffer);
            LoadConstant(Register.R3, CurrentCpu);
            asm.Mov64(Register.R5, size);
            asm.Call(BpfHelper.PerfEventOutput);
            return;
        }
        asm.Mov64(Register.R2, data);
        asm.LoadMapFd(Register.R1, fds.RingBuffer);
        asm.Mov64(Register.R3, size);
        asm.Mov64(Register.R4, 0);
        asm.Call(BpfHelper.RingbufOutput);
    }
}
