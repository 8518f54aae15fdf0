using System.Buffers.Binary;
using System.Text;

namespace Sharptrace.Bpf.Elf;

/// <summary>
/// A pure reader of ELF files (32 or 64-bit, either byte order): header, sections, segments,
/// symbols, notes, debug link, and the file offsets that uprobes take. Works from memory; every
/// table is bounds-checked when the file is parsed, so malformed input raises
/// <see cref="ElfFormatException"/> with the offset and never reads past the data.
/// </summary>
public sealed class ElfFile
{
    private const ulong SectionFlagAlloc = 2;
    private const ushort SectionIndexExtended = 0xffff;

    private readonly ReadOnlyMemory<byte> data;
    private readonly ElfSection[] sections;
    private readonly ElfSegment[] segments;
    private ElfSymbol[]? symbols;
    private ElfSymbol[]? dynamicSymbols;
    private ElfNote[]? notes;
    private ElfHeader header;

    private ElfFile(ReadOnlyMemory<byte> data, string? path)
    {
        this.data = data;
        Path = path;
        var span = data.Span;
        header = ReadHeader(span, path);
        sections = ReadSections(span);
        segments = ReadSegments(span);
    }

    /// <summary>The path the file was loaded from, or null when parsed from memory.</summary>
    public string? Path { get; }

    /// <summary>The path, or "(memory)", for messages.</summary>
    public string DisplayName => Path ?? "(memory)";

    /// <summary>The ELF header.</summary>
    public ElfHeader Header => header;

    /// <summary>The section headers in table order (index 0 is the null section).</summary>
    public IReadOnlyList<ElfSection> Sections => sections;

    /// <summary>The program headers in table order.</summary>
    public IReadOnlyList<ElfSegment> Segments => segments;

    /// <summary>The whole file.</summary>
    public ReadOnlyMemory<byte> Data => data;

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="ElfFormatException">Not an ELF file, or malformed.</exception>
    public static ElfFile Load(string path)
    {
        // Only a regular file's size is its content: /dev/zero (or a FIFO) named as a binary would
        // otherwise be read forever; such files report size 0.
        if (new FileInfo(path).Length == 0) throw new ElfFormatException("empty, or not a regular file", 0, path);
        return new(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses an ELF image held in memory; <paramref name="path"/> only names it in errors.</summary>
    /// <exception cref="ElfFormatException">Not an ELF file, or malformed.</exception>
    public static ElfFile Parse(ReadOnlyMemory<byte> data, string? path = null) => new(data, path);

    /// <summary>True when the bytes start with the ELF magic.</summary>
    public static bool HasElfMagic(ReadOnlySpan<byte> data) => data.Length >= 4 && data[..4].SequenceEqual("\u007fELF"u8);

    private ushort U16(ReadOnlySpan<byte> s, int at) =>
        Header.IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(s[at..]);

    private uint U32(ReadOnlySpan<byte> s, int at) =>
        Header.IsBigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    private ulong U64(ReadOnlySpan<byte> s, int at) =>
        Header.IsBigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s[at..]) : BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);

    private ulong Word(ReadOnlySpan<byte> s, int at) => Header.Is64Bit ? U64(s, at) : U32(s, at);

    private ElfFormatException Malformed(string problem, long offset) => new(problem, offset, Path);

