using Sharptrace.Bpf.Elf;

namespace Sharptrace.Script.Semantics;

/// <summary>
/// uaddr("name"): a symbol's address in the probed binary, read from its ELF symbol tables at compile
/// time. Like bpftrace 0.17 this is the symbol's link-time value, so for a position-independent
/// executable it is relative to the load address.
/// </summary>
internal static class UserSymbolAddress
{
    /// <summary>(address, size) of a defined symbol, or null when the binary lacks it or is unreadable.</summary>
    public static (ulong Address, ulong Size)? Find(string binary, string name)
    {
        try
        {
            var elf = ElfFile.Load(binary);
            foreach (var symbol in elf.Symbols.Concat(elf.DynamicSymbols))
                if (symbol.IsDefined && symbol.Name == name) return (symbol.Value, symbol.Size);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ElfFormatException or ArgumentException) { } // ArgumentException: an empty path (the fuzzer found "uprobe::…")
        return null;
    }
}
