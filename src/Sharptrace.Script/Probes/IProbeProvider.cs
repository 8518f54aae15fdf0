using Sharptrace.Bpf.Programs;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Probes;

/// <summary>
/// One probe type (as ply's providers): splits and checks its attach points, expands wildcards into
/// concrete probes, and attaches a loaded program to each. Errors are <see cref="Diagnostics.ScriptException"/>
/// pointing at the attach point.
/// </summary>
internal interface IProbeProvider
{
    /// <summary>Full name and short alias: "tracepoint", "t".</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The concrete probes an attach point (split at ':') stands for.</summary>
    IEnumerable<ResolvedProbe> Resolve(AttachPointNode node, string[] parts);

    /// <summary>Attaches; the result detaches on Dispose. BEGIN/END return null: the runtime runs them itself.</summary>
    IDisposable? Attach(BpfProgram program, ResolvedProbe probe, int pid);
}
