using Sharptrace.Bpf.Asm;
using Sharptrace.Kernel;
using Sharptrace.Script.Probes;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Script.CodeGen;

/// <summary>
/// syscalls tracepoints on the raw sys_enter / sys_exit tracepoint (see <see cref="SyscallTracepoint"/>):
/// the context is <c>u64 args[2] = { struct pt_regs *regs, long id (sys_enter) / long ret (sys_exit) }</c>.
/// </summary>
internal sealed partial class ProgramGenerator
{
    private const short RegsArgument = 0, IdOrReturnArgument = 8;

    /// <summary>
    /// Returns at once unless this is the probe's call, made by native (not compat) code: the perf
    /// tracepoint fires for nothing else (the kernel's trace_get_syscall_nr gives -1 for compat calls:
    /// a 32-bit process's, and on x86_64 a 64-bit process's int $0x80).
    /// </summary>
    private void EmitSyscallFilter(SyscallTracepoint syscall)
    {
        var arch = Arch.Current;
        if (!syscall.IsExit)
        {
            asm.LoadMem(Size.DWord, Register.R1, Ctx, IdOrReturnArgument);
            asm.JumpIf(JumpCondition.NotEqual, Register.R1, syscall.Number, exitLabel);
        }
        // One read of the registers that hold the call mode and (at exit) the call number.
        var low = syscall.IsExit ? Math.Min(arch.CallModeOffset, arch.SyscallNumberOffset) : arch.CallModeOffset;
        var high = syscall.IsExit ? Math.Max(arch.CallModeOffset, arch.SyscallNumberOffset) + 8 : arch.CallModeOffset + 8;
        var mark = frame.Mark();
        var slot = frame.Allocate(high - low, probe.AttachPoints[0].Span);
        StackPointer(Register.R1, slot);
        asm.Mov64(Register.R2, high - low);
        asm.LoadMem(Size.DWord, Register.R3, Ctx, RegsArgument);
        asm.Alu64(AluOp.Add, Register.R3, low);
        asm.Call(BpfHelper.ProbeReadKernel);
        asm.JumpIf(JumpCondition.NotEqual, Register.R0, 0, exitLabel);
        if (syscall.IsExit)
        {
            asm.LoadMem(arch.SyscallNumberSize == 4 ? Size.Word : Size.DWord, Register.R1, Register.R10, (short)(slot + arch.SyscallNumberOffset - low));
            asm.JumpIf(JumpCondition.NotEqual, Register.R1, syscall.Number, exitLabel);
        }
        asm.LoadMem(Size.DWord, Register.R1, Register.R10, (short)(slot + arch.CallModeOffset - low));
        asm.Alu64(AluOp.And, Register.R1, (int)arch.CallModeMask);
        asm.JumpIf(JumpCondition.NotEqual, Register.R1, (int)arch.NativeCallMode, exitLabel);
        if (arch.CompatStatus(Syscall.KernelRelease) is { } status)
        {
            asm.Call(BpfHelper.GetCurrentTask);
            StackPointer(Register.R1, slot);
            asm.Mov64(Register.R2, 4);
            asm.Mov64(Register.R3, Register.R0);
            asm.Alu64(AluOp.Add, Register.R3, status.Offset);
            asm.Call(BpfHelper.ProbeReadKernel);
            asm.LoadMem(Size.Word, Register.R1, Register.R10, slot);
            asm.Alu64(AluOp.And, Register.R1, status.Flag);
            asm.JumpIf(JumpCondition.NotEqual, Register.R1, 0, exitLabel);
        }
        frame.Release(mark);
    }

    /// <summary>r0 = args.FIELD as the perf tracepoint's record holds it: the call number, an argument register, or the return value.</summary>
    private void EmitSyscallField(SyscallTracepoint syscall, EventField field)
    {
        if (field.Offset == SyscallTracepoint.NumberOffset)
        {
            LoadConstant(Register.R0, syscall.Number);
            return;
        }
        if (syscall.IsExit)
        {
            asm.LoadMem(Size.DWord, Register.R0, Ctx, IdOrReturnArgument);
            return;
        }
        var slot = frame.Allocate(8, probe.AttachPoints[0].Span);
        StackPointer(Register.R1, slot);
        asm.Mov64(Register.R2, 8);
        asm.LoadMem(Size.DWord, Register.R3, Ctx, RegsArgument);
        asm.Alu64(AluOp.Add, Register.R3, Arch.Current.SyscallArgumentOffsets[SyscallTracepoint.ArgumentIndex(field)]);
        asm.Call(BpfHelper.ProbeReadKernel);
        asm.LoadMem(Size.DWord, Register.R0, Register.R10, slot);
    }
}
