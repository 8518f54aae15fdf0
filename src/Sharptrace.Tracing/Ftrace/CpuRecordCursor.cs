namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// Walks one CPU's pages in order, record by record. Decodes a page at a time into a reused list
/// (the page enumerator is a ref struct, this cursor must live in a heap merge). A damaged page is
/// skipped and counted in <see cref="BadPages"/>, so one bad page does not lose a whole report.
/// </summary>
public sealed class CpuRecordCursor
{
    private readonly byte[] data;
    private readonly IReadOnlyList<(int Offset, int Length)> pages;
    private readonly RingBufferLayout layout;
    private readonly List<(ulong Timestamp, int Offset, int Length)> pending = [];
    private int nextPage;
    private int nextRecord;

    /// <summary>Starts before the first record of <paramref name="pages"/> of <paramref name="data"/>.</summary>
    public CpuRecordCursor(int cpu, byte[] data, IReadOnlyList<(int Offset, int Length)> pages, RingBufferLayout layout)
    {
        Cpu = cpu;
        this.data = data;
        this.pages = pages;
        this.layout = layout;
    }

    /// <summary>The CPU.</summary>
    public int Cpu { get; }

    /// <summary>The record at the cursor.</summary>
    public TraceRecord Current { get; private set; }

    /// <summary>Pages that failed to parse (and were skipped).</summary>
    public int BadPages { get; private set; }

    /// <summary>The first parse error met, for the report's summary.</summary>
    public string? FirstError { get; private set; }

    /// <summary>Moves to the next record (or lost-events marker); false at the end.</summary>
    public bool MoveNext()
    {
        while (nextRecord >= pending.Count)
        {
            if (nextPage >= pages.Count) return false;
            LoadPage(pages[nextPage++]);
        }
        var (timestamp, offset, length) = pending[nextRecord++];
        Current = offset < 0
            ? new TraceRecord(Cpu, timestamp, ReadOnlyMemory<byte>.Empty, length == 0 ? -1 : length)
            : new TraceRecord(Cpu, timestamp, data.AsMemory(offset, length));
        return true;
    }

    private void LoadPage((int Offset, int Length) page)
    {
        pending.Clear();
        nextRecord = 0;
        try
        {
            var parsed = new RingBufferPage(data.AsSpan(page.Offset, page.Length), layout);
            // A lost-events marker goes first, with the page's timestamp: the loss happened before it.
            if (parsed.HasMissedEvents) pending.Add((parsed.Timestamp, -1, parsed.MissedEvents > 0 ? (int)Math.Min(parsed.MissedEvents, int.MaxValue) : 0));
            foreach (var record in parsed)
                pending.Add((record.Timestamp, page.Offset + record.Offset, record.Data.Length));
        }
        catch (RingBufferFormatException e)
        {
            pending.Clear();
            BadPages++;
            FirstError ??= $"cpu {Cpu}: {e.Message}";
        }
    }
}
