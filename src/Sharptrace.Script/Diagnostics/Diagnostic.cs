using Sharptrace.Script.Syntax;

namespace Sharptrace.Script.Diagnostics;

/// <summary>One problem found in a script, pointing at the source that caused it.</summary>
internal sealed record Diagnostic(SourceSpan Span, string Message, bool IsWarning = false)
{
    /// <summary>An extra line shown under the source excerpt (e.g. "did you mean …").</summary>
    public string? Hint { get; init; }
}
