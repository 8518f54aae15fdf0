using Sharptrace.Script.Runtime;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax;

namespace Sharptrace.Tests.Script;

/// <summary>Map output against layouts taken from bpftrace 0.17 runs.</summary>
public class MapPrinterTests
{
    private static byte[] U64(params long[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static MapInfo Info(string name, ScriptType value, params ScriptType[] keys) =>
        new(name, default) { Key = ScriptType.Tuple(keys), Value = value };

    [Fact]
    public void HistogramLayout()
    {
        var info = Info("@h", new ScriptType(TypeKind.Hist, 8));
        // key = [user key 0][bucket]; buckets 1 ([0]) 4 ([4, 8)) and 12 ([1K, 2K)), one CPU.
        var raw = new List<(byte[], byte[])> { (U64(0, 1), U64(1)), (U64(0, 4), U64(2)), (U64(0, 12), U64(1)) };
        var text = new MapPrinter(OutputFormat.Text, _ => "").Print(info, raw, 1, 8);
        Assert.Equal("""
            @h: 
            [0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
            [1]                    0 |                                                    |
            [2, 4)                 0 |                                                    |
            [4, 8)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
            [8, 16)                0 |                                                    |
            [16, 32)               0 |                                                    |
            [32, 64)               0 |                                                    |
            [64, 128)              0 |                                                    |
            [128, 256)             0 |                                                    |
            [256, 512)             0 |                                                    |
            [512, 1K)              0 |                                                    |
            [1K, 2K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |

            """.Replace("\r", "") + "\n", text);
    }

    [Fact]
    public void CountsAreMergedAcrossCpusAndSortedByValue()
    {
        var info = Info("@", new ScriptType(TypeKind.Count, 8), ScriptType.String(16));
        var key = (string s) => System.Text.Encoding.ASCII.GetBytes(s.PadRight(16, '\0'));
        var raw = new List<(byte[], byte[])> { (key("bash"), U64(3, 4)), (key("cat"), U64(1, 0)), (key("dd"), U64(0, 2)) };
        var text = new MapPrinter(OutputFormat.Text, _ => "").Print(info, raw, 2, 8);
        Assert.Equal("@[cat]: 1\n@[dd]: 2\n@[bash]: 7\n", text);
        var json = new MapPrinter(OutputFormat.Json, _ => "").Print(info, raw, 2, 8);
        Assert.Equal("{\"type\": \"map\", \"data\": {\"@\": {\"cat\": 1, \"dd\": 2, \"bash\": 7}}}\n", json);
    }

    [Fact]
    public void StatsAndLinearHistograms()
    {
        var stats = Info("@s", new ScriptType(TypeKind.Stats, 8));
        Assert.Equal("@s: count 2, average 15, total 30\n\n", new MapPrinter(OutputFormat.Text, _ => "").Print(stats, [(U64(0), U64(2, 30))], 1, 16));
        var lhist = Info("@l", new ScriptType(TypeKind.Lhist, 8) { Linear = (0, 100, 10) });
        Assert.Equal("@l: \n[10, 20)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n",
            new MapPrinter(OutputFormat.Text, _ => "").Print(lhist, [(U64(0, 2), U64(1))], 1, 8));
        Assert.Equal("{\"type\": \"hist\", \"data\": {\"@l\": [{\"min\": 10, \"max\": 19, \"count\": 1}]}}\n",
            new MapPrinter(OutputFormat.Json, _ => "").Print(lhist, [(U64(0, 2), U64(1))], 1, 8));
    }
}
