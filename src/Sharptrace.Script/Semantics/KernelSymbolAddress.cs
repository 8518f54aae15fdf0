using System.Globalization;

namespace Sharptrace.Script.Semantics;

/// <summary>
/// kaddr("name"): the address of a kernel symbol, looked up once at compile time in /proc/kallsyms
/// (the script becomes a constant; no kallsyms read unless a script asks for it).
/// </summary>
internal static class KernelSymbolAddress
{
    // The semantic pass and code generation both ask, and kallsyms is 100k+ lines: each name is read once.
    private static readonly Dictionary<(string Name, string Path), ulong?> Found = [];

    public static ulong? Find(string name, string path = "/proc/kallsyms")
    {
        lock (Found)
        {
            if (Found.TryGetValue((name, path), out var known)) return known;
            return Found[(name, path)] = Scan(name, path);
        }
    }

    private static ulong? Scan(string name, string path)
    {
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            // "ffffffff81234560 T vfs_read" (modules add "\t[module]")
            var first = line.IndexOf(' ');
            var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
            if (second < 0) continue;
            var end = line.IndexOf('\t', second + 1);
            var symbol = end < 0 ? line.AsSpan(second + 1) : line.AsSpan(second + 1, end - second - 1);
            if (!symbol.SequenceEqual(name)) continue;
            return ulong.TryParse(line.AsSpan(0, first), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var address) ? address : null;
        }
        return null;
    }
}
