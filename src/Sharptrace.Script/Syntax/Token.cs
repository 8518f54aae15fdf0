namespace Sharptrace.Script.Syntax;

/// <summary>One token: its kind, where it is, its text; integers carry their value, strings their unescaped text.</summary>
internal readonly record struct Token(TokenKind Kind, SourceSpan Span, string Text, ulong Value = 0)
{
    public override string ToString() => Kind == TokenKind.End ? "end of input" : $"'{Text}'";
}
