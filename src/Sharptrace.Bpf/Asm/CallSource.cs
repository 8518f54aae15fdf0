namespace Sharptrace.Bpf.Asm;

/// <summary>What a <c>call</c> instruction calls, selected by its source register.</summary>
public enum CallSource : byte
{
    /// <summary>A helper function; the immediate is a <see cref="BpfHelper"/> id.</summary>
    Helper = 0,
    /// <summary>BPF_PSEUDO_CALL: a bpf-to-bpf call; the immediate is the relative instruction offset of the callee.</summary>
    BpfFunction = 1,
    /// <summary>BPF_PSEUDO_KFUNC_CALL: a kernel function; the immediate is its BTF id, the offset selects the module BTF.</summary>
    Kfunc = 2,
}
