namespace Sharptrace.Tracing.Ftrace;

/// <summary>Merges the per-CPU record streams of a trace into one stream ordered by timestamp (ties: lower CPU first), like trace-cmd report.</summary>
public static class TraceRecordMerger
{
    /// <summary>All records of <paramref name="file"/> in time order; cursors (for bad-page counts) are handed back through <paramref name="cursors"/>.</summary>
    public static IEnumerable<TraceRecord> Merge(TraceFile file, out IReadOnlyList<CpuRecordCursor> cursors)
    {
        var list = file.Cpus.Select(cpu => new CpuRecordCursor(cpu, file.Data, file.PagesOf(cpu), file.Layout)).ToList();
        cursors = list;
        return Merge(list);
    }

    /// <summary>Merges already-positioned-before-start cursors.</summary>
    public static IEnumerable<TraceRecord> Merge(IReadOnlyList<CpuRecordCursor> cursors)
    {
        var queue = new PriorityQueue<CpuRecordCursor, (ulong, int)>();
        foreach (var cursor in cursors)
            if (cursor.MoveNext()) queue.Enqueue(cursor, (cursor.Current.Timestamp, cursor.Cpu));
        while (queue.TryDequeue(out var cursor, out _))
        {
            yield return cursor.Current;
            if (cursor.MoveNext()) queue.Enqueue(cursor, (cursor.Current.Timestamp, cursor.Cpu));
        }
    }
}
