using Sharptrace.Bpf.Asm;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bpf.Programs;

/// <summary>A program before it is loaded: its type, bytecode and what the kernel needs to check it.</summary>
/// <param name="Name">Name shown by the kernel (at most 15 chars of [A-Za-z0-9_.]).</param>
/// <param name="Type">Program type (kprobe for kprobes and uprobes, tracepoint, raw_tracepoint, perf_event...).</param>
/// <param name="Instructions">The bytecode; map fds must already be in its ld_imm64 instructions.</param>
/// <param name="License">License string: helpers such as bpf_probe_read need a GPL-compatible one.</param>
public sealed record ProgramSpec(string Name, BpfProgramType Type, Instruction[] Instructions, string License = "GPL")
{
    /// <summary>The expected attach type, for types that need one (tracing, raw tracepoints with BTF...).</summary>
    public BpfAttachType ExpectedAttachType { get; init; }

    /// <summary>The BTF id of the attach target (fentry/fexit, tp_btf).</summary>
    public uint AttachBtfId { get; init; }

    /// <summary>BPF_F_* program flags (e.g. BPF_F_SLEEPABLE).</summary>
    public uint Flags { get; init; }
}
