using System.Globalization;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>Kernel text symbols from /proc/kallsyms text, sorted for address → name lookups (function tracer, %ps).</summary>
public sealed class KernelSymbolTable
{
    private readonly ulong[] addresses;
    private readonly string[] names;

    private KernelSymbolTable(ulong[] addresses, string[] names)
    {
        this.addresses = addresses;
        this.names = names;
    }

    /// <summary>Number of symbols.</summary>
    public int Count => addresses.Length;

    /// <summary>Parses "ffffffff81000000 T _stext [module]" lines; keeps text symbols, skips malformed lines.</summary>
    public static KernelSymbolTable Parse(string text)
    {
        var list = new List<(ulong, string)>();
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[1] is not ("t" or "T" or "w" or "W")) continue;
            if (!ulong.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var address) || address == 0) continue;
            list.Add((address, parts[2]));
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return new KernelSymbolTable([.. list.Select(s => s.Item1)], [.. list.Select(s => s.Item2)]);
    }

    /// <summary>Reads /proc/kallsyms text symbols only (what the file keeps): addresses are zero without root.</summary>
    public static string ReadTextSymbols(string path = "/proc/kallsyms")
    {
        var builder = new System.Text.StringBuilder();
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', 4);
            if (parts.Length >= 3 && parts[1] is "t" or "T" or "w" or "W") builder.Append(line).Append('\n');
        }
        return builder.ToString();
    }

    /// <summary>The symbol containing <paramref name="address"/> (the nearest at or below it), or null.</summary>
    public (string Name, ulong Offset)? Lookup(ulong address)
    {
        var index = Array.BinarySearch(addresses, address);
        if (index < 0) index = ~index - 1;
        if (index < 0) return null;
        return (names[index], address - addresses[index]);
    }
}
