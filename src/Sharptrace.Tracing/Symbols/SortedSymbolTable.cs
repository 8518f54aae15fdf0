namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// Symbols sorted by address for binary search: parallel arrays so a table of a million kernel
/// symbols costs two arrays, not a million objects. A symbol without a size reaches up to the next
/// symbol (kallsyms and perf maps carry no sizes for every entry).
/// </summary>
public sealed class SortedSymbolTable
{
    private readonly ulong[] starts;
    private readonly ulong[] ends;
    private readonly string[] names;
    private readonly string[]? modules;

    /// <summary>Sorts the entries; a size of 0 means "until the next symbol".</summary>
    public SortedSymbolTable(List<(ulong Start, ulong Size, string Name, string? Module)> entries, bool hasModules = false)
    {
        entries.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Size.CompareTo(a.Size));
        // Drop duplicates at one address: keep the first (largest) so aliases like __GI_x / x do not flap.
        var kept = new List<(ulong Start, ulong Size, string Name, string? Module)>(entries.Count);
        foreach (var entry in entries)
            if (kept.Count == 0 || kept[^1].Start != entry.Start) kept.Add(entry);
        starts = new ulong[kept.Count];
        ends = new ulong[kept.Count];
        names = new string[kept.Count];
        if (hasModules) modules = new string[kept.Count];
        for (var i = 0; i < kept.Count; i++)
        {
            starts[i] = kept[i].Start;
            var next = i + 1 < kept.Count ? kept[i + 1].Start : ulong.MaxValue;
            ends[i] = kept[i].Size != 0 ? kept[i].Start + kept[i].Size : next;
            names[i] = kept[i].Name;
            if (modules is not null) modules[i] = kept[i].Module ?? "";
        }
    }

    /// <summary>How many symbols.</summary>
    public int Count => starts.Length;

    /// <summary>The lowest address, or 0 when empty.</summary>
    public ulong FirstAddress => starts.Length > 0 ? starts[0] : 0;

    /// <summary>Finds the symbol covering <paramref name="address"/>.</summary>
    public bool TryFind(ulong address, out string name, out ulong offset, out string? module)
    {
        var index = Array.BinarySearch(starts, address);
        if (index < 0) index = ~index - 1;
        if (index < 0 || address >= ends[index])
        {
            (name, offset, module) = ("", 0, null);
            return false;
        }
        name = names[index];
        offset = address - starts[index];
        module = modules?[index];
        return true;
    }
}
