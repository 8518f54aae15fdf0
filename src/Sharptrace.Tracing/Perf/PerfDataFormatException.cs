namespace Sharptrace.Tracing.Perf;

/// <summary>A perf.data file that is not one, or is damaged; carries the byte offset of the problem.</summary>
public sealed class PerfDataFormatException(string path, long offset, string problem)
    : FormatException($"{path}: {problem} (at offset {offset})")
{
    /// <summary>Where in the file the problem is.</summary>
    public long Offset { get; } = offset;
}
