using Sharptrace.Bpf.Elf;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// The function symbols of one ELF binary (.symtab, else .dynsym; from a separate debug file found
/// by build-id or .gnu_debuglink under /usr/lib/debug when the binary is stripped), and the
/// PT_LOAD segments that turn a file offset seen in a mapping into the address symbols use.
/// </summary>
public sealed class ElfSymbols
{
    private readonly SortedSymbolTable table;
    private readonly ElfSegment[] loads;

    private ElfSymbols(string path, SortedSymbolTable table, ElfSegment[] loads, string? debugFile)
    {
        Path = path;
        this.table = table;
        this.loads = loads;
        DebugFile = debugFile;
    }

    /// <summary>The binary.</summary>
    public string Path { get; }

    /// <summary>The separate debug file the symbols came from, or null.</summary>
    public string? DebugFile { get; }

    /// <summary>How many function symbols.</summary>
    public int Count => table.Count;

    /// <summary>Loads the symbols of <paramref name="path"/>; throws for unreadable or malformed files.</summary>
    public static ElfSymbols Load(string path, string debugRoot = "/usr/lib/debug")
    {
        var elf = ElfFile.Load(path);
        var loads = elf.Segments.Where(s => s.Type == ElfSegmentType.Load).ToArray();
        IReadOnlyList<ElfSymbol> symbols = elf.Symbols;
        string? debugFile = null;
        if (!symbols.Any(s => s.IsDefinedFunction) && FindDebugFile(elf, path, debugRoot) is { } debug)
        {
            try
            {
                symbols = ElfFile.Load(debug).Symbols;
                debugFile = debug;
            }
            catch (Exception e) when (e is ElfFormatException or IOException or UnauthorizedAccessException) { }
        }
        var entries = new List<(ulong, ulong, string, string?)>();
        foreach (var symbol in symbols.Concat(elf.DynamicSymbols))
        {
            if (symbol.IsDefinedFunction && symbol.Value != 0 && symbol.Name.Length > 0)
                entries.Add((symbol.Value, symbol.Size, symbol.Name, null));
        }
        return new ElfSymbols(path, new SortedSymbolTable(entries), loads, debugFile);
    }

    /// <summary>/usr/lib/debug/.build-id/ab/cdef….debug, or the .gnu_debuglink name beside the binary or under the debug root.</summary>
    public static string? FindDebugFile(ElfFile elf, string path, string debugRoot = "/usr/lib/debug")
    {
        if (elf.BuildId is { Length: > 2 } id)
        {
            var byId = System.IO.Path.Combine(debugRoot, ".build-id", id[..2], id[2..] + ".debug");
            if (File.Exists(byId)) return byId;
        }
        ElfDebugLink? link;
        try { link = elf.DebugLink; }
        catch (ElfFormatException) { return null; }
        if (link is null) return null;
        var dir = System.IO.Path.GetDirectoryName(path) ?? "/";
        foreach (var candidate in new[] { System.IO.Path.Combine(dir, link.Value.FileName), System.IO.Path.Combine(dir, ".debug", link.Value.FileName), debugRoot + System.IO.Path.Combine(dir, link.Value.FileName) })
            if (candidate != path && File.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>Resolves a file offset (address - mapping start + mapping offset) to a symbol of this binary.</summary>
    public bool TryResolveFileOffset(ulong fileOffset, out string name, out ulong offset)
    {
        var address = fileOffset;
        foreach (var load in loads)
        {
            if (fileOffset >= load.Offset && fileOffset - load.Offset < Math.Max(load.FileSize, load.MemorySize))
            {
                address = fileOffset - load.Offset + load.VirtualAddress;
                break;
            }
        }
        return table.TryFind(address, out name, out offset, out _);
    }
}
