using System.Text;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// A sorted symbol table that never materialises a name it is not asked for: addresses in one
/// array (binary search touches only it), ends and name offsets in a 16-byte struct beside it, and
/// the names as NUL-terminated bytes in one buffer (an ELF string table, or kallsyms compacted),
/// decoded into strings on first lookup and kept. A table of 100k symbols costs about 2.4 MB, no
/// per-symbol objects, and loading it is a copy and a sort.
/// </summary>
public sealed class CompactSymbolTable
{
    // A two-level search: the address's page (a power of two chosen so there are no more pages
    // than symbols) gives, in one array read, the few symbols that can cover it; a binary search
    // over the whole table took ~17 dependent cache misses on random input, this takes two or three.
    private readonly int[] pageFirst;
    private readonly int pageShift;
    // Call chains revisit the same function over and over: the last hit is checked first. Only an
    // int, read and written whole, so tables shared between threads at worst miss this shortcut.
    private int lastHit;
    private readonly ulong[] starts;
    private readonly Entry[] entries;
    private readonly byte[] strings;
    private readonly string[] modules;
    private readonly bool demangle;
    private string?[]? names;

    private CompactSymbolTable(ulong[] starts, Entry[] entries, byte[] strings, string[] modules, bool demangle)
    {
        this.demangle = demangle;
        this.starts = starts;
        this.entries = entries;
        (pageFirst, pageShift) = BuildPages(starts);
        this.strings = strings;
        this.modules = modules;
    }

    /// <summary>How many symbols.</summary>
    public int Count => starts.Length;

    /// <summary>The bytes held: address array, entries and names.</summary>
    public long MemoryBytes => pageFirst.Length * 4L + starts.Length * 8L + entries.Length * 16L + strings.Length;

    /// <summary>Finds the symbol covering <paramref name="address"/>; the module is "" unless the table has modules.</summary>
    public bool TryFind(ulong address, out string name, out ulong offset, out string module)
    {
        var index = IndexOf(address);
        if (index < 0)
        {
            (name, offset, module) = ("", 0, "");
            return false;
        }
        name = NameAt(index);
        offset = address - starts[index];
        module = modules[entries[index].Module];
        return true;
    }

    /// <summary>The index of the symbol covering <paramref name="address"/>, or -1.</summary>
    public int IndexOf(ulong address)
    {
        var last = lastHit;
        if ((uint)last < (uint)starts.Length && starts[last] <= address && address < entries[last].End) return last;
        if (starts.Length == 0 || address < starts[0]) return -1;
        var page = (address - starts[0]) >> pageShift;
        int low, high;
        if (page < (ulong)pageFirst.Length - 1)
        {
            low = pageFirst[(int)page];
            high = pageFirst[(int)page + 1];
        }
        else
        {
            low = pageFirst[^1];
            high = starts.Length - 1;
        }
        // The last start <= address within [low, high]; pages hold a handful of symbols, so a
        // short scan beats a search unless one page is crowded (tiny stubs, or an outlier symbol
        // far away that stretched the pages).
        int index;
        if (high - low <= 8)
        {
            index = low;
            while (index < high && starts[index + 1] <= address) index++;
        }
        else
        {
            index = Array.BinarySearch(starts, low, high - low + 1, address);
            if (index < 0) index = ~index - 1;
        }
        if (address >= entries[index].End) return -1;
        lastHit = index;
        return index;
    }

    // pageFirst[p] is the last symbol starting at or before the start of page p, so the symbol
    // covering any address of page p lies between pageFirst[p] and pageFirst[p + 1].
    private static (int[] PageFirst, int Shift) BuildPages(ulong[] starts)
    {
        if (starts.Length == 0) return ([0], 63);
        var span = starts[^1] - starts[0];
        var shift = 4;
        while (shift < 63 && (span >> shift) + 1 > (ulong)starts.Length) shift++;
        var pages = new int[(int)(span >> shift) + 1];
        var index = 0;
        for (var p = 0; p < pages.Length; p++)
        {
            var pageStart = starts[0] + ((ulong)p << shift);
            while (index + 1 < starts.Length && starts[index + 1] <= pageStart) index++;
            pages[p] = index;
        }
        return (pages, shift);
    }

    /// <summary>The name of symbol <paramref name="index"/>, decoded (and demangled, for tables built so) once.</summary>
    public string NameAt(int index)
    {
        names ??= new string?[starts.Length];
        return names[index] ??= demangle ? Demangler.Demangle(Decode(entries[index].NameOffset)) : Decode(entries[index].NameOffset);
    }

    /// <summary>The start address of symbol <paramref name="index"/>.</summary>
    public ulong StartAt(int index) => starts[index];

    private string Decode(uint offset)
    {
        if (offset >= strings.Length) return "";
        var rest = strings.AsSpan((int)offset);
        var end = rest.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
    }

    /// <summary>One symbol: where it ends, where its name starts in the string bytes, and its module index.</summary>
    private readonly record struct Entry(ulong End, uint NameOffset, ushort Module);

    /// <summary>Collects symbols as (start, size, name offset) before the sort.</summary>
    public sealed class Builder
    {
        private readonly List<(ulong Start, ulong Size, uint NameOffset, ushort Module, byte Rank)> pending;
        private readonly List<string> moduleNames = [""];
        private readonly Dictionary<string, ushort> moduleIndex = new(StringComparer.Ordinal) { [""] = 0 };

        /// <summary>A builder expecting about <paramref name="capacity"/> symbols.</summary>
        public Builder(int capacity = 0) => pending = new(capacity);

        /// <summary>
        /// Adds a symbol; a size of 0 means "until the next symbol". Of several symbols at one
        /// address the lowest <paramref name="rank"/> wins (as perf prefers a global "getpid" to
        /// the local alias "__GI_getpid").
        /// </summary>
        public void Add(ulong start, ulong size, uint nameOffset, ushort module = 0, byte rank = 0) => pending.Add((start, size, nameOffset, module, rank));

        /// <summary>The index of a module name (kernel modules), adding it the first time.</summary>
        public ushort Module(string name)
        {
            if (!moduleIndex.TryGetValue(name, out var index))
            {
                if (moduleNames.Count == ushort.MaxValue) return 0;
                moduleIndex[name] = index = (ushort)moduleNames.Count;
                moduleNames.Add(name);
            }
            return index;
        }

        /// <summary>Sorts by address (the best-ranked, then largest symbol first where several share one, so aliases do not flap) and keeps one per address; <paramref name="demangle"/> shows C++ and Rust names readable.</summary>
        public CompactSymbolTable Build(byte[] strings, bool demangle = false)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending);
            span.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : b.Size.CompareTo(a.Size));
            var kept = 0;
            for (var i = 0; i < span.Length; i++)
                if (kept == 0 || span[kept - 1].Start != span[i].Start) span[kept++] = span[i];
            var starts = new ulong[kept];
            var entries = new Entry[kept];
            for (var i = 0; i < kept; i++)
            {
                var next = i + 1 < kept ? span[i + 1].Start : ulong.MaxValue;
                starts[i] = span[i].Start;
                var end = span[i].Size != 0 && span[i].Start + span[i].Size > span[i].Start ? span[i].Start + span[i].Size : next;
                entries[i] = new Entry(end, span[i].NameOffset, span[i].Module);
            }
            return new CompactSymbolTable(starts, entries, strings, [.. moduleNames], demangle);
        }
    }
}
