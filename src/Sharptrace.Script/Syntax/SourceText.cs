namespace Sharptrace.Script.Syntax;

/// <summary>A script's text and name, with line starts so spans turn into line:column for diagnostics.</summary>
internal sealed class SourceText
{
    private readonly int[] lineStarts;

    public SourceText(string name, string text)
    {
        Name = name;
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        lineStarts = [.. starts];
    }

    /// <summary>The file name, or "stdin" for -e scripts (as bpftrace names them).</summary>
    public string Name { get; }

    public string Text { get; }

    /// <summary>1-based line and column of <paramref name="offset"/>.</summary>
    public (int Line, int Column) LineColumn(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var index = Array.BinarySearch(lineStarts, offset);
        if (index < 0) index = ~index - 1;
        return (index + 1, offset - lineStarts[index] + 1);
    }

    /// <summary>The text of 1-based <paramref name="line"/> without its newline.</summary>
    public string LineText(int line)
    {
        var start = lineStarts[line - 1];
        var end = line < lineStarts.Length ? lineStarts[line] - 1 : Text.Length;
        if (end > start && Text[end - 1] == '\r') end--;
        return Text[start..Math.Max(start, end)];
    }
}
