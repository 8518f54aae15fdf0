using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>interval:UNIT:N: a cpu-clock timer on one CPU (as bpftrace), firing every N units or N times a second (hz).</summary>
internal sealed class IntervalProvider : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = ["interval", "i"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        var (unit, number) = TimerParts(node, parts, "interval");
        yield return new ResolvedProbe(ProbeKind.Interval, $"interval:{unit}:{number}", "", "") { Unit = unit, Number = number };
    }

    /// <summary>"s:1", "ms:100", "hz:99", or bpftrace's short "1s"-less form "interval:1" (seconds is not allowed there).</summary>
    public static (string Unit, ulong Number) TimerParts(AttachPointNode node, string[] parts, string provider)
    {
        if (parts.Length != 3)
            throw ProbeProviders.Error(node, $"{provider} probes take a unit and a number: {provider}:s:1, {provider}:ms:100, {provider}:hz:99");
        var unit = parts[1];
        if (unit is not ("s" or "ms" or "us" or "hz"))
            throw ProbeProviders.Error(node, $"invalid {provider} unit '{unit}': expected s, ms, us or hz");
        return (unit, ProbeProviders.ParseNumber(node, parts[2], $"{provider} number"));
    }

    /// <summary>The perf_event period in nanoseconds (cpu-clock counts ns), or the frequency for hz.</summary>
    public static (ulong Period, ulong Frequency) Timing(ResolvedProbe probe) => probe.Unit switch
    {
        "s" => (probe.Number * 1_000_000_000, 0),
        "ms" => (probe.Number * 1_000_000, 0),
        "us" => (probe.Number * 1_000, 0),
        _ => (0, probe.Number),
    };

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid)
    {
        var (period, frequency) = Timing(probe);
        var attr = new PerfEventAttr
        {
            Type = PerfType.Software,
            Config = (ulong)PerfSoftwareEvent.CpuClock,
            SamplePeriodOrFreq = frequency != 0 ? frequency : period,
            Flags = frequency != 0 ? PerfEventFlags.Freq : PerfEventFlags.None,
        };
        var what = $"interval timer {probe.FullName}";
        var perf = PerfEvent.Open(ref attr, -1, 0, what);
        return Bpf.Links.Attach.AttachToPerfEvent(program, perf, what);
    }
}
