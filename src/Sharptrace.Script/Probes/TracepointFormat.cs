using System.Globalization;

namespace Sharptrace.Script.Probes;

/// <summary>One field of a tracepoint record: "field:const char * filename;	offset:24;	size:8;	signed:0;".</summary>
internal sealed record TracepointField(string Name, string CType, int Offset, int Size, bool Signed)
{
    /// <summary>"char comm[16]" style fields hold text inline.</summary>
    public bool IsCharArray => CType.Contains('[') && CType.StartsWith("char", StringComparison.Ordinal);

    public bool IsPointer => CType.Contains('*');
}

/// <summary>
/// The record layout of a tracepoint, from tracefs events/CATEGORY/NAME/format. Pure text parsing;
/// common_* fields are kept, as bpftrace's args do not show them but offsets count them.
/// </summary>
internal sealed class TracepointFormat(IReadOnlyList<TracepointField> fields)
{
    public IReadOnlyList<TracepointField> Fields { get; } = fields;

    public TracepointField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public static TracepointFormat Parse(string text)
    {
        var fields = new List<TracepointField>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (!line.StartsWith("field:", StringComparison.Ordinal)) continue;
            var parts = line.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var declaration = parts[0]["field:".Length..].Trim();
            int offset = 0, size = 0;
            var signed = false;
            foreach (var part in parts.Skip(1))
            {
                var colon = part.IndexOf(':');
                if (colon < 0) continue;
                var value = part[(colon + 1)..];
                switch (part[..colon])
                {
                    case "offset": offset = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "size": size = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "signed": signed = value == "1"; break;
                }
            }
            // "const char * filename", "char comm[16]", "__data_loc char[] name", "unsigned long args[6]".
            var nameEnd = declaration.Length;
            var bracket = declaration.LastIndexOf('[');
            var nameStart = declaration.LastIndexOfAny([' ', '*'], bracket > 0 && declaration.EndsWith(']') ? bracket : nameEnd - 1) + 1;
            var name = bracket > nameStart ? declaration[nameStart..bracket] : declaration[nameStart..];
            var type = bracket > nameStart ? declaration[..nameStart].Trim() + declaration[bracket..] : declaration[..nameStart].Trim();
            fields.Add(new TracepointField(name, type, offset, size, signed));
        }
        return new TracepointFormat(fields);
    }
}