    private ElfHeader ReadHeader(ReadOnlySpan<byte> s, string? path)
    {
        if (!HasElfMagic(s))
            throw new ElfFormatException("not an ELF file (no \\x7fELF magic)", 0, path);
        if (s.Length < 16)
            throw new ElfFormatException("truncated identification", 0, path);
        var is64 = s[4] switch
        {
            1 => false,
            2 => true,
            _ => throw new ElfFormatException($"unknown ELF class {s[4]}", 4, path),
        };
        var big = s[5] switch
        {
            1 => false,
            2 => true,
            _ => throw new ElfFormatException($"unknown data encoding {s[5]}", 5, path),
        };
        if (s[6] != 1)
            throw new ElfFormatException($"unknown ELF version {s[6]}", 6, path);
        var headerSize = is64 ? 64 : 52;
        if (s.Length < headerSize)
            throw new ElfFormatException($"{s.Length} bytes is shorter than the {headerSize}-byte ELF header", 0, path);

        // The accessors need the class and byte order: a provisional header carries them.
        header = new ElfHeader(is64, big, s[7], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var a = is64 ? 0 : -12; // 32-bit fields after e_version are 4 bytes narrower each
        var entry = Word(s, 24);
        var phoff = Word(s, is64 ? 32 : 28);
        var shoff = Word(s, is64 ? 40 : 32);
        var flags = U32(s, 48 + a);
        var phentsize = U16(s, 54 + a);
        int phnum = U16(s, 56 + a);
        var shentsize = U16(s, 58 + a);
        int shnum = U16(s, 60 + a);
        int shstrndx = U16(s, 62 + a);

        if (shoff != 0)
        {
            if (shentsize < SectionHeaderSize)
                throw new ElfFormatException($"section header entry size {shentsize} < {SectionHeaderSize}", 58 + a, path);
            if (shoff > (ulong)s.Length || (ulong)s.Length - shoff < shentsize)
                throw new ElfFormatException($"section header table at 0x{shoff:x} is outside the file", is64 ? 40 : 32, path);
            // Counts that do not fit in the header live in section 0 (ELF gABI "extended numbering").
            var section0 = s.Slice((int)shoff, shentsize);
            if (shnum == 0)
                shnum = (int)Math.Min(Word(section0, is64 ? 32 : 20), int.MaxValue);
            if (shstrndx == SectionIndexExtended)
                shstrndx = (int)U32(section0, is64 ? 40 : 24);
            if (phnum == 0xffff)
                phnum = (int)U32(section0, is64 ? 44 : 28);
        }
        else
        {
            shnum = 0;
        }
        if (phnum != 0 && phentsize < ProgramHeaderSize)
            throw new ElfFormatException($"program header entry size {phentsize} < {ProgramHeaderSize}", 54 + a, path);

        return new ElfHeader(is64, big, s[7], (ElfFileType)U16(s, 16), U16(s, 18), entry, phoff, shoff, flags,
            phentsize, phnum, shentsize, shnum, shstrndx);
    }

    private int SectionHeaderSize => Header.Is64Bit ? 64 : 40;

    private int ProgramHeaderSize => Header.Is64Bit ? 56 : 32;

    private int SymbolSize => Header.Is64Bit ? 24 : 16;

    private void CheckTable(ReadOnlySpan<byte> s, ulong offset, int count, int entrySize, string what, long fieldOffset)
    {
        if (count == 0)
            return;
        if (offset > (ulong)s.Length || ((ulong)s.Length - offset) / (ulong)entrySize < (ulong)count)
            throw Malformed($"{what} table of {count} x {entrySize} bytes at 0x{offset:x} runs past the {s.Length}-byte file", fieldOffset);
    }

    private ElfSection[] ReadSections(ReadOnlySpan<byte> s)
    {
        var h = Header;
        CheckTable(s, h.SectionHeaderOffset, h.SectionHeaderCount, h.SectionHeaderEntrySize, "section header", h.Is64Bit ? 40 : 32);
        var result = new ElfSection[h.SectionHeaderCount];
        var nameOffsets = new uint[result.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var at = (long)h.SectionHeaderOffset + (long)i * h.SectionHeaderEntrySize;
            var e = s.Slice((int)at, h.SectionHeaderEntrySize);
            var is64 = h.Is64Bit;
            nameOffsets[i] = U32(e, 0);
            var section = new ElfSection(i, "", (ElfSectionType)U32(e, 4), Word(e, 8),
                Word(e, is64 ? 16 : 12), Word(e, is64 ? 24 : 16), Word(e, is64 ? 32 : 20),
                U32(e, is64 ? 40 : 24), U32(e, is64 ? 44 : 28), Word(e, is64 ? 48 : 32), Word(e, is64 ? 56 : 36));
            if (section.HasFileData && (section.Offset > (ulong)s.Length || (ulong)s.Length - section.Offset < section.Size))
                throw Malformed($"section {i} [0x{section.Offset:x}, +0x{section.Size:x}) runs past the file", at);
            result[i] = section;
        }

        if (h.SectionNameTableIndex != 0 && result.Length > 0)
        {
            if (h.SectionNameTableIndex >= result.Length || !result[h.SectionNameTableIndex].HasFileData)
                throw Malformed($"section name table index {h.SectionNameTableIndex} is not a section with data", h.Is64Bit ? 62 : 50);
            var names = result[h.SectionNameTableIndex];
            for (var i = 0; i < result.Length; i++)
                result[i] = result[i] with { Name = ReadString(names, nameOffsets[i]) };
        }
        return result;
    }

    private ElfSegment[] ReadSegments(ReadOnlySpan<byte> s)
    {
        var h = Header;
        CheckTable(s, h.ProgramHeaderOffset, h.ProgramHeaderCount, h.ProgramHeaderEntrySize, "program header", h.Is64Bit ? 32 : 28);
        var result = new ElfSegment[h.ProgramHeaderCount];
        for (var i = 0; i < result.Length; i++)
        {
            var at = (long)h.ProgramHeaderOffset + (long)i * h.ProgramHeaderEntrySize;
            var e = s.Slice((int)at, h.ProgramHeaderEntrySize);
            var segment = h.Is64Bit
                ? new ElfSegment((ElfSegmentType)U32(e, 0), U32(e, 4), U64(e, 8), U64(e, 16), U64(e, 24), U64(e, 32), U64(e, 40), U64(e, 48))
                : new ElfSegment((ElfSegmentType)U32(e, 0), U32(e, 24), U32(e, 4), U32(e, 8), U32(e, 12), U32(e, 16), U32(e, 20), U32(e, 28));
            if (segment.FileSize != 0 && (segment.Offset > (ulong)s.Length || (ulong)s.Length - segment.Offset < segment.FileSize))
                throw Malformed($"segment {i} [0x{segment.Offset:x}, +0x{segment.FileSize:x}) runs past the file", at);
            result[i] = segment;
        }
        return result;
    }

    /// <summary>The first section called <paramref name="name"/>, or null.</summary>
    public ElfSection? FindSection(string name)
    {
        foreach (var section in sections)
        {
            if (section.Name == name)
                return section;
        }
        return null;
    }

    /// <summary>The file bytes of a section (empty for SHT_NOBITS).</summary>
    public ReadOnlyMemory<byte> GetSectionData(ElfSection section) =>
        section.HasFileData ? data.Slice((int)section.Offset, (int)section.Size) : ReadOnlyMemory<byte>.Empty;

    /// <summary>The file bytes of a segment.</summary>
    public ReadOnlyMemory<byte> GetSegmentData(ElfSegment segment) => data.Slice((int)segment.Offset, (int)segment.FileSize);

    private ReadOnlySpan<byte> StringBytes(ElfSection table, uint offset)
    {
        if (offset >= table.Size)
        {
            if (offset == 0)
                return default;
            throw Malformed($"string offset {offset} past the {table.Size}-byte string table '{table.Name}'", (long)table.Offset);
        }
        var rest = data.Span.Slice((int)(table.Offset + offset), (int)(table.Size - offset));
        var end = rest.IndexOf((byte)0);
        return end < 0 ? rest : rest[..end];
    }

    private string ReadString(ElfSection table, uint offset) => Encoding.UTF8.GetString(StringBytes(table, offset));

    /// <summary>Symbols of the .symtab section (empty when the binary is stripped).</summary>
    public IReadOnlyList<ElfSymbol> Symbols => symbols ??= ReadSymbols(ElfSectionType.SymbolTable);

    /// <summary>Symbols of the .dynsym section (the ones a shared library exports and imports).</summary>
    public IReadOnlyList<ElfSymbol> DynamicSymbols => dynamicSymbols ??= ReadSymbols(ElfSectionType.DynamicSymbolTable);

    private ElfSymbol[] ReadSymbols(ElfSectionType type)
    {
        var list = new List<ElfSymbol>();
        foreach (var table in sections)
        {
            if (table.Type != type)
                continue;
            var (strings, entrySize, count) = SymbolTableLayout(table);
            for (var i = 0; i < count; i++)
                list.Add(ReadSymbol(table, strings, entrySize, i, name: null));
        }
        return [.. list];
    }

    private (ElfSection Strings, int EntrySize, int Count) SymbolTableLayout(ElfSection table)
    {
        var entrySize = table.EntrySize == 0 ? (ulong)SymbolSize : table.EntrySize;
        if (entrySize < (ulong)SymbolSize || entrySize > 4096)
            throw Malformed($"symbol table '{table.Name}' has entry size {table.EntrySize}", (long)table.Offset);
        if (table.Link >= sections.Length || !sections[table.Link].HasFileData)
            throw Malformed($"symbol table '{table.Name}' links to section {table.Link}, not a string table", (long)table.Offset);
        return (sections[table.Link], (int)entrySize, (int)(table.Size / entrySize));
    }

    private ElfSymbol ReadSymbol(ElfSection table, ElfSection strings, int entrySize, int index, string? name)
    {
        var e = data.Span.Slice((int)table.Offset + index * entrySize, entrySize);
        var is64 = Header.Is64Bit;
        var info = e[is64 ? 4 : 12];
        var other = e[is64 ? 5 : 13];
        var sectionIndex = U16(e, is64 ? 6 : 14);
        var value = Word(e, is64 ? 8 : 4);
        var size = Word(e, is64 ? 16 : 8);
        return new ElfSymbol(name ?? ReadString(strings, U32(e, 0)), value, size, (ElfSymbolType)(info & 0xf),
            (ElfSymbolBinding)(info >> 4), (byte)(other & 3), sectionIndex, table.Type == ElfSectionType.DynamicSymbolTable);
    }

    /// <summary>
    /// Finds a symbol by exact name in .symtab, then .dynsym, without decoding the other names.
    /// Prefers a defined symbol to an undefined one, and a global or weak one to a local one.
    /// </summary>
    public bool TryFindSymbol(string name, out ElfSymbol symbol)
    {
        ArgumentNullException.ThrowIfNull(name);
        var wanted = Encoding.UTF8.GetBytes(name);
        var bestScore = -1;
        symbol = default;
        foreach (var type in (ReadOnlySpan<ElfSectionType>)[ElfSectionType.SymbolTable, ElfSectionType.DynamicSymbolTable])
        {
            foreach (var table in sections)
            {
                if (table.Type != type)
                    continue;
                var (strings, entrySize, count) = SymbolTableLayout(table);
                for (var i = 0; i < count; i++)
                {
                    var e = data.Span.Slice((int)table.Offset + i * entrySize, entrySize);
                    if (!StringBytes(strings, U32(e, 0)).SequenceEqual(wanted))
                        continue;
                    var candidate = ReadSymbol(table, strings, entrySize, i, name);
                    var score = (candidate.IsDefined ? 2 : 0) + (candidate.Binding != ElfSymbolBinding.Local ? 1 : 0);
                    if (score > bestScore)
                    {
                        (bestScore, symbol) = (score, candidate);
                        if (score == 3)
                            return true;
                    }
                }
            }
        }
        return bestScore >= 0;
    }

    /// <summary>
    /// Turns a virtual address into a file offset through the PT_LOAD segment whose file-backed part
    /// holds it (offset = address - p_vaddr + p_offset); falls back to allocated sections when the
    /// file has no program headers.
    /// </summary>
    public bool TryGetFileOffset(ulong virtualAddress, out ulong fileOffset)
    {
        foreach (var segment in segments)
        {
            if (segment.Type == ElfSegmentType.Load && segment.ContainsFileBacked(virtualAddress))
            {
                fileOffset = virtualAddress - segment.VirtualAddress + segment.Offset;
                return true;
            }
        }
        foreach (var section in sections)
        {
            if ((section.Flags & SectionFlagAlloc) != 0 && section.HasFileData
                && virtualAddress >= section.Address && virtualAddress - section.Address < section.Size)
            {
                fileOffset = virtualAddress - section.Address + section.Offset;
                return true;
            }
        }
        fileOffset = 0;
        return false;
    }

    /// <summary>
    /// The file offset of a symbol, as the kernel's uprobe interface wants it (uprobe_events
    /// <c>path:0xOFFSET</c>, perf_event_attr.probe_offset). For an object file (ET_REL) the value is
    /// relative to the symbol's section.
    /// </summary>
    /// <exception cref="ElfFormatException">The address lies in no loaded segment.</exception>
    public ulong GetFileOffset(ElfSymbol symbol)
    {
        if (Header.Type == ElfFileType.Relocatable)
        {
            if (symbol.SectionIndex >= sections.Length || !sections[symbol.SectionIndex].HasFileData)
                throw Malformed($"symbol '{symbol.Name}' is in section {symbol.SectionIndex}, which has no file data", 0);
            return sections[symbol.SectionIndex].Offset + symbol.Value;
        }
        return TryGetFileOffset(symbol.Value, out var offset)
            ? offset
            : throw Malformed($"address 0x{symbol.Value:x} of '{symbol.Name}' is in no loaded segment", 0);
    }

    /// <summary>The file offset of the defined function <paramref name="function"/>, for a uprobe.</summary>
    /// <exception cref="SymbolNotFoundException">No such defined function in .symtab or .dynsym.</exception>
    public ulong GetUprobeOffset(string function)
    {
        if (!TryFindSymbol(function, out var symbol))
        {
            var hint = sections.Any(s => s.Type == ElfSectionType.SymbolTable) ? null : "no .symtab, the binary is stripped; only .dynsym was searched";
            throw new SymbolNotFoundException(DisplayName, function, hint);
        }
        if (!symbol.IsDefined)
            throw new SymbolNotFoundException(DisplayName, function, "it is only imported here; probe the library that defines it");
        if (!symbol.IsDefinedFunction)
            throw new SymbolNotFoundException(DisplayName, function, $"it is a {symbol.Type} symbol, not a function");
        return GetFileOffset(symbol);
    }

    /// <summary>Loads <paramref name="binaryPath"/> and returns the uprobe file offset of <paramref name="function"/>.</summary>
    public static ulong ResolveUprobeOffset(string binaryPath, string function) => Load(binaryPath).GetUprobeOffset(function);

    /// <summary>All notes: from SHT_NOTE sections, or from PT_NOTE segments when the file has no section headers.</summary>
    public IReadOnlyList<ElfNote> Notes => notes ??= ReadNotes();

    private ElfNote[] ReadNotes()
    {
        var list = new List<ElfNote>();
        foreach (var section in sections)
        {
            if (section.Type == ElfSectionType.Note)
                ReadNotes(list, section.Offset, section.Size, section.Alignment == 8 ? 8 : 4, section.Name);
        }
        if (sections.Length == 0)
        {
            foreach (var segment in segments)
            {
                if (segment.Type == ElfSegmentType.Note)
                    ReadNotes(list, segment.Offset, segment.FileSize, segment.Alignment == 8 ? 8 : 4, "");
            }
        }
        return [.. list];
    }

    private void ReadNotes(List<ElfNote> list, ulong offset, ulong size, int alignment, string sectionName)
    {
        var start = (long)offset;
        var end = start + (long)size;
        var s = data.Span;
        for (var at = start; end - at >= 12;)
        {
            long nameSize = U32(s, (int)at);
            long descSize = U32(s, (int)at + 4);
            var type = U32(s, (int)at + 8);
            var nameStart = at + 12;
            var descStart = Align(nameStart + nameSize, alignment);
            var descEnd = descStart + descSize;
            if (descEnd > end)
                throw Malformed($"note with name size {nameSize} and descriptor size {descSize} runs past '{sectionName}'", at);
            var name = s.Slice((int)nameStart, (int)nameSize);
            var nul = name.IndexOf((byte)0);
            list.Add(new ElfNote(Encoding.UTF8.GetString(nul < 0 ? name : name[..nul]), type,
                data.Slice((int)descStart, (int)descSize), sectionName));
            at = Align(descEnd, alignment);
        }
    }

    private static long Align(long value, int alignment) => (value + alignment - 1) & ~(long)(alignment - 1);

    /// <summary>The GNU build-id as lowercase hex, or null when the file has none.</summary>
    public string? BuildId
    {
        get
        {
            foreach (var note in Notes)
            {
                if (note.Owner == "GNU" && note.Type == ElfNote.GnuBuildIdType)
                    return Convert.ToHexStringLower(note.Descriptor.Span);
            }
            return null;
        }
    }

    /// <summary>The .gnu_debuglink section, or null.</summary>
    /// <exception cref="ElfFormatException">The section is too short for its CRC.</exception>
    public ElfDebugLink? DebugLink
    {
        get
        {
            if (FindSection(".gnu_debuglink") is not { } section)
                return null;
            var bytes = GetSectionData(section).Span;
            var nul = bytes.IndexOf((byte)0);
            var crcAt = nul < 0 ? -1 : (int)Align(nul + 1, 4);
            if (nul < 0 || crcAt + 4 > bytes.Length)
                throw Malformed(".gnu_debuglink lacks its NUL-terminated name or CRC", (long)section.Offset);
            return new ElfDebugLink(Encoding.UTF8.GetString(bytes[..nul]), U32(bytes, crcAt));
        }
    }

    /// <summary>The program interpreter from PT_INTERP (e.g. /lib64/ld-linux-x86-64.so.2), or null.</summary>
    public string? Interpreter
    {
        get
        {
            foreach (var segment in segments)
            {
                if (segment.Type != ElfSegmentType.Interpreter)
                    continue;
                var bytes = GetSegmentData(segment).Span;
                var nul = bytes.IndexOf((byte)0);
                return Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
            }
            return null;
        }
    }
}
