using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bpf.Features;

/// <summary>
/// Probes what the running kernel supports by trying it, like bpftool feature probe: load a tiny
/// program of each type, create a tiny map of each type, call each helper, attach each way.
/// Nothing is read from the kernel config.
/// </summary>
public static class FeatureProbe
{
    private static readonly Instruction ReturnZero = new(0xb7, 0, 0, 0, 0);
    private static readonly Instruction Exit = new(0x95, 0, 0, 0, 0);

    /// <summary>Whether programs of <paramref name="type"/> load.</summary>
    public static bool ProgramType(BpfProgramType type)
    {
        try
        {
            using var program = BpfProgram.Load(new ProgramSpec("probe", type, [ReturnZero, Exit]));
            return true;
        }
        catch (KernelPermissionException) { throw; }
        catch (KernelException) { return false; }
    }

    /// <summary>Whether maps of <paramref name="type"/> can be created.</summary>
    public static bool MapType(BpfMapType type)
    {
        var spec = type switch
        {
            BpfMapType.Ringbuf => MapSpec.RingBuffer("probe", Syscall.PageSize),
            BpfMapType.PerfEventArray => MapSpec.PerfEventArray("probe"),
            BpfMapType.StackTrace => MapSpec.StackTrace("probe", 4, 1),
            BpfMapType.LpmTrie => new MapSpec("probe", type, 8, 8, 1, Flags: 1 /* BPF_F_NO_PREALLOC */),
            BpfMapType.Queue or BpfMapType.Stack => new MapSpec("probe", type, 0, 8, 1),
            BpfMapType.BloomFilter => new MapSpec("probe", type, 0, 8, 1),
            BpfMapType.TaskStorage or BpfMapType.InodeStorage or BpfMapType.SkStorage or BpfMapType.CgrpStorage => null, // need BTF for the value type
            _ => new MapSpec("probe", type, 4, 8, 1),
        };
        if (spec is null) return false;
        try
        {
            using var map = BpfMap.Create(spec);
            return true;
        }
        catch (KernelPermissionException) { throw; }
        catch (KernelException) { return false; }
    }

    /// <summary>
    /// Whether <paramref name="programType"/> programs may call <paramref name="helper"/>: the
    /// verifier names an unknown or forbidden helper with "invalid func"/"unknown func"; any other
    /// complaint (about the arguments) means the helper exists.
    /// </summary>
    public static bool Helper(BpfProgramType programType, int helper)
    {
        var call = new Instruction(0x85, 0, 0, 0, helper);
        try
        {
            using var program = BpfProgram.Load(new ProgramSpec("probe", programType, [ReturnZero, call, Exit]));
            return true;
        }
        catch (VerifierException e)
        {
            return !e.Log.Contains("invalid func", StringComparison.Ordinal) && !e.Log.Contains("unknown func", StringComparison.Ordinal)
                   && !e.Log.Contains("program of this type cannot use helper", StringComparison.Ordinal);
        }
        catch (KernelPermissionException) { throw; }
        catch (KernelException) { return false; }
    }

    /// <summary>Whether a program can be linked to a perf event with BPF_LINK_CREATE (Linux 5.15), tried on a software event.</summary>
    public static bool PerfEventLink()
    {
        using var program = BpfProgram.Load(new ProgramSpec("probe", BpfProgramType.PerfEvent, [ReturnZero, Exit]));
        var attr = new PerfEventAttr { Type = PerfType.Software, Config = (ulong)PerfSoftwareEvent.CpuClock, SamplePeriodOrFreq = 1_000_000_000, Flags = PerfEventFlags.Disabled };
        using var perf = PerfEvent.Open(ref attr, pid: 0, cpu: -1, "software cpu-clock");
        var link = new LinkCreateAttr { ProgFd = (uint)program.Fd.Value, TargetFd = (uint)perf.Value, AttachType = BpfAttachType.PerfEvent };
        var fd = BpfSyscall.TryInvoke(BpfCommand.LinkCreate, ref link);
        if (fd < 0) return false;
        KernelFd.Own(fd).Dispose();
        return true;
    }

    /// <summary>Whether a raw tracepoint program attaches to sys_enter.</summary>
    public static bool RawTracepointAttach()
    {
        try
        {
            using var program = BpfProgram.Load(new ProgramSpec("probe", BpfProgramType.RawTracepoint, [ReturnZero, Exit]));
            using var link = Attach.RawTracepoint(program, "sys_enter");
            return true;
        }
        catch (KernelPermissionException) { throw; }
        catch (KernelException) { return false; }
    }

    /// <summary>
    /// Whether fentry programs (BPF_PROG_TYPE_TRACING with BPF_TRACE_FENTRY) load against a kernel
    /// function found in the kernel's BTF. False without BTF or without the trampoline (e.g. no
    /// CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS).
    /// </summary>
    public static bool Fentry()
    {
        if (KernelBtfSize() is null) return false;
        var btf = Btf.BtfSpec.LoadKernel();
        if (!btf.TryFindType("do_sys_openat2", Btf.BtfKind.Func, out var function)
            && !btf.TryFindType("vfs_read", Btf.BtfKind.Func, out function))
            return false;
        try
        {
            var spec = new ProgramSpec("probe", BpfProgramType.Tracing, [ReturnZero, Exit])
            {
                ExpectedAttachType = BpfAttachType.TraceFentry,
                AttachBtfId = (uint)function.Id,
            };
            using var program = BpfProgram.Load(spec);
            return true;
        }
        // Kernels without the BPF trampoline refuse tracing programs with EPERM even for root, so
        // EPERM here means "unsupported" once a plain program type has loaded.
        catch (KernelException) when (ProgramType(BpfProgramType.Kprobe)) { return false; }
    }

    /// <summary>Whether the BPF JIT is on (/proc/sys/net/core/bpf_jit_enable), null when unreadable.</summary>
    public static bool? JitEnabled() => ReadFlag("/proc/sys/net/core/bpf_jit_enable");

    /// <summary>The kernel.unprivileged_bpf_disabled sysctl (0: allowed, 1 or 2: disabled), null when unreadable.</summary>
    public static int? UnprivilegedBpfDisabled() =>
        int.TryParse(ReadText("/proc/sys/kernel/unprivileged_bpf_disabled"), out var v) ? v : null;

    /// <summary>The size of the kernel's BTF (/sys/kernel/btf/vmlinux), null when the kernel has none.</summary>
    public static long? KernelBtfSize() => File.Exists("/sys/kernel/btf/vmlinux") ? new FileInfo("/sys/kernel/btf/vmlinux").Length : null;

    private static bool? ReadFlag(string path) => int.TryParse(ReadText(path), out var v) ? v != 0 : null;

    private static string? ReadText(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
