namespace Sharptrace.Tracing.Ftrace;

/// <summary>A trace file that is not ours or is damaged; names the file offset.</summary>
public sealed class TraceFileFormatException(long offset, string message) : FormatException($"trace file, offset {offset}: {message}")
{
    /// <summary>Where in the file the problem is.</summary>
    public long Offset { get; } = offset;
}
