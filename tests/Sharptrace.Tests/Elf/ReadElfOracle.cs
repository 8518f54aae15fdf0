using System.Globalization;
using System.Text.RegularExpressions;

namespace Sharptrace.Tests.Elf;

/// <summary>Computes uprobe offsets and section lists with binutils' readelf, as the reference for our reader.</summary>
internal static partial class ReadElfOracle
{
    public static bool Available => ExternalTool.Exists("readelf");

    /// <summary>The value of the defined FUNC symbol <paramref name="name"/> per <c>readelf -Ws</c>.</summary>
    public static ulong SymbolValue(string binary, string name)
    {
        foreach (var line in ExternalTool.Run("readelf", ["-Ws", binary]).Split('\n'))
        {
            var match = SymbolLine().Match(line);
            if (match.Success && match.Groups["name"].Value == name && match.Groups["ndx"].Value != "UND")
                return ulong.Parse(match.Groups["value"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"readelf shows no FUNC {name} in {binary}");
    }

    /// <summary>The file offset of <paramref name="address"/> through the LOAD segments of <c>readelf -lW</c>.</summary>
    public static ulong FileOffset(string binary, ulong address)
    {
        foreach (var line in ExternalTool.Run("readelf", ["-lW", binary]).Split('\n'))
        {
            var match = LoadLine().Match(line);
            if (!match.Success)
                continue;
            ulong Hex(string group) => ulong.Parse(match.Groups[group].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var (offset, vaddr, filesz) = (Hex("offset"), Hex("vaddr"), Hex("filesz"));
            if (address >= vaddr && address < vaddr + filesz)
                return address - vaddr + offset;
        }
        throw new InvalidOperationException($"readelf shows no LOAD segment holding 0x{address:x} in {binary}");
    }

    public static ulong UprobeOffset(string binary, string function) => FileOffset(binary, SymbolValue(binary, function));

    public static string[] SectionNames(string binary) =>
        [.. ExternalTool.Run("readelf", ["-SW", binary]).Split('\n')
            .Select(l => SectionLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["name"].Value)];

    [GeneratedRegex(@"^\s*\d+:\s+(?<value>[0-9a-f]+)\s+\d+\s+(FUNC|IFUNC)\s+\S+\s+\S+\s+(?<ndx>\S+)\s+(?<name>[^@\s]+)(@\S*)?\s*$")]
    private static partial Regex SymbolLine();

    [GeneratedRegex(@"^\s*LOAD\s+0x(?<offset>[0-9a-f]+)\s+0x(?<vaddr>[0-9a-f]+)\s+0x[0-9a-f]+\s+0x(?<filesz>[0-9a-f]+)")]
    private static partial Regex LoadLine();

    [GeneratedRegex(@"^\s*\[\s*\d+\]\s(?<name>\S*)\s+[A-Z_0-9]+\s+[0-9a-f]{8,}")]
    private static partial Regex SectionLine();
}
