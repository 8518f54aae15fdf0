using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Btf;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bpf.Programs;

/// <summary>
/// A kernel function as the attach target of a tracing program (fentry/fexit), found in the
/// kernel's BTF. The program's context is an array of u64: the arguments in order, then (fexit)
/// the return value, so the prototype's parameter count places it.
/// </summary>
public sealed record TracingTarget(string Function, int BtfId, BtfType Prototype)
{
    /// <summary>The number of parameters of the function.</summary>
    public int ParameterCount => Prototype.Params.Count;

    /// <summary>The offset in the context of argument <paramref name="index"/>.</summary>
    public static short ArgumentOffset(int index) => (short)(index * 8);

    /// <summary>The offset in an fexit program's context of the return value.</summary>
    public short ReturnValueOffset => (short)(ParameterCount * 8);

    /// <summary>
    /// The BTF FUNC named <paramref name="function"/> in <paramref name="kernel"/> (vmlinux BTF);
    /// a <see cref="KernelException"/> (ENOENT) when there is none.
    /// </summary>
    public static TracingTarget Find(BtfSpec kernel, string function)
    {
        if (!kernel.TryFindType(function, BtfKind.Func, out var func))
            throw new KernelException($"fentry/fexit on {function}", Errno.ENOENT, $"no function '{function}' in the kernel's BTF (not traceable with fentry, or inlined)");
        return new TracingTarget(function, func.Id, func.FuncProto);
    }

    /// <summary>The program to load: BPF_PROG_TYPE_TRACING, fentry or fexit (<paramref name="isReturn"/>) on this function.</summary>
    public ProgramSpec Spec(string name, Instruction[] instructions, bool isReturn) =>
        new(name, BpfProgramType.Tracing, instructions)
        {
            ExpectedAttachType = isReturn ? BpfAttachType.TraceFexit : BpfAttachType.TraceFentry,
            AttachBtfId = (uint)BtfId,
        };

    /// <summary>
    /// Loads <paramref name="spec"/> (from <see cref="Spec"/>). Kernels without the BPF trampoline
    /// refuse any tracing program with EPERM, ENOTSUPP or EOPNOTSUPP even for root; that becomes one
    /// clear line rather than a permission hint. A verifier rejection is thrown as it is.
    /// </summary>
    public BpfProgram Load(ProgramSpec spec, uint logLevel = 0)
    {
        try
        {
            return BpfProgram.Load(spec, logLevel);
        }
        catch (KernelException e) when (e is not VerifierException && e.Errno is Errno.EPERM or Errno.ENOTSUPP or Errno.EOPNOTSUPP
                                        && Capabilities.Has(Capability.SysAdmin))
        {
            throw new KernelException($"bpf(BPF_PROG_LOAD) of {(spec.ExpectedAttachType == BpfAttachType.TraceFexit ? "fexit" : "fentry")} program on {Function}", e.Errno,
                "this kernel cannot run fentry/fexit programs (no BPF trampoline: needs CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, on x86_64 or arm64); use kprobe/kretprobe");
        }
    }
}
