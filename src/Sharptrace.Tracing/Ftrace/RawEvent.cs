namespace Sharptrace.Tracing.Ftrace;

/// <summary>One record of a ring-buffer page: its absolute timestamp and its payload (the event's fields, common_type first).</summary>
public readonly ref struct RawEvent(ulong timestamp, ReadOnlySpan<byte> data, int offset)
{
    /// <summary>Absolute timestamp in trace_clock units (ns for the local/global/mono clocks).</summary>
    public ulong Timestamp { get; } = timestamp;

    /// <summary>The record, as laid out by the event's format file (may carry up to 3 bytes of padding at its end).</summary>
    public ReadOnlySpan<byte> Data { get; } = data;

    /// <summary>Offset of the payload from the start of the page.</summary>
    public int Offset { get; } = offset;

    /// <summary>The event id (common_type, the first u16 of every record).</summary>
    public int Type => Data.Length >= 2 ? Data[0] | Data[1] << 8 : -1;
}
