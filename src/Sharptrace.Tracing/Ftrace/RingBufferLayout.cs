using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// Where a ring-buffer page (sub-buffer) keeps its timestamp, commit word and data, read from tracefs
/// <c>events/header_page</c>; and the event header constants of <c>events/header_event</c>. Pure: the
/// texts in, the layout out, so a capture carries the layout of the machine that recorded it.
/// </summary>
public sealed record RingBufferLayout(int TimestampOffset, int CommitOffset, int CommitSize, int DataOffset)
{
    /// <summary>Bit of the commit word: events were lost before this page.</summary>
    public const long MissedEventsFlag = 1L << 31;

    /// <summary>Bit of the commit word: the count of lost events is stored right after the data.</summary>
    public const long MissedStoredFlag = 1L << 30;

    /// <summary>The commit word's length bits (kbuffer's COMMIT_MASK).</summary>
    public const long CommitMask = (1L << 27) - 1;

    /// <summary>Event header type_len values of header_event (the same since 2.6.30).</summary>
    public const int PaddingType = 29, TimeExtendType = 30, TimeStampType = 31, MaxDataType = 28;

    /// <summary>Bits of time_delta in an event header; a time extend holds the bits above them.</summary>
    public const int TimeShift = 27;

    /// <summary>The layout of 64-bit kernels: u64 timestamp, 8-byte local_t commit, data at 16.</summary>
    public static RingBufferLayout Default64 { get; } = new(0, 8, 8, 16);

    /// <summary>Reads the layout from the text of events/header_page (and checks events/header_event when given).</summary>
    public static RingBufferLayout Parse(string headerPage, string? headerEvent = null)
    {
        var fields = EventFormat.ParseFields(headerPage, "header_page");
        EventField Need(string name) =>
            fields.FirstOrDefault(f => f.Name == name) ?? throw new EventFormatException("header_page", 1, $"no '{name}' field");
        var timestamp = Need("timestamp");
        var commit = Need("commit");
        var data = Need("data");
        if (timestamp.Size != 8 || commit.Size is not (4 or 8))
            throw new EventFormatException("header_page", 1, $"unexpected sizes: timestamp {timestamp.Size}, commit {commit.Size}");
        if (headerEvent is not null && !headerEvent.Contains("type == 29", StringComparison.Ordinal))
            throw new EventFormatException("header_event", 1, "unknown event header encoding (padding is not type 29)");
        return new RingBufferLayout(timestamp.Offset, commit.Offset, commit.Size, data.Offset);
    }
}
