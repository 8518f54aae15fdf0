using Sharptrace.Tracing.Ftrace;

namespace Sharptrace.Bench;

/// <summary>
/// Raw ring-buffer page parsing speed: walks every record of the pages of a trace file (by default
/// one recorded by `sharptrace ftrace record`), replicated to at least 64 MiB, with the page reader
/// alone and with the per-CPU cursor and time merge the report uses.
/// </summary>
internal static class FtracePageBench
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: ftrace-pages TRACE.DAT [runs]");
            return 2;
        }
        var file = TraceFile.Load(args[0]);
        var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var pages = file.Cpus.SelectMany(c => file.PagesOf(c)).ToList();
        if (pages.Count == 0) { Console.Error.WriteLine("no pages"); return 1; }
        var copies = (int)Math.Max(1, (64L << 20) / file.PageBytes);
        var buffer = new byte[pages.Count * file.PageSize * copies];
        var at = 0;
        for (var copy = 0; copy < copies; copy++)
            foreach (var (offset, length) in pages) { file.Data.AsSpan(offset, length).CopyTo(buffer.AsSpan(at)); at += length; }
        var layout = file.Layout;
        long records = 0;
        var walk = BenchStats.Measure(runs, () =>
        {
            records = 0;
            for (var p = 0; p < buffer.Length; p += file.PageSize)
                foreach (var record in new RingBufferPage(buffer.AsSpan(p, file.PageSize), layout)) records += record.Data.Length > 0 ? 1 : 0;
        });
        var mb = buffer.Length / 1e6;
        Console.WriteLine(BenchStats.Format($"page walk ({mb:F0} MB, {records} records)", walk));
        Console.WriteLine($"  page walk: {mb / (walk.MedianMs / 1000):F0} MB/s, {records / (walk.MedianMs / 1000) / 1e6:F1} M records/s (median)");
        var list = Enumerable.Range(0, buffer.Length / file.PageSize).Select(i => (i * file.PageSize, file.PageSize)).ToList();
        var merged = BenchStats.Measure(Math.Min(runs, 5), () =>
        {
            records = 0;
            var cursors = new List<CpuRecordCursor> { new(0, buffer, list, layout) };
            foreach (var _ in TraceRecordMerger.Merge(cursors)) records++;
        });
        Console.WriteLine(BenchStats.Format("cursor + merge", merged));
        Console.WriteLine($"  cursor + merge: {mb / (merged.MedianMs / 1000):F0} MB/s");
        return 0;
    }
}
