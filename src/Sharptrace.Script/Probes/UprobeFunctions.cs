using Sharptrace.Bpf.Elf;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Script.Probes;

/// <summary>
/// The functions a uprobe can name in a binary: its .symtab and .dynsym, and, for a stripped binary,
/// the .symtab of its separate debug file (/usr/lib/debug, by build-id or .gnu_debuglink), as
/// bpftrace finds them through bcc. A debug file's addresses are the binary's: the offsets come
/// from the binary's own segments.
/// </summary>
internal static class UprobeFunctions
{
    /// <summary>The defined functions matching <paramref name="pattern"/>, sorted as bpftrace lists them.</summary>
    /// <exception cref="ElfFormatException">The file is not a usable ELF binary.</exception>
    public static IEnumerable<string> Matching(string path, string pattern)
    {
        var elf = ElfFile.Load(path);
        // As bpftrace: compiler-made local copies (foo.part.0, foo.cold, foo.isra.0) are left out.
        return Candidates(elf, path).Where(s => !s.Name.Contains('.') && ProbeProviders.Matches(pattern, s.Name))
            .Select(s => s.Name).Distinct().Order(StringComparer.Ordinal);
    }

    /// <summary>The uprobe file offset of <paramref name="function"/>.</summary>
    /// <exception cref="SymbolNotFoundException">Not a defined function of the binary or of its debug file (the binary's reason).</exception>
    /// <exception cref="ElfFormatException">The file is not a usable ELF binary.</exception>
    public static ulong Offset(string path, string function)
    {
        var elf = ElfFile.Load(path);
        try { return elf.GetUprobeOffset(function); }
        catch (SymbolNotFoundException) when (DebugSymbols(elf, path).FirstOrDefault(s => s.Name == function && s.IsDefinedFunction) is { Name: not null } symbol
                                              && elf.TryGetFileOffset(symbol.Value, out _))
        {
            return elf.GetFileOffset(symbol);
        }
    }

    private static IEnumerable<ElfSymbol> Candidates(ElfFile elf, string path) =>
        elf.Symbols.Concat(elf.DynamicSymbols).Concat(DebugSymbols(elf, path))
            .Where(s => s.IsDefinedFunction && elf.TryGetFileOffset(s.Value, out _));

    /// <summary>The debug file's .symtab when the binary has none; nothing when there is no usable debug file.</summary>
    private static IReadOnlyList<ElfSymbol> DebugSymbols(ElfFile elf, string path)
    {
        if (elf.Symbols.Count > 0 || ElfSymbols.FindDebugFile(elf, path) is not { } debug) return [];
        try { return ElfFile.Load(debug).Symbols; }
        catch (Exception e) when (e is ElfFormatException or IOException or UnauthorizedAccessException) { return []; }
    }
}
