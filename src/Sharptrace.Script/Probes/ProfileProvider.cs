using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>profile:UNIT:N: a cpu-clock sampling timer on every online CPU.</summary>
internal sealed class ProfileProvider : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = ["profile", "p"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        var (unit, number) = IntervalProvider.TimerParts(node, parts, "profile");
        yield return new ResolvedProbe(ProbeKind.Profile, $"profile:{unit}:{number}", "", "") { Unit = unit, Number = number };
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid)
    {
        var (period, frequency) = IntervalProvider.Timing(probe);
        return Bpf.Links.Attach.SoftwareEventOnEachCpu(program, PerfSoftwareEvent.CpuClock, frequency, period, pid);
    }
}
