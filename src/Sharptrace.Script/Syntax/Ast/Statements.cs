namespace Sharptrace.Script.Syntax.Ast;

/// <summary>The statement forms of the language.</summary>
internal abstract class Statement(SourceSpan span) : Node(span);

internal sealed class Block(SourceSpan span, IReadOnlyList<Statement> statements) : Statement(span)
{
    public IReadOnlyList<Statement> Statements { get; } = statements;
}

internal sealed class ExpressionStatement(Expression expression) : Statement(expression.Span)
{
    public Expression Expression { get; } = expression;
}

/// <summary><c>@m[k] = e</c>, <c>$x += e</c>: <see cref="Operator"/> is null for plain '='.</summary>
internal sealed class Assignment(SourceSpan span, Expression target, TokenKind? op, Expression value) : Statement(span)
{
    public Expression Target { get; } = target;
    public TokenKind? Operator { get; } = op;
    public Expression Value { get; } = value;
}

internal sealed class IfStatement(SourceSpan span, Expression condition, Block then, Statement? otherwise) : Statement(span)
{
    public Expression Condition { get; } = condition;
    public Block Then { get; } = then;
    public Statement? Else { get; } = otherwise;
}

internal sealed class UnrollStatement(SourceSpan span, Expression count, Block body) : Statement(span)
{
    public Expression Count { get; } = count;
    public Block Body { get; } = body;
}

internal sealed class WhileStatement(SourceSpan span, Expression condition, Block body) : Statement(span)
{
    public Expression Condition { get; } = condition;
    public Block Body { get; } = body;
}

/// <summary>break, continue, return.</summary>
internal sealed class JumpStatement(SourceSpan span, TokenKind kind) : Statement(span)
{
    public TokenKind Kind { get; } = kind;
}
