using Sharptrace.Script.Semantics;

namespace Sharptrace.Script.Syntax.Ast;

/// <summary>An expression; the semantic pass fills in <see cref="Type"/>.</summary>
internal abstract class Expression(SourceSpan span) : Node(span)
{
    public ScriptType Type { get; set; } = ScriptType.None;
}

internal sealed class IntegerLiteral(SourceSpan span, ulong value) : Expression(span)
{
    public ulong Value { get; } = value;
}

internal sealed class StringLiteral(SourceSpan span, string value) : Expression(span)
{
    public string Value { get; } = value;
}

/// <summary>A bare name: a builtin (pid, comm, arg0, args) or, in a cast, nothing else.</summary>
internal sealed class Identifier(SourceSpan span, string name) : Expression(span)
{
    public string Name { get; } = name;

    /// <summary>For kernel constants (TASK_RUNNING, enum values from BTF): their value.</summary>
    public long? Constant { get; set; }
}

internal sealed class Variable(SourceSpan span, string name) : Expression(span)
{
    public string Name { get; } = name;
}

/// <summary><c>$1</c> (Index ≥ 1) or <c>$#</c> (Index 0, IsCount).</summary>
internal sealed class PositionalParameter(SourceSpan span, int index, bool isCount) : Expression(span)
{
    public int Index { get; } = index;
    public bool IsCount { get; } = isCount;
}

/// <summary><c>@name</c> or <c>@name[k1, k2]</c>; several keys are kept as they were written.</summary>
internal sealed class MapAccess(SourceSpan span, string name, IReadOnlyList<Expression> keys) : Expression(span)
{
    public string Name { get; } = name;
    public IReadOnlyList<Expression> Keys { get; } = keys;
}

internal sealed class Call(SourceSpan span, string name, SourceSpan nameSpan, IReadOnlyList<Expression> arguments) : Expression(span)
{
    public string Name { get; } = name;
    public SourceSpan NameSpan { get; } = nameSpan;
    public IReadOnlyList<Expression> Arguments { get; } = arguments;
}

internal sealed class Binary(SourceSpan span, TokenKind op, Expression left, Expression right) : Expression(span)
{
    public TokenKind Operator { get; } = op;
    public Expression Left { get; } = left;
    public Expression Right { get; } = right;
}

/// <summary>Prefix - ! ~ * &amp;.</summary>
internal sealed class Unary(SourceSpan span, TokenKind op, Expression operand) : Expression(span)
{
    public TokenKind Operator { get; } = op;
    public Expression Operand { get; } = operand;
}

/// <summary><c>x++</c>, <c>--@m[k]</c>: only variables and maps.</summary>
internal sealed class IncrementDecrement(SourceSpan span, bool increment, bool prefix, Expression target) : Expression(span)
{
    public bool Increment { get; } = increment;
    public bool Prefix { get; } = prefix;
    public Expression Target { get; } = target;
}

internal sealed class Ternary(SourceSpan span, Expression condition, Expression whenTrue, Expression whenFalse) : Expression(span)
{
    public Expression Condition { get; } = condition;
    public Expression WhenTrue { get; } = whenTrue;
    public Expression WhenFalse { get; } = whenFalse;
}

/// <summary><c>e.field</c> or <c>e->field</c>.</summary>
internal sealed class FieldAccess(SourceSpan span, Expression target, string field, bool arrow) : Expression(span)
{
    public Expression Target { get; } = target;
    public string Field { get; } = field;
    public bool Arrow { get; } = arrow;

    /// <summary>Byte offset of a struct member, set by the semantic pass from BTF.</summary>
    public int MemberOffset { get; set; }

    /// <summary>For a bitfield: its first bit within the byte at <see cref="MemberOffset"/> and its width (0 otherwise).</summary>
    public (int Shift, int Width) Bits { get; set; }

    /// <summary>The tracepoint format field an <c>args.NAME</c> access reads, set by the semantic pass.</summary>
    public Tracing.TraceFs.EventField? TracepointField { get; set; }
}

internal sealed class IndexAccess(SourceSpan span, Expression target, Expression index) : Expression(span)
{
    public Expression Target { get; } = target;
    public Expression Index { get; } = index;
}

internal sealed class Cast(SourceSpan span, TypeName typeName, Expression operand) : Expression(span)
{
    public TypeName TypeName { get; } = typeName;
    public Expression Operand { get; } = operand;
}

internal sealed class TupleExpression(SourceSpan span, IReadOnlyList<Expression> elements) : Expression(span)
{
    public IReadOnlyList<Expression> Elements { get; } = elements;
}

/// <summary><c>sizeof(type)</c> or <c>sizeof(expr)</c>; exactly one of the two is set.</summary>
internal sealed class SizeofExpression(SourceSpan span, TypeName? typeName, Expression? operand) : Expression(span)
{
    public TypeName? TypeName { get; } = typeName;
    public Expression? Operand { get; } = operand;
}
