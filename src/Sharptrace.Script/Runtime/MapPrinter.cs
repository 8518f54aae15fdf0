using System.Globalization;
using System.Text;
using Sharptrace.Script.Semantics;

namespace Sharptrace.Script.Runtime;

/// <summary>
/// Prints maps as bpftrace 0.17 does (src/output.cpp): entries sorted by value (or by key for
/// strings and tuples), <c>@name[k1, k2]: value</c>, histograms with <c>[4K, 8K)</c> labels and
/// 52-column bars, stats as "count N, average N, total N"; and the same data as JSON lines.
/// Per-CPU values are merged here.
/// </summary>
internal sealed class MapPrinter(OutputFormat format, Func<int, string> probeName, StackFormatter? stacks = null)
{
    private const int BarWidth = 52;

    /// <summary>One user-visible entry: the key parts and the merged value(s).</summary>
    private sealed record Entry(byte[] Key, long Value, long Count, long Total, bool IsSet, byte[] Raw, long[] Buckets);

    public string Print(MapInfo info, IReadOnlyList<(byte[] Key, byte[] Value)> raw, int cpus, int stride, long top = 0, long div = 1)
    {
        if (div == 0) div = 1;
        // bpftrace 0.17 shows a keyless count() map that never fired as "@name: 0" (other empty maps as nothing).
        if (raw.Count == 0 && info.KeyCount == 0 && info.Value.Kind == TypeKind.Count) raw = [(new byte[8], new byte[cpus * stride])];
        var entries = Merge(info, raw, cpus, stride);
        entries = Sort(info, entries);
        if (top > 0 && entries.Count > top) entries = entries.Skip(entries.Count - (int)top).ToList();
        return format == OutputFormat.Json ? Json(info, entries, div) : Text(info, entries, div);
    }

    private static List<Entry> Merge(MapInfo info, IReadOnlyList<(byte[] Key, byte[] Value)> raw, int cpus, int stride)
    {
        var kind = info.Value.Kind;
        if (kind is TypeKind.Hist or TypeKind.Lhist)
        {
            var buckets = kind == TypeKind.Hist ? 66 : (int)((info.Value.Linear.Max - info.Value.Linear.Min) / info.Value.Linear.Step) + 2;
            var grouped = new Dictionary<string, (byte[] Key, long[] Buckets)>();
            foreach (var (key, value) in raw)
            {
                var userKey = key[..info.KeySize];
                var bucket = (int)BitConverter.ToInt64(key, info.KeySize);
                var id = Convert.ToHexString(userKey);
                if (!grouped.TryGetValue(id, out var group)) grouped[id] = group = (userKey, new long[buckets]);
                if (bucket >= 0 && bucket < buckets) group.Buckets[bucket] += SumPerCpu(value, cpus, stride, 0);
            }
            return grouped.Values.Select(g => new Entry(g.Key, g.Buckets.Sum(), 0, 0, true, [], g.Buckets)).ToList();
        }
        var list = new List<Entry>();
        foreach (var (key, value) in raw)
        {
            switch (kind)
            {
                case TypeKind.Count or TypeKind.Sum:
                    list.Add(new Entry(key, SumPerCpu(value, cpus, stride, 0), 0, 0, true, value, []));
                    break;
                case TypeKind.Avg or TypeKind.Stats:
                {
                    var count = SumPerCpu(value, cpus, stride, 0);
                    var total = SumPerCpu(value, cpus, stride, 8);
                    list.Add(new Entry(key, count == 0 ? 0 : total / count, count, total, true, value, []));
                    break;
                }
                case TypeKind.Min or TypeKind.Max:
                {
                    long? best = null;
                    for (var cpu = 0; cpu < cpus; cpu++)
                    {
                        if (BitConverter.ToInt64(value, cpu * stride + 8) == 0) continue;
                        var v = BitConverter.ToInt64(value, cpu * stride);
                        best = best is null ? v : kind == TypeKind.Min ? Math.Min(best.Value, v) : Math.Max(best.Value, v);
                    }
                    list.Add(new Entry(key, best ?? 0, 0, 0, best is not null, value, []));
                    break;
                }
                case TypeKind.Integer or TypeKind.Pointer:
                    list.Add(new Entry(key, BitConverter.ToInt64(value, 0), 0, 0, true, value, []));
                    break;
                default:
                    list.Add(new Entry(key, 0, 0, 0, true, value, []));
                    break;
            }
        }
        return list;
    }

    private static long SumPerCpu(byte[] value, int cpus, int stride, int offset)
    {
        long total = 0;
        for (var cpu = 0; cpu < cpus; cpu++) total += BitConverter.ToInt64(value, cpu * stride + offset);
        return total;
    }

