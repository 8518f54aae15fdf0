using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>software:EVENT[:COUNT]: a perf software event on every CPU, firing every COUNT occurrences.</summary>
internal sealed class SoftwareProvider : IProbeProvider
{
    /// <summary>bpftrace's names and aliases with their default sample periods.</summary>
    private static readonly (string[] Names, PerfSoftwareEvent Event, ulong DefaultCount)[] Events =
    [
        (["cpu-clock", "cpu"], PerfSoftwareEvent.CpuClock, 1_000_000),
        (["task-clock"], PerfSoftwareEvent.TaskClock, 1_000_000),
        (["page-faults", "faults"], PerfSoftwareEvent.PageFaults, 100),
        (["context-switches", "cs"], PerfSoftwareEvent.ContextSwitches, 1000),
        (["cpu-migrations"], PerfSoftwareEvent.CpuMigrations, 1),
        (["minor-faults"], PerfSoftwareEvent.PageFaultsMin, 100),
        (["major-faults"], PerfSoftwareEvent.PageFaultsMaj, 1),
        (["alignment-faults"], PerfSoftwareEvent.AlignmentFaults, 1),
        (["emulation-faults"], PerfSoftwareEvent.EmulationFaults, 1),
        (["dummy"], PerfSoftwareEvent.Dummy, 1),
        (["bpf-output"], PerfSoftwareEvent.BpfOutput, 1),
    ];

    public IReadOnlyList<string> Names { get; } = ["software", "s"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        if (parts.Length is < 2 or > 3) throw ProbeProviders.Error(node, "software probes take an event and an optional count: software:page-faults:100");
        var entry = Events.FirstOrDefault(e => e.Names.Contains(parts[1]));
        if (entry.Names is null) throw ProbeProviders.Error(node, $"unknown software event '{parts[1]}'");
        var count = parts.Length == 3 ? ProbeProviders.ParseNumber(node, parts[2], "count") : entry.DefaultCount;
        yield return new ResolvedProbe(ProbeKind.Software, $"software:{parts[1]}:{(parts.Length == 3 ? parts[2] : "")}", "", parts[1]) { Number = count, Unit = ((ulong)entry.Event).ToString() };
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid) =>
        Bpf.Links.Attach.SoftwareEventOnEachCpu(program, (PerfSoftwareEvent)ulong.Parse(probe.Unit), 0, probe.Number, pid);
}
