using System.Globalization;

namespace Sharptrace.Bpf.Maps;

/// <summary>
/// The CPUs the kernel may bring up (/sys/devices/system/cpu/possible). Per-CPU maps and perf event
/// arrays are sized by this, not by the online count.
/// </summary>
public static class PossibleCpus
{
    private static IReadOnlyList<int>? ids;

    /// <summary>Ids of the possible CPUs.</summary>
    public static IReadOnlyList<int> Ids => ids ??= ParseList(File.ReadAllText("/sys/devices/system/cpu/possible"));

    /// <summary>Number of possible CPUs (highest id + 1, as the kernel sizes per-CPU data).</summary>
    public static int Count => Ids.Count == 0 ? 1 : Ids[^1] + 1;

    /// <summary>The CPUs online now (/sys/devices/system/cpu/online).</summary>
    public static IReadOnlyList<int> Online => ParseList(File.ReadAllText("/sys/devices/system/cpu/online"));

    /// <summary>Parses a kernel cpu list such as "0-3,5,7-8".</summary>
    public static IReadOnlyList<int> ParseList(string text)
    {
        var result = new List<int>();
        foreach (var part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0)
            {
                result.Add(int.Parse(part, CultureInfo.InvariantCulture));
                continue;
            }
            var first = int.Parse(part.AsSpan(0, dash), CultureInfo.InvariantCulture);
            var last = int.Parse(part.AsSpan(dash + 1), CultureInfo.InvariantCulture);
            for (var cpu = first; cpu <= last; cpu++) result.Add(cpu);
        }
        return result;
    }
}
