using System.Globalization;
using Sharptrace.Bpf.Programs;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>kprobe:FUNCTION[+OFFSET] and kretprobe:FUNCTION; wildcards from available_filter_functions.</summary>
internal sealed class KprobeProvider(bool isReturn) : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = isReturn ? ["kretprobe", "kr"] : ["kprobe", "k"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        // A module named before the function is ignored: the kernel finds the symbol.
        var target = ProbeProviders.KernelFunctionPart(node, parts, "do_nanosleep");
        ulong offset = 0;
        var plus = target.IndexOf('+');
        if (plus > 0)
        {
            if (isReturn) throw ProbeProviders.Error(node, "kretprobe probes take no offset");
            var text = target[(plus + 1)..];
            var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(text.AsSpan(2), NumberStyles.HexNumber, null, out offset)
                : ulong.TryParse(text, out offset);
            if (!ok) throw ProbeProviders.Error(node, $"invalid kprobe offset '{text}'");
            target = target[..plus];
        }
        var kind = isReturn ? ProbeKind.Kretprobe : ProbeKind.Kprobe;
        if (!ProbeProviders.HasWildcard(target))
        {
            yield return new ResolvedProbe(kind, $"{Names[0]}:{target}{(offset > 0 ? $"+{offset}" : "")}", "", target) { Number = offset };
            yield break;
        }
        var functions = KernelFunctions().Where(f => ProbeProviders.Matches(target, f)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (functions.Count == 0) throw ProbeProviders.Error(node, $"no kernel function matches '{target}'");
        foreach (var function in functions) yield return new ResolvedProbe(kind, $"{Names[0]}:{function}", "", function);
    }

    /// <summary>Traceable kernel functions (the kprobe blacklist is the kernel's to enforce).</summary>
    public static IEnumerable<string> KernelFunctions()
    {
        string[] lines;
        // Kernels without the function tracer have the file but refuse to open it.
        try { lines = File.ReadAllLines(Kernel.TraceFs.PathOf("available_filter_functions")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Kernel.TraceFsUnavailableException) { yield break; }
        foreach (var line in lines)
        {
            var end = line.IndexOf(' ');
            yield return end < 0 ? line : line[..end];
        }
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid) =>
        Bpf.Links.Attach.Kprobe(program, probe.Function, probe.Number, probe.IsReturn);
}
