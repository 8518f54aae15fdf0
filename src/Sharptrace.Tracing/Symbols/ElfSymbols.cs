using System.Buffers.Binary;
using Sharptrace.Bpf.Elf;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// The function symbols of one ELF binary (.symtab and .dynsym; from a separate debug file found
/// by build-id or .gnu_debuglink under /usr/lib/debug when the binary is stripped), and the
/// PT_LOAD segments that turn a file offset seen in a mapping into the address symbols use.
/// Loading maps the file and reads only its symbol tables into a <see cref="CompactSymbolTable"/>:
/// names stay bytes until an address asks for one, and are demangled (C++, Rust) as perf shows them.
/// </summary>
public sealed class ElfSymbols
{
    private const int FunctionType = 2, IndirectFunctionType = 10;

    private readonly CompactSymbolTable table;
    private readonly ElfSegment[] loads;

    private ElfSymbols(string path, CompactSymbolTable table, ElfSegment[] loads, string? debugFile)
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

    /// <summary>The bytes the symbols hold in memory.</summary>
    public long MemoryBytes => table.MemoryBytes;

    /// <summary>Loads the symbols of <paramref name="path"/>; throws for unreadable or malformed files.</summary>
    public static ElfSymbols Load(string path, string debugRoot = "/usr/lib/debug")
    {
        using var mapped = MappedFile.Open(path);
        var elf = ElfFile.Parse(mapped.Memory, path);
        var loads = elf.Segments.Where(s => s.Type == ElfSegmentType.Load).ToArray();
        var builder = new CompactSymbolTable.Builder();
        var strings = new MemoryStream();
        var found = AddFunctions(elf, ElfSectionType.SymbolTable, builder, strings);
        string? debugFile = null;
        if (found == 0 && FindDebugFile(elf, path, debugRoot) is { } debug)
        {
            try
            {
                using var debugMapped = MappedFile.Open(debug);
                if (AddFunctions(ElfFile.Parse(debugMapped.Memory, debug), ElfSectionType.SymbolTable, builder, strings) > 0) debugFile = debug;
            }
            catch (Exception e) when (e is ElfFormatException or IOException or UnauthorizedAccessException) { }
        }
        AddFunctions(elf, ElfSectionType.DynamicSymbolTable, builder, strings);
        return new ElfSymbols(path, builder.Build(strings.ToArray(), demangle: true), loads, debugFile);
    }

    /// <summary>The symbols of an ELF image held in memory (the vDSO, read from our own address space); <paramref name="name"/> names it.</summary>
    public static ElfSymbols Parse(ReadOnlyMemory<byte> image, string name)
    {
        var elf = ElfFile.Parse(image, name);
        var builder = new CompactSymbolTable.Builder();
        var strings = new MemoryStream();
        AddFunctions(elf, ElfSectionType.SymbolTable, builder, strings);
        AddFunctions(elf, ElfSectionType.DynamicSymbolTable, builder, strings);
        return new ElfSymbols(name, builder.Build(strings.ToArray(), demangle: true), elf.Segments.Where(s => s.Type == ElfSegmentType.Load).ToArray(), null);
    }

    // Adds the defined functions of every table of one type, appending the string table each one
    // links to (copied: the file is unmapped after the load) and shifting name offsets to match.
    private static int AddFunctions(ElfFile elf, ElfSectionType type, CompactSymbolTable.Builder builder, MemoryStream strings)
    {
        var added = 0;
        var sections = elf.Sections;
        var is64 = elf.Header.Is64Bit;
        var big = elf.Header.IsBigEndian;
        var minimum = is64 ? 24 : 16;
        foreach (var table in sections)
        {
            if (table.Type != type) continue;
            var entrySize = table.EntrySize == 0 ? (ulong)minimum : table.EntrySize;
            if (entrySize < (ulong)minimum || entrySize > 4096)
                throw new ElfFormatException($"symbol table '{table.Name}' has entry size {table.EntrySize}", (long)table.Offset, elf.Path);
            if (table.Link >= sections.Count || !sections[(int)table.Link].HasFileData)
                throw new ElfFormatException($"symbol table '{table.Name}' links to section {table.Link}, not a string table", (long)table.Offset, elf.Path);
            var names = elf.GetSectionData(sections[(int)table.Link]).Span;
            var symbols = elf.GetSectionData(table).Span;
            var count = (int)((ulong)symbols.Length / entrySize);
            var stringBase = (uint)strings.Length;
            var used = false;
            for (var i = 0; i < count; i++)
            {
                var e = symbols.Slice(i * (int)entrySize, minimum);
                var info = e[is64 ? 4 : 12];
                var kind = info & 0xf;
                if (kind is not (FunctionType or IndirectFunctionType)) continue;
                var section = Read16(e, is64 ? 6 : 14, big);
                var nameOffset = Read32(e, 0, big);
                if (section == 0 || nameOffset == 0 || nameOffset >= (uint)names.Length || names[(int)nameOffset] == 0) continue;
                var value = is64 ? Read64(e, 8, big) : Read32(e, 4, big);
                if (value == 0) continue;
                var size = is64 ? Read64(e, 16, big) : Read32(e, 8, big);
                builder.Add(value, size, stringBase + nameOffset, rank: Rank(info >> 4, names[(int)nameOffset..]));
                used = true;
                added++;
            }
            if (used) strings.Write(names);
        }
        return added;
    }

    // Global and weak names before local aliases, then the fewest leading underscores (perf's choice).
    private static byte Rank(int binding, ReadOnlySpan<byte> name)
    {
        var underscores = 0;
        while (underscores < 3 && underscores < name.Length && name[underscores] == (byte)'_') underscores++;
        return (byte)((binding == 0 ? 4 : 0) + underscores);
    }

    private static ushort Read16(ReadOnlySpan<byte> s, int at, bool big) => big ? BinaryPrimitives.ReadUInt16BigEndian(s[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(s[at..]);

    private static uint Read32(ReadOnlySpan<byte> s, int at, bool big) => big ? BinaryPrimitives.ReadUInt32BigEndian(s[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    private static ulong Read64(ReadOnlySpan<byte> s, int at, bool big) => big ? BinaryPrimitives.ReadUInt64BigEndian(s[at..]) : BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);

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
        var index = table.IndexOf(ToAddress(fileOffset));
        if (index < 0)
        {
            (name, offset) = ("", 0);
            return false;
        }
        name = table.NameAt(index);
        offset = ToAddress(fileOffset) - table.StartAt(index);
        return true;
    }

    /// <summary>The symbol at a file offset, its name left to be decoded when asked for; false when none covers it.</summary>
    internal bool TryResolveFileOffset(ulong fileOffset, string module, SymbolKind kind, out ResolvedSymbol symbol)
    {
        var address = ToAddress(fileOffset);
        var index = table.IndexOf(address);
        symbol = index < 0 ? default : new ResolvedSymbol(table, index, address - table.StartAt(index), module, kind);
        return index >= 0;
    }

    private ulong ToAddress(ulong fileOffset)
    {
        foreach (var load in loads)
            if (fileOffset >= load.Offset && fileOffset - load.Offset < Math.Max(load.FileSize, load.MemorySize))
                return fileOffset - load.Offset + load.VirtualAddress;
        return fileOffset;
    }
}
