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
    // Every 16th start: the first levels of each search stay in this small array (cache-resident
    // even over a hundred tables), so a lookup touches about two lines of the big one.
    private const int BlockShift = 4;
    private readonly ulong[] blockStarts;
    private readonly ulong[] starts;
    private readonly Entry[] entries;
    private readonly byte[] strings;
    private readonly string[] modules;
    private string?[]? names;

    private CompactSymbolTable(ulong[] starts, Entry[] entries, byte[] strings, string[] modules)
    {
        this.starts = starts;
        this.entries = entries;
        blockStarts = new ulong[(starts.Length + (1 << BlockShift) - 1) >> BlockShift];
        for (var i = 0; i < blockStarts.Length; i++) blockStarts[i] = starts[i << BlockShift];
        this.strings = strings;
        this.modules = modules;
    }

    /// <summary>How many symbols.</summary>
    public int Count => starts.Length;

    /// <summary>The bytes held: address array, entries and names.</summary>
    public long MemoryBytes => blockStarts.Length * 8L + starts.Length * 8L + entries.Length * 16L + strings.Length;

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
        var block = Array.BinarySearch(blockStarts, address);
        if (block >= 0) return address < entries[block << BlockShift].End ? block << BlockShift : -1;
        block = ~block - 1;
        if (block < 0) return -1;
        var low = block << BlockShift;
        var index = Array.BinarySearch(starts, low, Math.Min(1 << BlockShift, starts.Length - low), address);
        if (index < 0) index = ~index - 1;
        return address < entries[index].End ? index : -1;
    }

    /// <summary>The name of symbol <paramref name="index"/>, decoded once.</summary>
    public string NameAt(int index)
    {
        names ??= new string?[starts.Length];
        return names[index] ??= Decode(entries[index].NameOffset);
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
        private readonly List<(ulong Start, ulong Size, uint NameOffset, ushort Module)> pending;
        private readonly List<string> moduleNames = [""];
        private readonly Dictionary<string, ushort> moduleIndex = new(StringComparer.Ordinal) { [""] = 0 };

        /// <summary>A builder expecting about <paramref name="capacity"/> symbols.</summary>
        public Builder(int capacity = 0) => pending = new(capacity);

        /// <summary>Adds a symbol; a size of 0 means "until the next symbol".</summary>
        public void Add(ulong start, ulong size, uint nameOffset, ushort module = 0) => pending.Add((start, size, nameOffset, module));

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

        /// <summary>Sorts by address (the largest symbol first where several share one, so aliases do not flap) and keeps one per address.</summary>
        public CompactSymbolTable Build(byte[] strings)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending);
            span.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Size.CompareTo(a.Size));
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
            return new CompactSymbolTable(starts, entries, strings, [.. moduleNames]);
        }
    }
}
