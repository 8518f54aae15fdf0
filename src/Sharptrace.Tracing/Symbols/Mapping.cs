namespace Sharptrace.Tracing.Symbols;

/// <summary>A mapped region of a process: [Start, End) from FileOffset of Path (empty for anonymous memory).</summary>
public readonly record struct Mapping(ulong Start, ulong End, ulong FileOffset, string Path)
{
    /// <summary>True for memory with no file behind it (heap, JIT code), or a pseudo file like [vdso].</summary>
    public bool IsAnonymous => Path.Length == 0 || Path.StartsWith("//anon", StringComparison.Ordinal) || Path.StartsWith("[anon", StringComparison.Ordinal) || Path.StartsWith("/memfd:", StringComparison.Ordinal);
}
