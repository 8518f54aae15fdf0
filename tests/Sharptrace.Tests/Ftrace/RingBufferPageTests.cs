using System.Buffers.Binary;
using Sharptrace.Tracing.Ftrace;

namespace Sharptrace.Tests.Ftrace;

/// <summary>Hand-built pages for every event header kind of the kernel's ring buffer.</summary>
public sealed class RingBufferPageTests
{
    /// <summary>Builds a page: header (timestamp, commit) then the given event words.</summary>
    internal sealed class PageBuilder(ulong timestamp, int pageSize = 4096)
    {
        private readonly List<byte> data = [];

        public PageBuilder Data(uint delta, byte[] payload)
        {
            if (payload.Length % 4 != 0) throw new ArgumentException("payload must be 4-aligned");
            if (payload.Length <= 28 * 4) Word((uint)(payload.Length / 4) | delta << 5);
            else { Word(delta << 5); Word((uint)payload.Length + 4); }
            data.AddRange(payload);
            return this;
        }

        public PageBuilder TimeExtend(ulong delta) { Word(30u | (uint)(delta & ((1 << 27) - 1)) << 5); Word((uint)(delta >> 27)); return this; }

        public PageBuilder AbsoluteTime(ulong time) { Word(31u | (uint)(time & ((1 << 27) - 1)) << 5); Word((uint)(time >> 27)); return this; }

        public PageBuilder Discarded(int length) { Word(29u | 1u << 5); Word((uint)length); data.AddRange(new byte[length - 4]); return this; }

        public PageBuilder Word(uint word)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, word);
            data.AddRange(bytes.ToArray());
            return this;
        }

        public byte[] Build(long flags = 0, long? missed = null)
        {
            var page = new byte[pageSize];
            BinaryPrimitives.WriteUInt64LittleEndian(page, timestamp);
            BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(8), (long)data.Count | flags);
            data.ToArray().CopyTo(page, 16);
            if (missed is long count) BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(16 + data.Count), count);
            return page;
        }
    }

    private static byte[] Payload(int length, byte fill)
    {
        var bytes = Enumerable.Repeat(fill, length).ToArray();
        bytes[0] = fill; bytes[1] = 0; // common_type = fill
        return bytes;
    }

    private static List<(ulong Timestamp, int Type, int Length)> Walk(byte[] page)
    {
        var list = new List<(ulong, int, int)>();
        foreach (var e in new RingBufferPage(page, RingBufferLayout.Default64)) list.Add((e.Timestamp, e.Type, e.Data.Length));
        return list;
    }

    [Fact]
    public void SmallAndLongRecordsAddTheirDeltas()
    {
        var page = new PageBuilder(1_000_000).Data(5, Payload(16, 1)).Data(7, Payload(200, 2)).Data(0, Payload(112, 3)).Build();
        Assert.Equal([(1_000_005UL, 1, 16), (1_000_012UL, 2, 200), (1_000_012UL, 3, 112)], Walk(page));
    }

    [Fact]
    public void TimeExtendsAndAbsoluteStampsMoveTheClock()
    {
        var big = (1UL << 27) * 3 + 17;
        var page = new PageBuilder(100).TimeExtend(big).Data(1, Payload(8, 1)).AbsoluteTime(5_000_000_000).Data(2, Payload(8, 2)).Build();
        Assert.Equal([(100 + big + 1, 1, 8), (5_000_000_002UL, 2, 8)], Walk(page));
    }

    [Fact]
    public void AbsoluteStampsKeepTheTopBitsOfTheRunningClock()
    {
        var top = 0x0800_0000_0000_0000UL; // a bit above the 59 an absolute stamp holds
        var page = new PageBuilder(top + 10).AbsoluteTime(1234).Data(0, Payload(8, 1)).Build();
        Assert.Equal(top + 1234, Walk(page)[0].Timestamp);
    }

    [Fact]
    public void DiscardedEventsAreSkippedAndNullPaddingEndsThePage()
    {
        var page = new PageBuilder(0).Data(1, Payload(8, 1)).Discarded(24).Data(1, Payload(8, 2)).Word(29).Build();
        Assert.Equal([(1UL, 1, 8), (2UL, 2, 8)], Walk(page));
    }

    [Fact]
    public void MissedEventFlagsAndStoredCountAreRead()
    {
        var builder = new PageBuilder(0).Data(1, Payload(8, 1));
        var some = new RingBufferPage(builder.Build(RingBufferLayout.MissedEventsFlag), RingBufferLayout.Default64);
        Assert.True(some.HasMissedEvents);
        Assert.Equal(-1, some.MissedEvents);
        var counted = new RingBufferPage(builder.Build(RingBufferLayout.MissedEventsFlag | RingBufferLayout.MissedStoredFlag, 42), RingBufferLayout.Default64);
        Assert.Equal(42, counted.MissedEvents);
        Assert.Equal(1, counted.Count());
        Assert.False(new RingBufferPage(builder.Build(), RingBufferLayout.Default64).HasMissedEvents);
    }

    [Fact]
    public void LayoutComesFromHeaderPage()
    {
        const string headerPage = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";
        Assert.Equal(RingBufferLayout.Default64, RingBufferLayout.Parse(headerPage, "padding     : type == 29"));
        Assert.Throws<Sharptrace.Tracing.TraceFs.EventFormatException>(() => RingBufferLayout.Parse("field: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"));
    }

    [Theory]
    [InlineData(5000, "commit says")]
    [InlineData(2, "cut off")]
    [InlineData(4, "runs past")]
    public void MalformedPagesRaiseTypedErrors(int commit, string message)
    {
        var page = new PageBuilder(0).Data(1, Payload(8, 1)).Build();
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(8), commit);
        var e = Assert.Throws<RingBufferFormatException>(() => Walk(page));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void RecordsRunningPastTheDataAreRejected()
    {
        var page = new PageBuilder(0).Word(0).Word(4000).Build();
        Assert.Throws<RingBufferFormatException>(() => Walk(page));
        var small = new PageBuilder(0).Word(28).Build(); // claims 112 bytes, has none
        Assert.Throws<RingBufferFormatException>(() => Walk(small));
    }
}
