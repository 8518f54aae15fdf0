using System.Globalization;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// /tmp/perf-PID.map: "START SIZE name" lines (hex, with or without 0x) that JITs write so profilers can name
/// their code; .NET writes it with DOTNET_PerfMapEnabled=1. Later lines win for re-jitted methods
/// at the same address, since the table keeps one entry per address.
/// </summary>
public sealed class PerfMapSymbols
{
    private readonly SortedSymbolTable table;

    private PerfMapSymbols(SortedSymbolTable table, string path)
    {
        this.table = table;
        Path = path;
    }

    /// <summary>The map file read.</summary>
    public string Path { get; }

    /// <summary>How many entries.</summary>
    public int Count => table.Count;

    /// <summary>The map of <paramref name="pid"/>, or null when it has none.</summary>
    public static PerfMapSymbols? ForProcess(int pid, string directory = "/tmp")
    {
        var path = System.IO.Path.Combine(directory, $"perf-{pid}.map");
        return File.Exists(path) ? Load(path) : null;
    }

    /// <summary>Parses a perf map file; malformed lines are skipped.</summary>
    public static PerfMapSymbols Load(string path)
    {
        var latest = new Dictionary<ulong, (ulong Size, string Name)>();
        foreach (var line in File.ReadLines(path))
        {
            var first = line.IndexOf(' ');
            var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
            if (second < 0) continue;
            if (!TryHex(line.AsSpan(0, first), out var start) || !TryHex(line.AsSpan(first + 1, second - first - 1), out var size)) continue;
            latest[start] = (size == 0 ? 1 : size, line[(second + 1)..]); // a re-jitted method's newest line wins
        }
        var entries = latest.Select(e => (e.Key, e.Value.Size, e.Value.Name, (string?)null)).ToList();
        return new PerfMapSymbols(new SortedSymbolTable(entries), path);
    }

    // .NET writes "0x7f…", most other JITs bare hex: accept both.
    private static bool TryHex(ReadOnlySpan<char> text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text[2..];
        return ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Resolves a JIT address, or returns false.</summary>
    public bool TryResolve(ulong address, out ResolvedSymbol symbol)
    {
        if (table.TryFind(address, out var name, out var offset, out _))
        {
            symbol = new ResolvedSymbol(name, offset, Path, SymbolKind.Jit);
            return true;
        }
        symbol = default;
        return false;
    }
}
