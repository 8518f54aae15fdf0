namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// The mappings of one process, sorted by start. A new mapping replaces whatever it overlaps, as
/// mmap does, so replaying MMAP2 records in order rebuilds the space at each moment.
/// </summary>
public sealed class AddressSpace
{
    private readonly List<Mapping> mappings = [];

    /// <summary>The mappings in address order.</summary>
    public IReadOnlyList<Mapping> Mappings => mappings;

    /// <summary>A copy (a forked child starts with its parent's mappings).</summary>
    public AddressSpace Clone()
    {
        var copy = new AddressSpace();
        copy.mappings.AddRange(mappings);
        return copy;
    }

    /// <summary>Reads /proc/PID/maps (executable mappings only; the rest never holds a sampled IP).</summary>
    public static AddressSpace FromProc(int pid)
    {
        var space = new AddressSpace();
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
                if (ProcessMapsLine.TryParse(line, out var m) && m.Executable) space.Add(new Mapping(m.Start, m.End, m.FileOffset, m.Path));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return space;
    }

    /// <summary>Adds a mapping, cutting or removing the ones it overlaps.</summary>
    public void Add(Mapping mapping)
    {
        var index = LowerBound(mapping.Start);
        if (index > 0 && mappings[index - 1].End > mapping.Start) index--;
        while (index < mappings.Count && mappings[index].Start < mapping.End)
        {
            var old = mappings[index];
            if (old.End <= mapping.Start) { index++; continue; }
            mappings.RemoveAt(index);
            if (old.Start < mapping.Start) mappings.Insert(index++, old with { End = mapping.Start });
            if (old.End > mapping.End)
                mappings.Insert(index, old with { Start = mapping.End, FileOffset = old.FileOffset + (mapping.End - old.Start) });
        }
        mappings.Insert(LowerBound(mapping.Start), mapping);
    }

    /// <summary>The mapping holding <paramref name="address"/>.</summary>
    public bool TryFind(ulong address, out Mapping mapping)
    {
        var index = LowerBound(address + 1) - 1;
        if (index >= 0 && mappings[index].End > address)
        {
            mapping = mappings[index];
            return true;
        }
        mapping = default;
        return false;
    }

    private int LowerBound(ulong start)
    {
        int low = 0, high = mappings.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (mappings[mid].Start < start) low = mid + 1; else high = mid;
        }
        return low;
    }
}
