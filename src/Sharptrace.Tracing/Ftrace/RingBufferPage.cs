using System.Buffers.Binary;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// One ring-buffer page as <c>per_cpu/cpuN/trace_pipe_raw</c> hands it out: a header (base timestamp,
/// commit word with the data length and the lost-events flags) and compressed event headers
/// (see the kernel's ring_buffer.c). Pure and allocation-free: enumerate it with foreach.
/// </summary>
public readonly ref struct RingBufferPage
{
    private readonly ReadOnlySpan<byte> page;
    private readonly RingBufferLayout layout;

    /// <summary>Parses the page header; throws <see cref="RingBufferFormatException"/> when it does not fit the page.</summary>
    public RingBufferPage(ReadOnlySpan<byte> page, RingBufferLayout layout)
    {
        this.page = page;
        this.layout = layout;
        if (page.Length < layout.DataOffset)
            throw new RingBufferFormatException(0, $"page of {page.Length} bytes is shorter than its header ({layout.DataOffset})");
        Timestamp = BinaryPrimitives.ReadUInt64LittleEndian(page[layout.TimestampOffset..]);
        var commit = layout.CommitSize == 8
            ? BinaryPrimitives.ReadInt64LittleEndian(page[layout.CommitOffset..])
            : BinaryPrimitives.ReadUInt32LittleEndian(page[layout.CommitOffset..]);
        DataLength = (int)(commit & RingBufferLayout.CommitMask);
        HasMissedEvents = (commit & RingBufferLayout.MissedEventsFlag) != 0;
        if (layout.DataOffset + DataLength > page.Length)
            throw new RingBufferFormatException(layout.CommitOffset, $"commit says {DataLength} bytes of data, the page holds {page.Length - layout.DataOffset}");
        MissedEvents = HasMissedEvents ? -1 : 0;
        var countAt = layout.DataOffset + DataLength;
        if ((commit & RingBufferLayout.MissedStoredFlag) != 0 && countAt + 8 <= page.Length)
            MissedEvents = BinaryPrimitives.ReadInt64LittleEndian(page[countAt..]);
    }

    /// <summary>The timestamp the first event's delta is added to.</summary>
    public ulong Timestamp { get; }

    /// <summary>Bytes of event data on the page.</summary>
    public int DataLength { get; }

    /// <summary>Whether the kernel lost (overwrote or dropped) events before this page.</summary>
    public bool HasMissedEvents { get; }

    /// <summary>How many events were lost before this page: 0 none, -1 some (count not stored).</summary>
    public long MissedEvents { get; }

    /// <summary>Enumerates the page's data records with their absolute timestamps.</summary>
    public Enumerator GetEnumerator() => new(page[..(layout.DataOffset + DataLength)], layout.DataOffset, Timestamp);

    /// <summary>Counts the data records on the page (walks it).</summary>
    public int Count()
    {
        var n = 0;
        foreach (var _ in this) n++;
        return n;
    }

    /// <summary>Walks the event headers: data records, padding, time extends and absolute time stamps.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> page;
        private int position;
        private ulong timestamp;
        private RawEvent current;

        internal Enumerator(ReadOnlySpan<byte> page, int start, ulong timestamp)
        {
            this.page = page;
            position = start;
            this.timestamp = timestamp;
        }

        /// <summary>The record at the cursor.</summary>
        public readonly RawEvent Current => current;

        /// <summary>Moves to the next data record; false at the end of the committed data.</summary>
        public bool MoveNext()
        {
            while (position + 4 <= page.Length)
            {
                var at = position;
                var header = BinaryPrimitives.ReadUInt32LittleEndian(page[at..]);
                var typeLength = (int)(header & 0x1f);
                var delta = header >> 5;
                switch (typeLength)
                {
                    case RingBufferLayout.PaddingType:
                        // A padding with delta 0 fills the rest of the page; otherwise it is a
                        // discarded event whose length is in array[0] (and whose delta does not count).
                        if (delta == 0) { position = page.Length; return false; }
                        {
                            var padding = Array0(at);
                            if (padding > page.Length - at - 4) Throw(at, $"padding of {padding} bytes runs past the data");
                            position = at + 4 + (int)padding;
                            continue;
                        }
                    case RingBufferLayout.TimeExtendType:
                        timestamp += ((ulong)Array0(at) << RingBufferLayout.TimeShift) + delta;
                        position = at + 8;
                        continue;
                    case RingBufferLayout.TimeStampType:
                        timestamp = FixAbsolute(((ulong)Array0(at) << RingBufferLayout.TimeShift) + delta, timestamp);
                        position = at + 8;
                        continue;
                    case 0:
                        {
                            // Long records: array[0] holds the payload length plus its own 4 bytes.
                            var length = Array0(at);
                            if (length < 4 || length > page.Length - at - 4) Throw(at, $"record length {length} runs past the data");
                            timestamp += delta;
                            current = new RawEvent(timestamp, page.Slice(at + 8, (int)length - 4), at + 8);
                            position = at + 4 + (int)((length + 3) & ~3u);
                            return true;
                        }
                    default:
                        {
                            var length = typeLength * 4;
                            if (length > page.Length - at - 4) Throw(at, $"record of {length} bytes runs past the data");
                            timestamp += delta;
                            current = new RawEvent(timestamp, page.Slice(at + 4, length), at + 4);
                            position = at + 4 + length;
                            return true;
                        }
                }
            }
            if (position != page.Length) Throw(position, "event header cut off at the end of the data");
            return false;
        }

        private readonly uint Array0(int at)
        {
            if (at + 8 > page.Length) Throw(at, "event header cut off at the end of the data");
            return BinaryPrimitives.ReadUInt32LittleEndian(page[(at + 4)..]);
        }

        /// <summary>An absolute stamp holds only 59 bits; the top bits come from the running time (rb_fix_abs_ts).</summary>
        private static ulong FixAbsolute(ulong absolute, ulong running)
        {
            const ulong topBits = 0xf8UL << 56;
            if ((running & topBits) == 0) return absolute;
            absolute |= running & topBits;
            if (absolute < running) absolute += 1UL << 59;
            return absolute;
        }

        private static void Throw(int at, string message) => throw new RingBufferFormatException(at, message);
    }
}