    private List<Entry> Sort(MapInfo info, List<Entry> entries)
    {
        var byKey = entries.OrderBy(e => e.Key, Comparer<byte[]>.Create((a, b) => CompareKeys(info, a, b))).ToList();
        if (info.Value.Kind is TypeKind.String or TypeKind.Tuple) return byKey;
        var unsigned = info.Value.Kind is TypeKind.Integer && !info.Value.Signed || info.Value.Kind is TypeKind.Count or TypeKind.Hist or TypeKind.Lhist;
        return unsigned
            ? byKey.OrderBy(e => (ulong)e.Value).ToList()
            : byKey.OrderBy(e => e.Value).ToList();
    }

    private static int CompareKeys(MapInfo info, byte[] a, byte[] b)
    {
        if (info.KeyCount == 0) return 0;
        for (var i = 0; i < info.KeyCount; i++)
        {
            var type = info.Key!.Elements[i];
            var offset = info.Key.ElementOffset(i);
            int c;
            if (type.Kind == TypeKind.String)
                c = string.CompareOrdinal(ReadString(a, offset, type.Size), ReadString(b, offset, type.Size));
            else if (type.Signed) c = BitConverter.ToInt64(a, offset).CompareTo(BitConverter.ToInt64(b, offset));
            else c = BitConverter.ToUInt64(a, offset).CompareTo(BitConverter.ToUInt64(b, offset));
            if (c != 0) return c;
        }
        return 0;
    }

    public static string ReadString(byte[] data, int offset, int size)
    {
        size = Math.Min(size, data.Length - offset);
        var span = data.AsSpan(offset, Math.Max(0, size));
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }

