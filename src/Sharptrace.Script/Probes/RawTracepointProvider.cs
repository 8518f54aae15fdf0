using Sharptrace.Bpf.Programs;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>rawtracepoint:NAME: the tracepoint's raw arguments as arg0..N.</summary>
internal sealed class RawTracepointProvider : IProbeProvider
{
    public IReadOnlyList<string> Names { get; } = ["rawtracepoint", "rt"];

    public IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts)
    {
        // bpftrace 0.17 writes rawtracepoint:NAME; a module part (rawtracepoint:mod:NAME) came later.
        var name = parts.Length switch { 2 => parts[1], 3 => parts[2], _ => "" };
        if (name.Length == 0) throw ProbeProviders.Error(node, "rawtracepoint probes take a tracepoint name: rawtracepoint:sched_switch");
        if (ProbeProviders.HasWildcard(name)) throw ProbeProviders.Error(node, "wildcards are not supported for rawtracepoint probes");
        yield return new ResolvedProbe(ProbeKind.RawTracepoint, $"rawtracepoint:{name}", "", name);
    }

    public IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid) => Bpf.Links.Attach.RawTracepoint(program, probe.Function);
}
