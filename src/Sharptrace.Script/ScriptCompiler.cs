using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Probes;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script;

/// <summary>The front-end pipeline: parse, then the semantic pass; the first error comes back as a rendered diagnostic.</summary>
internal static class ScriptCompiler
{
    /// <summary>Parses only (for tests and fuzzing): the AST or the rendered error.</summary>
    public static (ScriptProgram? Program, string? Error) Parse(SourceText source)
    {
        try { return (Parser.Parse(source), null); }
        catch (ScriptException e) { return (null, DiagnosticRenderer.Render(source, e.Diagnostic)); }
    }

    /// <summary>Parses and checks; <paramref name="pid"/> is the -p process (usdt probes are looked up in it), -1 for none.</summary>
    public static (CheckedScript? Script, string? Error) Compile(SourceText source, IReadOnlyList<string> positionals,
        Func<AttachPointNode, IEnumerable<ResolvedProbe>>? resolve = null, bool allowUnsafe = false, int pid = -1)
    {
        resolve ??= node => ProbeProviders.Resolve(node, pid);
        try
        {
            var program = Parser.Parse(source);
            return (TypeChecker.Check(program, positionals, resolve, allowUnsafe), null);
        }
        catch (ScriptException e) { return (null, DiagnosticRenderer.Render(source, e.Diagnostic)); }
    }
}