    /// <summary>bpftrace's %r: printable ASCII as is, every other byte as \xNN.</summary>
    public static string EscapeBuffer(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7e) builder.Append((char)b);
            else builder.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
        }
        return builder.ToString();
    }

    /// <summary>A value of <paramref name="type"/> stored at <paramref name="offset"/>, as bpftrace prints it.</summary>
    public string FormatValue(ScriptType type, byte[] data, int offset, bool json, bool asKey = false)
    {
        switch (type.Kind)
        {
            case TypeKind.Kstack or TypeKind.Ustack or TypeKind.Ksym or TypeKind.Usym:
            {
                var text = stacks is null ? "" : type.Kind switch
                {
                    TypeKind.Ksym => stacks.Ksym(BitConverter.ToUInt64(data, offset)),
                    TypeKind.Usym => stacks.Usym(BitConverter.ToUInt64(data, offset), (int)BitConverter.ToInt64(data, offset + 8)),
                    _ => stacks.Stack(type, data, offset, asKey),
                };
                return json ? JsonText.Quote(text) : text;
            }
            case TypeKind.String:
            {
                var text = ReadString(data, offset, type.Size);
                return json ? JsonText.Quote(text) : text;
            }
            case TypeKind.Tuple:
            {
                var parts = type.Elements.Select((e, i) => FormatValue(e, data, offset + type.ElementOffset(i), json));
                return json ? "[" + string.Join(",", parts) + "]" : "(" + string.Join(", ", parts) + ")";
            }
            case TypeKind.Probe:
            {
                var name = probeName((int)BitConverter.ToInt64(data, offset));
                return json ? JsonText.Quote(name) : name;
            }
            case TypeKind.Timestamp:
            {
                var text = Strftime.Format(type.TimeFormat ?? "", BootTime.ToWallClock(BitConverter.ToUInt64(data, offset)));
                return json ? JsonText.Quote(text) : text;
            }
            case TypeKind.Buffer:
            {
                var length = (int)Math.Min(BitConverter.ToUInt64(data, offset), (ulong)(type.Size - 8));
                var text = EscapeBuffer(data.AsSpan(offset + 8, Math.Min(length, data.Length - offset - 8)));
                return json ? JsonText.Quote(text) : text;
            }
            case TypeKind.Inet:
            {
                var text = InetText.Format(BitConverter.ToInt64(data, offset), data.AsSpan(offset + 8, 16));
                return json ? JsonText.Quote(text) : text;
            }
            case TypeKind.Array:
                // bpftrace prints pton()'s bytes as unsigned numbers: [127,0,0,1].
                return "[" + string.Join(",", data.Skip(offset).Take(type.Size)) + "]";
            case TypeKind.CgroupPath:
            {
                var text = CgroupPaths.Format(BitConverter.ToUInt64(data, offset), type.CgroupFilter ?? "*");
                return json ? JsonText.Quote(text) : text;
            }
            case TypeKind.Strerror:
            {
                var text = ErrnoMessage.Text(BitConverter.ToInt64(data, offset));
                return json ? JsonText.Quote(text) : text;
            }
            case TypeKind.MacAddress:
            {
                // bpftrace prints the 6 bytes in upper-case hex.
                var text = Convert.ToHexString(data, offset, 6);
                text = string.Join(":", Enumerable.Range(0, 6).Select(i => text.Substring(2 * i, 2)));
                return json ? JsonText.Quote(text) : text;
            }
            case TypeKind.Username:
            {
                var name = UserNames.Lookup(BitConverter.ToUInt64(data, offset));
                return json ? JsonText.Quote(name) : name;
            }
            default:
                return type.Signed ? BitConverter.ToInt64(data, offset).ToString(CultureInfo.InvariantCulture)
                    : BitConverter.ToUInt64(data, offset).ToString(CultureInfo.InvariantCulture);
        }
    }

    private IEnumerable<string> KeyParts(MapInfo info, byte[] key, bool json) =>
        Enumerable.Range(0, info.KeyCount).Select(i =>
        {
            var type = info.Key!.Elements[i];
            // JSON keys are joined into one string: the parts themselves are not quoted.
            return type.Kind is TypeKind.String or TypeKind.Probe or TypeKind.Username or TypeKind.Timestamp or TypeKind.Inet or TypeKind.Strerror or TypeKind.MacAddress or TypeKind.CgroupPath or TypeKind.Buffer or TypeKind.Kstack or TypeKind.Ustack or TypeKind.Ksym or TypeKind.Usym
                ? FormatValue(type, key, info.Key.ElementOffset(i), json: false, asKey: true)
                : FormatValue(type, key, info.Key.ElementOffset(i), json, asKey: true);
        });

    private string TextKey(MapInfo info, byte[] key) =>
        info.Name + (info.KeyCount == 0 ? "" : "[" + string.Join(", ", KeyParts(info, key, false)) + "]");

    private string ValueText(MapInfo info, Entry entry, long div, bool json) => info.Value.Kind switch
    {
        TypeKind.Count => ((ulong)entry.Value / (ulong)div).ToString(CultureInfo.InvariantCulture),
        TypeKind.Sum or TypeKind.Min or TypeKind.Max or TypeKind.Avg => info.Value.Signed || info.Value.Kind is TypeKind.Avg
            ? (entry.Value / div).ToString(CultureInfo.InvariantCulture)
            : ((ulong)entry.Value / (ulong)div).ToString(CultureInfo.InvariantCulture),
        TypeKind.Stats => json
            ? $"{{\"count\": {entry.Count}, \"average\": {entry.Value}, \"total\": {entry.Total}}}"
            : $"count {entry.Count}, average {entry.Value}, total {entry.Total}",
        TypeKind.Integer when div != 1 => info.Value.Signed ? (entry.Value / div).ToString(CultureInfo.InvariantCulture) : ((ulong)entry.Value / (ulong)div).ToString(CultureInfo.InvariantCulture),
        _ => FormatValue(info.Value, entry.Raw, 0, json),
    };

    private string Text(MapInfo info, List<Entry> entries, long div)
    {
        var kind = info.Value.Kind;
        if (kind is TypeKind.Hist or TypeKind.Lhist)
        {
            var parts = entries.Select(e => TextKey(info, e.Key) + ": \n" + (kind == TypeKind.Hist ? HistText(e.Buckets, div) : LhistText(e.Buckets, info.Value.Linear)));
            return string.Join("\n", parts) + "\n";
        }
        var lines = string.Join("\n", entries.Select(e => TextKey(info, e.Key) + ": " + ValueText(info, e, div, false)));
        return lines + (kind is TypeKind.Avg or TypeKind.Stats ? "\n\n" : "\n");
    }

    private string Json(MapInfo info, List<Entry> entries, long div)
    {
        if (entries.Count == 0) return "";
        var kind = info.Value.Kind;
        var type = kind is TypeKind.Hist or TypeKind.Lhist ? "hist" : kind is TypeKind.Stats or TypeKind.Avg ? "stats" : "map";
        var elements = entries.Select(e =>
        {
            var value = kind == TypeKind.Hist ? HistJson(e.Buckets, div)
                : kind == TypeKind.Lhist ? LhistJson(e.Buckets, info.Value.Linear)
                : ValueText(info, e, div, true);
            return info.KeyCount == 0 ? value : JsonText.Quote(string.Join(",", KeyParts(info, e.Key, true))) + ": " + value;
        });
        var body = string.Join(", ", elements);
        return $"{{\"type\": \"{type}\", \"data\": {{{JsonText.Quote(info.Name)}: {(info.KeyCount > 0 ? "{" + body + "}" : body)}}}}}\n";
    }

    private static string HistIndexLabel(int power)
    {
        var suffix = "";
        foreach (var (limit, s) in new[] { (40, "T"), (30, "G"), (20, "M"), (10, "K") })
        {
            if (power >= limit)
            {
                suffix = s;
                power -= limit;
                break;
            }
        }
        return (1L << power).ToString(CultureInfo.InvariantCulture) + suffix;
    }

    private static string LhistIndexLabel(long number)
    {
        const long kilo = 1024, mega = 1048576;
        if (number == 0) return "0";
        if (number % mega == 0) return $"{number / mega}M";
        if (number % kilo == 0) return $"{number / kilo}K";
        return number.ToString(CultureInfo.InvariantCulture);
    }

    private static string Row(string header, long count, long max) =>
        header.PadRight(16) + count.ToString(CultureInfo.InvariantCulture).PadLeft(8) + " |" + new string('@', max == 0 ? 0 : (int)(count / (float)max * BarWidth)).PadRight(BarWidth) + "|\n";

    private static string HistText(long[] values, long div)
    {
        var (min, max, maxValue) = HistRange(values);
        if (max < 0) return "";
        var builder = new StringBuilder();
        for (var i = min; i <= max; i++)
        {
            var header = i switch { 0 => "(..., 0)", 1 => "[0]", 2 => "[1]", _ => $"[{HistIndexLabel(i - 2)}, {HistIndexLabel(i - 1)})" };
            builder.Append(header.PadRight(16) + (values[i] / div).ToString(CultureInfo.InvariantCulture).PadLeft(8) + " |"
                + new string('@', maxValue == 0 ? 0 : (int)(values[i] / (float)maxValue * BarWidth)).PadRight(BarWidth) + "|\n");
        }
        return builder.ToString();
    }

    private static (int Min, int Max, long MaxValue) HistRange(long[] values)
    {
        int min = -1, max = -1;
        long maxValue = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] > 0)
            {
                if (min < 0) min = i;
                max = i;
            }
            maxValue = Math.Max(maxValue, values[i]);
        }
        return (min, max, maxValue);
    }

    private static string LhistText(long[] values, (long Min, long Max, long Step) linear)
    {
        var (start, end, maxValue) = HistRange(values);
        if (end < 0) return "";
        var buckets = (linear.Max - linear.Min) / linear.Step;
        var builder = new StringBuilder();
        for (var i = start; i <= end; i++)
        {
            var header = i == 0 ? $"(..., {LhistIndexLabel(linear.Min)})"
                : i == buckets + 1 ? $"[{LhistIndexLabel(linear.Max)}, ...)"
                : $"[{LhistIndexLabel((i - 1) * linear.Step + linear.Min)}, {LhistIndexLabel(i * linear.Step + linear.Min)})";
            builder.Append(Row(header, values[i], maxValue));
        }
        return builder.ToString();
    }

    private static string HistJson(long[] values, long div)
    {
        var (min, max, _) = HistRange(values);
        if (max < 0) return "";
        var parts = new List<string>();
        for (var i = min; i <= max; i++)
        {
            var range = i switch
            {
                0 => "\"max\": -1, ",
                1 => "\"min\": 0, \"max\": 0, ",
                2 => "\"min\": 1, \"max\": 1, ",
                _ => $"\"min\": {1L << (i - 2)}, \"max\": {(1L << (i - 1)) - 1}, ",
            };
            parts.Add("{" + range + $"\"count\": {values[i] / div}" + "}");
        }
        return "[" + string.Join(", ", parts) + "]";
    }

    private static string LhistJson(long[] values, (long Min, long Max, long Step) linear)
    {
        var (start, end, _) = HistRange(values);
        if (end < 0) return "";
        var buckets = (linear.Max - linear.Min) / linear.Step;
        var parts = new List<string>();
        for (var i = start; i <= end; i++)
        {
            var range = i == 0 ? $"\"max\": {linear.Min - 1}, "
                : i == buckets + 1 ? $"\"min\": {linear.Max}, "
                : $"\"min\": {(i - 1) * linear.Step + linear.Min}, \"max\": {i * linear.Step + linear.Min - 1}, ";
            parts.Add("{" + range + $"\"count\": {values[i]}" + "}");
        }
        return "[" + string.Join(", ", parts) + "]";
    }
}
