namespace Sharptrace.Bpf.Elf;

/// <summary>A symbol asked for (e.g. a uprobe's function) is not defined in the binary.</summary>
public sealed class SymbolNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception naming the binary and the symbol, with an optional hint.</summary>
    public SymbolNotFoundException(string binary, string symbol, string? hint = null)
        : base($"symbol '{symbol}' not found in {binary}{(hint is null ? "" : $" ({hint})")}")
    {
        Binary = binary;
        Symbol = symbol;
    }

    /// <summary>The binary that was searched.</summary>
    public string Binary { get; }

    /// <summary>The symbol that was not found.</summary>
    public string Symbol { get; }
}
