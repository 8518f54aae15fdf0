namespace Sharptrace.Script.Syntax.Ast;

/// <summary>The root: C struct definitions from the preamble, then the probes in source order.</summary>
internal sealed class ScriptProgram(SourceText source, IReadOnlyList<StructDefinition> structs, IReadOnlyList<Probe> probes)
    : Node(new SourceSpan(0, source.Text.Length))
{
    public SourceText Source { get; } = source;
    public IReadOnlyList<StructDefinition> Structs { get; } = structs;
    public IReadOnlyList<Probe> Probes { get; } = probes;
}

/// <summary><c>kprobe:a, kprobe:b /pred/ { … }</c>.</summary>
internal sealed class Probe(SourceSpan span, IReadOnlyList<AttachPointNode> attachPoints, Expression? predicate, Block body) : Node(span)
{
    public IReadOnlyList<AttachPointNode> AttachPoints { get; } = attachPoints;
    public Expression? Predicate { get; } = predicate;
    public Block Body { get; } = body;
}

/// <summary>An attach point as written; the probe providers split and check it.</summary>
internal sealed class AttachPointNode(SourceSpan span, string text) : Node(span)
{
    public string Text { get; } = text;
}

/// <summary><c>struct name { type field; … }</c> in the preamble.</summary>
internal sealed class StructDefinition(SourceSpan span, string name, IReadOnlyList<(TypeName Type, string Name)> fields) : Node(span)
{
    public string Name { get; } = name;
    public IReadOnlyList<(TypeName Type, string Name)> Fields { get; } = fields;
}

/// <summary>A C type as written in a cast or sizeof: <c>uint32</c>, <c>struct task_struct *</c>, <c>char[16]</c>.</summary>
internal sealed class TypeName(SourceSpan span, string name, int pointerDepth, int? arrayLength = null) : Node(span)
{
    public string Name { get; } = name;
    public int PointerDepth { get; } = pointerDepth;
    public int? ArrayLength { get; } = arrayLength;

    public override string ToString() => Name + (PointerDepth > 0 ? " " + new string('*', PointerDepth) : "") + (ArrayLength is { } n ? $"[{n}]" : "");
}
