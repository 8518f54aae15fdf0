namespace Sharptrace.Tracing.Ftrace;

/// <summary>A malformed ring-buffer page or event header; names the byte offset in the page.</summary>
public sealed class RingBufferFormatException(long offset, string message)
    : FormatException($"ring buffer page, offset {offset}: {message}")
{
    /// <summary>Offset of the problem, from the start of the page.</summary>
    public long Offset { get; } = offset;
}
