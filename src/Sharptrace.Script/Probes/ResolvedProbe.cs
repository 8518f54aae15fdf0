using Sharptrace.Kernel.Uapi;
using Sharptrace.Tracing.DynamicEvents;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Script.Probes;

/// <summary>
/// One concrete place to attach, after wildcards are expanded: <c>tracepoint:syscalls:sys_enter_openat</c>.
/// Each gets its own BPF program, so per-probe builtins (probe, func, args) are constants there.
/// </summary>
internal sealed record ResolvedProbe(ProbeKind Kind, string FullName, string Target, string Function)
{
    /// <summary>interval/profile rate or period, software event count, uprobe offset.</summary>
    public ulong Number { get; init; }

    /// <summary>interval/profile unit: s, ms, us, hz.</summary>
    public string Unit { get; init; } = "";

    /// <summary>The tracepoint's record layout, read from its format file.</summary>
    public EventFormat? Format { get; init; }

    /// <summary>A syscalls tracepoint run on the raw sys_enter/sys_exit tracepoint; null: the perf tracepoint.</summary>
    public SyscallTracepoint? Syscall { get; init; }

    /// <summary>For a kprobe/uprobe dynamic event named as a tracepoint: its definition, whose fetch args give args.NAME.</summary>
    public DynamicEventDefinition? DynamicEvent { get; init; }

    /// <summary>The USDT probe site (usdt probes): its note, argument specs and semaphore.</summary>
    public UsdtSite? Usdt { get; init; }

    /// <summary>kfunc/kretfunc: the function's BTF id and prototype (args and retval are typed from it).</summary>
    public Bpf.Programs.TracingTarget? Tracing { get; init; }

    public BpfProgramType ProgramType => Kind switch
    {
        ProbeKind.Begin or ProbeKind.End or ProbeKind.RawTracepoint => BpfProgramType.RawTracepoint,
        // The kernel runs kprobe programs on kprobe/uprobe events, whatever way they are attached.
        ProbeKind.Tracepoint when DynamicEvent is not null => BpfProgramType.Kprobe,
        ProbeKind.Tracepoint when Syscall is not null => BpfProgramType.RawTracepoint,
        ProbeKind.Tracepoint => BpfProgramType.Tracepoint,
        ProbeKind.Interval or ProbeKind.Profile or ProbeKind.Software or ProbeKind.Hardware => BpfProgramType.PerfEvent,
        ProbeKind.Kfunc or ProbeKind.Kretfunc => BpfProgramType.Tracing,
        _ => BpfProgramType.Kprobe,
    };

    /// <summary>Whether arg0..N and retval read pt_regs (kprobes, uprobes).</summary>
    public bool HasRegisters => Kind is ProbeKind.Kprobe or ProbeKind.Kretprobe or ProbeKind.Uprobe or ProbeKind.Uretprobe or ProbeKind.Usdt;

    public bool IsReturn => Kind is ProbeKind.Kretprobe or ProbeKind.Uretprobe or ProbeKind.Kretfunc;
}
