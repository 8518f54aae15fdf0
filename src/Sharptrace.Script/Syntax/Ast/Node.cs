namespace Sharptrace.Script.Syntax.Ast;

/// <summary>Every AST node knows the source it came from, so any pass can point a diagnostic at it.</summary>
internal abstract class Node(SourceSpan span)
{
    public SourceSpan Span { get; } = span;
}
