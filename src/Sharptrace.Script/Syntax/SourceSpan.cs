namespace Sharptrace.Script.Syntax;

/// <summary>A range of characters in the script, carried by every token and AST node.</summary>
internal readonly record struct SourceSpan(int Start, int Length)
{
    public int End => Start + Length;

    /// <summary>The smallest span covering both.</summary>
    public SourceSpan To(SourceSpan other)
    {
        var start = Math.Min(Start, other.Start);
        return new SourceSpan(start, Math.Max(End, other.End) - start);
    }
}
