using System.Text;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>One row of the -c table.</summary>
/// <param name="Name">The call.</param>
/// <param name="Calls">How many times it returned.</param>
/// <param name="Errors">How many of those failed.</param>
/// <param name="Nanoseconds">Time spent in it.</param>
public sealed record CallCount(string Name, long Calls, long Errors, ulong Nanoseconds);

/// <summary>strace's -c table, column for column.</summary>
public static class CallSummary
{
    /// <summary>The table for <paramref name="rows"/>, sorted by time as strace sorts it by default.</summary>
    public static string Format(IEnumerable<CallCount> rows)
    {
        var list = rows.Where(r => r.Calls > 0).OrderByDescending(r => r.Nanoseconds).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
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
