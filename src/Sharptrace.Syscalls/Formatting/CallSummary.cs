using System.Text;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>One row of the -c table.</summary>
/// <param name="Name">The call.</param>
/// <param name="Calls">How many times it returned.</param>
/// <param name="Errors">How many of those failed.</param>
/// <param name="Nanoseconds">Time spent in it.</param>
/// <param name="Number">Its number: strace's order among rows that tie on the sort key.</param>
public sealed record CallCount(string Name, long Calls, long Errors, ulong Nanoseconds, int Number = 0);

/// <summary>-S: the summary's order.</summary>
public enum SummarySort
{
    /// <summary>Most time first (strace's default).</summary>
    Time,
    /// <summary>Most calls first.</summary>
    Calls,
    /// <summary>Most errors first.</summary>
    Errors,
    /// <summary>By name.</summary>
    Name,
    /// <summary>By call number (strace's "nothing").</summary>
    Nothing,
}

/// <summary>strace's -c table, column for column.</summary>
public static class CallSummary
{
    /// <summary>strace's -S keys (and their aliases) to the order they select; null for one strace rejects.</summary>
    public static SummarySort? ParseSort(string key) => key switch
    {
        "time" or "time_total" or "total_time" => SummarySort.Time,
        "calls" or "count" => SummarySort.Calls,
        "errors" or "error" => SummarySort.Errors,
        "name" or "syscall" or "syscall_name" => SummarySort.Name,
        "nothing" or "none" => SummarySort.Nothing,
        _ => null,
    };

    /// <summary>The table for <paramref name="rows"/> in <paramref name="sort"/>'s order; ties keep call-number order, as strace's stable sort does.</summary>
    public static string Format(IEnumerable<CallCount> rows, SummarySort sort = SummarySort.Time)
    {
        var byNumber = rows.Where(r => r.Calls > 0).OrderBy(r => r.Number).ThenBy(r => r.Name, StringComparer.Ordinal);
        var list = (sort switch
        {
            SummarySort.Time => byNumber.OrderByDescending(r => r.Nanoseconds),
            SummarySort.Calls => byNumber.OrderByDescending(r => r.Calls),
            SummarySort.Errors => byNumber.OrderByDescending(r => r.Errors),
            SummarySort.Name => byNumber.OrderBy(r => r.Name, StringComparer.Ordinal),
            _ => byNumber,
        }).ToList();
        var totalNs = list.Aggregate(0UL, (s, r) => s + r.Nanoseconds);
        var text = new StringBuilder();
        const string rule = "------ ----------- ----------- --------- --------- ----------------";
        text.Append("% time     seconds  usecs/call     calls    errors syscall\n").Append(rule).Append('\n');
        foreach (var r in list)
            Row(text, totalNs == 0 ? 0 : 100.0 * r.Nanoseconds / totalNs, r.Nanoseconds, r.Calls, r.Errors, r.Name);
        text.Append(rule).Append('\n');
        Row(text, 100.0, totalNs, list.Sum(r => r.Calls), list.Sum(r => r.Errors), "total");
        return text.ToString();
    }

    private static void Row(StringBuilder text, double percent, ulong ns, long calls, long errors, string name)
    {
        var seconds = ns / 1e9;
        var usecs = calls == 0 ? 0 : (long)(ns / 1000 / (ulong)calls);
        text.Append(percent.ToString("0.00").PadLeft(6)).Append(' ')
            .Append(seconds.ToString("0.000000").PadLeft(11)).Append(' ')
            .Append(usecs.ToString().PadLeft(11)).Append(' ')
            .Append(calls.ToString().PadLeft(9)).Append(' ')
            .Append((errors == 0 ? "" : errors.ToString()).PadLeft(9)).Append(' ')
            .Append(name).Append('\n');
    }
}
