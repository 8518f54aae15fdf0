using System.Globalization;

namespace Sharptrace.Tracing.Symbols;

/// <summary>One line of /proc/PID/maps: "start-end perms offset major:minor inode path".</summary>
public readonly record struct ProcessMapsLine(ulong Start, ulong End, bool Executable, ulong FileOffset, uint Major, uint Minor, ulong Inode, string Path)
{
    /// <summary>Parses a maps line; false for anything malformed.</summary>
    public static bool TryParse(string line, out ProcessMapsLine map)
    {
        map = default;
        var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 5) return false;
        var dash = parts[0].IndexOf('-');
        var colon = parts[3].IndexOf(':');
        if (dash < 0 || colon < 0 || parts[1].Length < 3) return false;
        const NumberStyles hex = NumberStyles.HexNumber;
        var c = CultureInfo.InvariantCulture;
        if (!ulong.TryParse(parts[0].AsSpan(0, dash), hex, c, out var start) || !ulong.TryParse(parts[0].AsSpan(dash + 1), hex, c, out var end)
            || !ulong.TryParse(parts[2], hex, c, out var offset) || !uint.TryParse(parts[3].AsSpan(0, colon), hex, c, out var major)
            || !uint.TryParse(parts[3].AsSpan(colon + 1), hex, c, out var minor) || !ulong.TryParse(parts[4], NumberStyles.None, c, out var inode))
            return false;
        map = new ProcessMapsLine(start, end, parts[1][2] == 'x', offset, major, minor, inode, parts.Length > 5 ? parts[5].Trim() : "");
        return true;
    }
}
