using System.Text;
using Sharptrace.Script.Syntax;

namespace Sharptrace.Script.Diagnostics;

/// <summary>
/// Renders a diagnostic as compilers do: <c>file:line:col: error: message</c>, the source line with
/// tabs expanded, and the span underlined with a caret and tildes (<c>^~~~</c>).
/// </summary>
internal static class DiagnosticRenderer
{
    private const int TabWidth = 8;

    public static string Render(SourceText source, Diagnostic diagnostic)
    {
        var (line, column) = source.LineColumn(diagnostic.Span.Start);
        var builder = new StringBuilder();
        builder.Append($"{source.Name}:{line}:{column}: {(diagnostic.IsWarning ? "warning" : "error")}: {diagnostic.Message}\n");
        var text = source.LineText(line);
        var (expanded, startCol) = Expand(text, column - 1);
        // A span that runs past the end of its line is underlined to the end of the line only.
        var endOffset = Math.Min(column - 1 + Math.Max(diagnostic.Span.Length, 1), text.Length);
        var (_, endCol) = Expand(text, Math.Max(endOffset, column - 1));
        var width = Math.Max(1, endCol - startCol);
        builder.Append(expanded).Append('\n');
        builder.Append(' ', startCol).Append('^').Append('~', width - 1).Append('\n');
        if (diagnostic.Hint is { } hint) builder.Append(hint).Append('\n');
        return builder.ToString();
    }

    /// <summary>The line with tabs expanded, and the display column of character <paramref name="index"/>.</summary>
    private static (string Expanded, int Column) Expand(string line, int index)
    {
        var builder = new StringBuilder();
        var column = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (i == index) column = builder.Length;
            if (line[i] == '\t') builder.Append(' ', TabWidth - builder.Length % TabWidth);
            else builder.Append(line[i]);
        }
        if (index >= line.Length) column = builder.Length + (index - line.Length);
        return (builder.ToString(), column);
    }
}
