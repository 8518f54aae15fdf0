using System.Globalization;

namespace Sharptrace.Tracing.TraceFs;

/// <summary>
/// A trace event's record layout, parsed from tracefs <c>events/SYSTEM/EVENT/format</c> (pure: the
/// text in, the layout out). Also reads the field lists of <c>events/header_page</c>.
/// </summary>
public sealed class EventFormat
{
    private EventFormat(string name, int id, IReadOnlyList<EventField> fields, string printFormat)
    {
        Name = name;
        Id = id;
        Fields = fields;
        PrintFormat = printFormat;
    }

    /// <summary>The event's name (without its system).</summary>
    public string Name { get; }

    /// <summary>The event id (the common_type of its records; the perf tracepoint config).</summary>
    public int Id { get; }

    /// <summary>All fields in file order, the common_* ones first.</summary>
    public IReadOnlyList<EventField> Fields { get; }

    /// <summary>The event's own fields (without common_*).</summary>
    public IEnumerable<EventField> OwnFields => Fields.Where(f => !f.IsCommon);

    /// <summary>The text after "print fmt: ": the kernel's format string and its arguments.</summary>
    public string PrintFormat { get; }

    /// <summary>The field named <paramref name="name"/>, or null.</summary>
    public EventField? Field(string name)
    {
        foreach (var field in Fields)
            if (field.Name == name) return field;
        return null;
    }

    /// <summary>Size of the fixed part of a record (end of the last field).</summary>
    public int FixedSize => Fields.Count == 0 ? 0 : Fields.Max(f => f.Offset + f.Size);

    /// <summary>Reads and parses the format of <paramref name="system"/>:<paramref name="eventName"/> under tracefs <paramref name="root"/>.</summary>
    public static EventFormat Load(string root, string system, string eventName)
    {
        var path = Path.Combine(root, "events", system, eventName, "format");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new Kernel.TracepointNotFoundException(system, eventName);
        }
        return Parse(text, path);
    }

    /// <summary>Parses the text of a format file; <paramref name="source"/> names it in errors.</summary>
    public static EventFormat Parse(string text, string source = "format")
    {
        string? name = null;
        var id = -1;
        var fields = new List<EventField>();
        var printFormat = "";
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line == "format:") continue;
            if (line.StartsWith("name:", StringComparison.Ordinal)) name = line[5..].Trim();
            else if (line.StartsWith("ID:", StringComparison.Ordinal))
            {
                if (!int.TryParse(line.AsSpan(3).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id))
                    throw new EventFormatException(source, i + 1, $"bad ID '{line[3..].Trim()}'");
            }
            else if (line.StartsWith("field:", StringComparison.Ordinal)) fields.Add(ParseField(line, source, i + 1));
            else if (line.StartsWith("print fmt:", StringComparison.Ordinal)) printFormat = line[10..].Trim();
        }
        if (fields.Count == 0) throw new EventFormatException(source, lines.Length, "no fields");
        return new EventFormat(name ?? "", id, fields, printFormat);
    }

    /// <summary>Parses the field list of a header file such as events/header_page (no name or ID).</summary>
    public static IReadOnlyList<EventField> ParseFields(string text, string source = "header")
    {
        var fields = new List<EventField>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("field:", StringComparison.Ordinal)) fields.Add(ParseField(line, source, i + 1));
        }
        return fields;
    }

    /// <summary>"field:const char * filename;	offset:24;	size:8;	signed:0;"</summary>
    private static EventField ParseField(string line, string source, int lineNumber)
    {
        string? declaration = null;
        int? offset = null, size = null;
        var signed = false;
        foreach (var rawPart in line.Split(';'))
        {
            var part = rawPart.Trim();
            if (part.Length == 0) continue;
            var colon = part.IndexOf(':');
            if (colon < 0) throw new EventFormatException(source, lineNumber, $"expected 'key:value', got '{part}'");
            var key = part[..colon].Trim();
            var value = part[(colon + 1)..].Trim();
            switch (key)
            {
                case "field": declaration = value; break;
                case "offset": offset = ParseInt(value, source, lineNumber, key); break;
                case "size": size = ParseInt(value, source, lineNumber, key); break;
                case "signed": signed = ParseInt(value, source, lineNumber, key) != 0; break;
            }
        }
        if (declaration is null || offset is null || size is null)
            throw new EventFormatException(source, lineNumber, "a field needs a declaration, offset and size");
        if (offset < 0 || size < 0) throw new EventFormatException(source, lineNumber, "negative offset or size");
        return ParseDeclaration(declaration, offset.Value, size.Value, signed, source, lineNumber);
    }

    /// <summary>Splits "__data_loc char[] name", "char comm[16]", "const char * filename" into type, name and array length.</summary>
    private static EventField ParseDeclaration(string declaration, int offset, int size, bool signed, string source, int lineNumber)
    {
        var isDataLoc = false;
        var isRelLoc = false;
        if (declaration.StartsWith("__data_loc ", StringComparison.Ordinal)) { isDataLoc = true; declaration = declaration[11..].Trim(); }
        else if (declaration.StartsWith("__rel_loc ", StringComparison.Ordinal)) { isRelLoc = true; declaration = declaration[10..].Trim(); }

        int? arrayLength = null;
        var bracket = declaration.IndexOf('[');
        if (bracket >= 0)
        {
            var close = declaration.IndexOf(']', bracket);
            if (close < 0) throw new EventFormatException(source, lineNumber, $"unclosed '[' in '{declaration}'");
            var inside = declaration[(bracket + 1)..close].Trim();
            if (inside.Length == 0) arrayLength = 0;
            else if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) arrayLength = n;
            else arrayLength = 0; // a symbolic length such as [TASK_COMM_LEN]: the size says it all
            declaration = (declaration[..bracket] + declaration[(close + 1)..]).Trim();
        }
        // The name is the last identifier; "char[] name" (data_loc) puts the brackets on the type.
        var end = declaration.Length;
        var start = end;
        while (start > 0 && (char.IsAsciiLetterOrDigit(declaration[start - 1]) || declaration[start - 1] == '_')) start--;
        if (start == end) throw new EventFormatException(source, lineNumber, $"no field name in '{declaration}'");
        var name = declaration[start..end];
        var type = declaration[..start].Trim();
        if (type.Length == 0) throw new EventFormatException(source, lineNumber, $"no type for field '{name}'");
        if (arrayLength is > 0 && size % arrayLength.Value != 0) arrayLength = null; // inconsistent: treat as opaque bytes
        return new EventField(name, type, offset, size, signed) { ArrayLength = arrayLength, IsDataLoc = isDataLoc, IsRelLoc = isRelLoc };
    }

    private static int ParseInt(string value, string source, int lineNumber, string key) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new EventFormatException(source, lineNumber, $"bad {key} '{value}'");
}

/// <summary>A malformed tracefs format file; names the file and line.</summary>
public sealed class EventFormatException(string source, int line, string message)
    : FormatException($"{source}:{line}: {message}")
{
    /// <summary>The file (or description) that was parsed.</summary>
    public string File { get; } = source;

    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; } = line;
}
