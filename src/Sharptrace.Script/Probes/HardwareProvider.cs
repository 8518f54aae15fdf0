using Sharptrace.Bpf.Programs;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>hardware:EVENT[:COUNT]: needs a PMU; where /sys/bus/event_source/devices/cpu is absent we say so.</summary>
internal sealed class HardwareProvider : IProbeProvider
{
    private static readonly string[] Known =
        ["cpu-cycles", "cycles", "instructions", "cache-references", "cache-misses", "branch-instructions", "branches", "branch-misses", "bus-cycles", "frontend-stalls", "backend-stalls", "ref-cycles"];

    public IReadOnlyList<string> Names { get; } = ["hardware", "h"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        if (parts.Length is < 2 or > 3 || !Known.Contains(parts[1]))
            throw ProbeProviders.Error(node, $"unknown hardware event '{(parts.Length > 1 ? parts[1] : "")}'");
        if (!Directory.Exists("/sys/bus/event_source/devices/cpu"))
            throw ProbeProviders.Error(node, "hardware events are not available: this machine has no hardware PMU (no /sys/bus/event_source/devices/cpu)");
        throw ProbeProviders.Error(node, "hardware probes are not supported yet");
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid) => null;
}
