namespace Sharptrace.Tracing.Symbols;

/// <summary>What an address is: a symbol and the offset into it, the module (dso) it lives in, and its kind.</summary>
/// <param name="Name">The symbol, or null when the module is known but the address has no symbol.</param>
/// <param name="Offset">Bytes from the symbol's start.</param>
/// <param name="Module">The dso as perf names it: a path, "[kernel.kallsyms]", "[ext4]", "[unknown]", "[JIT] tid 42"-like perf-map names.</param>
/// <param name="Kind">Kernel, user, JIT or unknown.</param>
public readonly record struct ResolvedSymbol(string? Name, ulong Offset, string Module, SymbolKind Kind)
{
    /// <summary>The unresolvable address.</summary>
    public static ResolvedSymbol Unknown { get; } = new(null, 0, "[unknown]", SymbolKind.Unknown);

    /// <summary>The symbol name, or "[unknown]" as perf prints it.</summary>
    public string DisplayName => Name ?? "[unknown]";

    /// <summary>The module's short name (file name of a path), as perf report's Shared Object column.</summary>
    public string ShortModule => Module.StartsWith('/') ? Path.GetFileName(Module) : Module;

    /// <summary>"name+0x1a", or "[unknown]", as bpftrace's ksym/usym with offsets.</summary>
    public override string ToString() => Name is null ? "[unknown]" : Offset == 0 ? Name : $"{Name}+0x{Offset:x}";
}
