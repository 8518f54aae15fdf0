namespace Sharptrace.Tracing.Symbols;

/// <summary>What an address is: a symbol and the offset into it, the module (dso) it lives in, and its kind.</summary>
/// <param name="Name">The symbol, or null when the module is known but the address has no symbol.</param>
/// <param name="Offset">Bytes from the symbol's start.</param>
/// <param name="Module">The dso as perf names it: a path, "[kernel.kallsyms]", "[ext4]", "[unknown]", "[JIT] tid 42"-like perf-map names.</param>
/// <param name="Kind">Kernel, user, JIT or unknown.</param>
public readonly record struct ResolvedSymbol(string? Name, ulong Offset, string Module, SymbolKind Kind)
{
    // A symbol of a binary's table keeps (table, index) and decodes and demangles its name only
    // when something asks for it (once per symbol, cached by the table): resolving a profile's
    // every frame then costs no string work for frames that are never shown. One field holds
    // either the name or the table, so the struct stays 40 bytes (the resolve cache holds 16k).
    private readonly object? nameOrTable = Name;
    private readonly int index;

    /// <summary>A symbol whose name is read from <paramref name="table"/> on first use.</summary>
    internal ResolvedSymbol(CompactSymbolTable table, int index, ulong offset, string module, SymbolKind kind)
        : this(null, offset, module, kind)
    {
        nameOrTable = table;
        this.index = index;
    }

    /// <summary>The symbol name (demangled), or null when the module is known but the address has no symbol.</summary>
    public string? Name
    {
        get => nameOrTable is CompactSymbolTable table ? table.NameAt(index) : (string?)nameOrTable;
        init => nameOrTable = value;
    }

    /// <summary>True when the address has a symbol (without decoding its name).</summary>
    public bool HasName => nameOrTable is not null;

    /// <summary>The unresolvable address.</summary>
    public static ResolvedSymbol Unknown { get; } = new(null, 0, "[unknown]", SymbolKind.Unknown);

    /// <summary>
    /// For an address without a symbol: the address (absolute), or inside a binary its address
    /// relative to the binary, as perf report prints it; 0 for named symbols (so equal symbols
    /// stay equal whatever the address).
    /// </summary>
    public ulong Address { get; init; }

    /// <summary>The symbol name; for an unnamed address the raw address as perf prints it ("0x00000000000a1234"), else "[unknown]".</summary>
    public string DisplayName => Name ?? (Address != 0 ? $"0x{Address:x16}" : "[unknown]");

    /// <summary>The module's short name (file name of a path), as perf report's Shared Object column.</summary>
    public string ShortModule => Module.StartsWith('/') ? Path.GetFileName(Module) : Module;

    /// <summary>"name+0x1a", or "[unknown]", as bpftrace's ksym/usym with offsets.</summary>
    public override string ToString() => Name is null ? "[unknown]" : Offset == 0 ? Name : $"{Name}+0x{Offset:x}";
}
