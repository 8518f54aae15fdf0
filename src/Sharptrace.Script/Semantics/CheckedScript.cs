using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Probes;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Semantics;

/// <summary>The result of the semantic pass: probes expanded, every expression typed, maps and printf formats known.</summary>
internal sealed class CheckedScript(ScriptProgram program, IReadOnlyList<(Probe Probe, ResolvedProbe Resolved)> programs,
    IReadOnlyDictionary<string, MapInfo> maps, IReadOnlyList<PrintfFormat> printfs, IReadOnlyDictionary<Call, int> printfIds,
    IReadOnlyList<string> positionals)
{
    public ScriptProgram Program { get; } = program;
    public IReadOnlyList<(Probe Probe, ResolvedProbe Resolved)> Programs { get; } = programs;
    public IReadOnlyDictionary<string, MapInfo> Maps { get; } = maps;
    public IReadOnlyList<PrintfFormat> Printfs { get; } = printfs;
    public IReadOnlyDictionary<Call, int> PrintfIds { get; } = printfIds;
    public IReadOnlyList<string> Positionals { get; } = positionals;

    /// <summary>What the checker let pass but the user should hear of (attach points left out).</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>Whether the programs need the kernel or user stack trace map.</summary>
    public bool UsesKernelStacks { get; init; }

    public bool UsesUserStacks { get; init; }

    /// <summary>The structs the script defines, laid out.</summary>
    public IReadOnlyDictionary<string, ScriptStruct> Structs { get; init; } = new Dictionary<string, ScriptStruct>();

    /// <summary>Probes attached for real (BEGIN/END are run, not attached), as bpftrace counts them in "Attaching N probes...".</summary>
    public int ProbeCount => Programs.Count;
}
