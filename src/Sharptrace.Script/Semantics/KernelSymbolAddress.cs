using System.Globalization;

namespace Sharptrace.Script.Semantics;

/// <summary>
/// kaddr("name"): the address of a kernel symbol, looked up at compile time in /proc/kallsyms (the
/// script becomes a constant; no kallsyms read unless a script asks for it).
/// </summary>
internal static class KernelSymbolAddress
{
    // kallsyms has 100k+ lines and the kernel formats them on every read (seconds on a busy machine):
    // it is read once, into a table, the first time a script asks.
    private static readonly Dictionary<string, Dictionary<string, ulong>> Tables = [];

    public static ulong? Find(string name, string path = "/proc/kallsyms")
    {
        lock (Tables)
        {
            if (!Tables.TryGetValue(path, out var table)) Tables[path] = table = Read(path);
            return table.TryGetValue(name, out var address) ? address : null;
        }
    }

    private static Dictionary<string, ulong> Read(string path)
    {
        var table = new Dictionary<string, ulong>(StringComparer.Ordinal);
        if (!File.Exists(path)) return table;
        foreach (var line in File.ReadLines(path))
        {
            // "ffffffff81234560 T vfs_read" (modules add "\t[module]"); the first of duplicate names wins.
            var first = line.IndexOf(' ');
            var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
            if (second < 0) continue;
            var end = line.IndexOf('\t', second + 1);
            var symbol = end < 0 ? line[(second + 1)..] : line[(second + 1)..end];
            if (!table.ContainsKey(symbol) && ulong.TryParse(line.AsSpan(0, first), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var address))
                table[symbol] = address;
        }
        return table;
    }
}
