using System.Globalization;
using System.Text;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// perf report --stdio's overhead table: samples grouped by the --sort keys (comm, pid, dso, sym)
/// of their leaf frame, weighted by period, with the caller chains under each entry for -g.
/// </summary>
public static class ReportTable
{
    /// <summary>The keys perf report sorts by when --sort is not given.</summary>
    public static readonly string[] DefaultSort = ["comm", "dso", "sym"];

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["comm"] = "Command", ["pid"] = "Pid:Command", ["dso"] = "Shared Object", ["sym"] = "Symbol", ["cpu"] = "CPU",
    };

    /// <summary>Checks --sort keys; throws ArgumentException naming the bad one.</summary>
    public static string[] ParseSortKeys(string? sort)
    {
        if (string.IsNullOrWhiteSpace(sort)) return DefaultSort;
        var keys = sort.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var key in keys)
            if (!Headers.ContainsKey(key)) throw new ArgumentException($"unknown --sort key '{key}' (known: {string.Join(", ", Headers.Keys)})");
        return keys;
    }

    /// <summary>The table text.</summary>
    /// <param name="profile">The samples.</param>
    /// <param name="sortKeys">What the entries are grouped by.</param>
    /// <param name="callGraph">Print each entry's call-graph tree under it.</param>
    /// <param name="order">Caller (root first) or callee (sampled function first) trees.</param>
    /// <param name="thresholdPercent">Tree branches under this share of the profile are left out.</param>
    public static string Render(Profile profile, string[] sortKeys, bool callGraph, CallGraphOrder order = CallGraphOrder.Caller, double thresholdPercent = 0.5)
    {
        var total = (double)Math.Max(1, profile.TotalPeriod);
        var groups = profile.Samples.GroupBy(s => string.Join('\u0001', sortKeys.Select(k => Cell(k, s))))
            .Select(g => (Cells: sortKeys.Select(k => Cell(k, g.First())).ToArray(), Period: g.Aggregate(0UL, (t, s) => t + s.Period), Samples: g.ToList()))
            .OrderByDescending(g => g.Period).ThenBy(g => string.Join(' ', g.Cells), StringComparer.Ordinal).ToList();
        var widths = sortKeys.Select((k, i) => Math.Max(Headers[k].Length, groups.Count == 0 ? 0 : groups.Max(g => g.Cells[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine("#");
        if (profile.Lost > 0) text.AppendLine(CultureInfo.InvariantCulture, $"# Total Lost Samples: {profile.Lost}\n#");
        text.AppendLine(CultureInfo.InvariantCulture, $"# Samples: {Abbreviate(profile.Samples.Count)} of event '{profile.EventName}'");
        text.AppendLine(CultureInfo.InvariantCulture, $"# Event count (approx.): {profile.TotalPeriod}");
        text.AppendLine("#");
        text.Append("# Overhead");
        for (var i = 0; i < sortKeys.Length; i++) text.Append("  ").Append(Headers[sortKeys[i]].PadRight(widths[i]));
        text.AppendLine();
        text.Append("# ........");
        for (var i = 0; i < sortKeys.Length; i++) text.Append("  ").Append(new string('.', widths[i]));
        text.AppendLine();
        text.AppendLine("#");
        foreach (var group in groups)
        {
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"{100 * group.Period / total,9:F2}%");
            for (var i = 0; i < sortKeys.Length; i++) line.Append("  ").Append(group.Cells[i].PadRight(widths[i]));
            text.AppendLine(line.ToString().TrimEnd());
            if (callGraph) AppendCallGraph(text, group.Samples, total, order, thresholdPercent, sortKeys.Contains("sym"));
        }
        if (profile.Truncated) text.AppendLine("#\n# (the file was cut short: these are the samples read before the damage)");
        return text.ToString();
    }

    // perf's chains in callee order leave out the sampled function when the entry already names it.
    private static void AppendCallGraph(StringBuilder text, List<ProfileSample> samples, double total, CallGraphOrder order, double threshold, bool entryIsSymbol)
    {
        var tree = new CallGraphTree(total, threshold);
        foreach (var sample in samples)
        {
            if (sample.Frames.Length < 2) continue;
            var names = sample.Frames.Select(f => f.DisplayName);
            tree.Add(order == CallGraphOrder.Caller ? names.Reverse() : entryIsSymbol ? names.Skip(1) : names, sample.Period);
        }
        tree.AppendTo(text);
    }

    private static string Cell(string key, ProfileSample sample)
    {
        var leaf = sample.Frames.Length > 0 ? sample.Frames[0] : ResolvedSymbol.Unknown;
        return key switch
        {
            "comm" => sample.Comm,
            "pid" => $"{sample.Pid}:{sample.Comm}",
            "dso" => leaf.ShortModule,
            "cpu" => sample.Cpu.ToString(CultureInfo.InvariantCulture),
            _ => (leaf.Kind == SymbolKind.Kernel ? "[k] " : "[.] ") + leaf.DisplayName,
        };
    }

    /// <summary>perf's sample count style: 950, 3K, 12M.</summary>
    /// <summary>perf's convert_unit: divided by 1000 while above 1000 (so exactly 1000 stays "1000", 1001 is "1K").</summary>
    private static string Abbreviate(int count)
    {
        long value = count;
        var unit = "";
        foreach (var next in (string[])["K", "M", "G"])
        {
            if (value <= 1000) break;
            value /= 1000;
            unit = next;
        }
        return value.ToString(CultureInfo.InvariantCulture) + unit;
    }
}
