using System.Globalization;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>The counters of per_cpu/cpuN/stats: what the kernel kept, overwrote and dropped.</summary>
public sealed record CpuBufferStats(int Cpu, long Entries, long Overrun, long CommitOverrun, long Bytes, long DroppedEvents, long ReadEvents)
{
    /// <summary>Events the kernel lost on this CPU (overwritten or dropped).</summary>
    public long Lost => Overrun + DroppedEvents + CommitOverrun;

    /// <summary>Parses the text of a stats file ("entries: 12" lines).</summary>
    public static CpuBufferStats Parse(int cpu, string text)
    {
        long Get(string key)
        {
            foreach (var line in text.Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon > 0 && line.AsSpan(0, colon).Trim().SequenceEqual(key)
                    && long.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                    return v;
            }
            return 0;
        }
        return new CpuBufferStats(cpu, Get("entries"), Get("overrun"), Get("commit overrun"), Get("bytes"), Get("dropped events"), Get("read events"));
    }
}
