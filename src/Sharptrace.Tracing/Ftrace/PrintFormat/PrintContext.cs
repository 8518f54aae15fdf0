namespace Sharptrace.Tracing.Ftrace.PrintFormat;

/// <summary>What evaluating a print fmt needs beyond the record: a way to name kernel addresses (for %ps/%pS).</summary>
public sealed class PrintContext
{
    /// <summary>No symbols: addresses print in hex.</summary>
    public static PrintContext Default { get; } = new(null);

    /// <summary>Creates a context resolving addresses with <paramref name="symbolize"/> (name and offset, or null).</summary>
    public PrintContext(Func<ulong, (string Name, ulong Offset)?>? symbolize) => Symbolize = symbolize;

    /// <summary>Address → symbol name and offset into it; null when unknown.</summary>
    public Func<ulong, (string Name, ulong Offset)?>? Symbolize { get; }
}
