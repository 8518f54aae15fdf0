using Sharptrace.Syscalls.Decoding;

namespace Sharptrace.Syscalls.Filtering;

/// <summary>
/// strace's <c>-e signal=</c> set: comma-separated signal names (with or without SIG) or numbers,
/// <c>all</c>, <c>none</c>, optionally negated with a leading <c>!</c>.
/// </summary>
public static class SignalExpression
{
    /// <summary>The signal numbers selected by <paramref name="expression"/> (the part after "signal=").</summary>
    public static IReadOnlySet<int> Parse(string expression)
    {
        var negate = expression.StartsWith('!');
        if (negate) expression = expression[1..];
        var selected = new HashSet<int>();
        foreach (var raw in expression.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var item = raw.Trim();
            if (item == "all") { for (var n = 1; n <= 64; n++) selected.Add(n); continue; }
            if (item == "none") continue;
            selected.Add(Number(item) ?? throw new TraceExpressionException($"invalid signal '{item}'"));
        }
        if (!negate) return selected;
        var inverse = new HashSet<int>();
        for (var n = 1; n <= 64; n++) if (!selected.Contains(n)) inverse.Add(n);
        return inverse;
    }

    private static int? Number(string item)
    {
        if (int.TryParse(item, out var n)) return n is > 0 and <= 64 ? n : null;
        var name = item.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? item : "SIG" + item;
        for (var i = 1; i <= 64; i++)
            if (string.Equals(Flags.Signal(i), name, StringComparison.OrdinalIgnoreCase)) return i;
        return null;
    }
}
