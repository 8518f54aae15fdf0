using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Bpf.Readers;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Readers;

/// <summary>A BPF ring buffer fed by a real tracepoint program, read by <see cref="RingBufferReader"/>.</summary>
public sealed class RingBufferReaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void OutputDeliversEveryEventInOrderWithItsPayload()
    {
        Require.Root();
        // 16 KiB holds ~400 of these 40-byte records: 2000 events in batches of 250 wrap it five times.
        using var ring = BpfMap.Create(MapSpec.RingBuffer("t_rb", 16 * 1024));
        using var lost = BpfMap.Create(MapSpec.PercpuArray("t_rb_lost", 8, 1));
        using var tracee = Tracee.Start();
        var (program, link) = LoadOutputProgram(ring, lost, tracee, "t_rb_output");
        using var _ = program;
        using var __ = link;
        using var reader = new RingBufferReader(ring, lost);

        const int total = 2000, batch = 250;
        var seen = new List<int>();
        for (var start = 0; start < total; start += batch)
        {
            tracee.Run(start, batch);
            ReadUntil(reader, seen, start + batch, record =>
            {
                TraceeEvents.AssertPayload(record, TraceeEvents.SequenceOf(record), tracee);
                return TraceeEvents.SequenceOf(record);
            });
        }

        Assert.Equal(Enumerable.Range(0, total), seen);
        Assert.Equal(total, reader.Delivered);
        Assert.Equal(0, reader.Lost);
        Assert.Equal(0, reader.Discarded);
    }

    [Fact]
    public void DiscardedReservationsAreSkippedAndCounted()
    {
        Require.Root();
        using var ring = BpfMap.Create(MapSpec.RingBuffer("t_rb_disc", 16 * 1024));
        using var lost = BpfMap.Create(MapSpec.PercpuArray("t_rb_dlost", 8, 1));
        using var tracee = Tracee.Start();
        var asm = new Assembler();
        var skip = asm.DefineLabel("skip");
        var full = asm.DefineLabel("full");
        var discard = asm.DefineLabel("discard");
        TraceeEvents.EmitFilter(asm, tracee, skip);
        // r9 = bpf_ringbuf_reserve(ring, 32, 0); fill it in place; submit even sequence numbers, discard odd ones.
        asm.LoadMapFd(Register.R1, ring.Fd.Value);
        asm.Mov64(Register.R2, TraceeEvents.PayloadSize);
        asm.Mov64(Register.R3, 0);
        asm.Call(BpfHelper.RingbufReserve);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, full);
        asm.Mov64(Register.R9, Register.R0);
        TraceeEvents.EmitPayload(asm, Register.R9, 0);
        asm.Mov64(Register.R1, Register.R9);
        asm.Mov64(Register.R2, 0);
        asm.JumpIf(JumpCondition.BitsSet, TraceeEvents.Sequence, 1, discard);
        asm.Call(BpfHelper.RingbufSubmit);
        asm.Jump(skip);
        asm.MarkLabel(discard);
        asm.Call(BpfHelper.RingbufDiscard);
        asm.Jump(skip);
        asm.MarkLabel(full);
        EventOutputCode.CountLost(asm, lost.Fd.Value, TraceeEvents.ScratchOffset);
        TraceeEvents.EmitReturn(asm, skip);
        var (program, link) = TraceeEvents.LoadAndAttach("t_rb_discard", asm);
        using var _ = program;
        using var __ = link;
        using var reader = new RingBufferReader(ring, lost);

        const int total = 1000, batch = 200;
        var seen = new List<int>();
        for (var start = 0; start < total; start += batch)
        {
            tracee.Run(start, batch);
            ReadUntil(reader, seen, (start + batch) / 2, record =>
            {
                TraceeEvents.AssertPayload(record, TraceeEvents.SequenceOf(record), tracee);
                return TraceeEvents.SequenceOf(record);
            });
        }
        // A discarded record still occupies its space until the consumer passes it: all of them were passed.
        reader.Consume(_ => Assert.Fail("no record may follow"));

        Assert.Equal(Enumerable.Range(0, total / 2).Select(i => 2 * i), seen);
        Assert.Equal(total / 2, reader.Delivered);
        Assert.Equal(total / 2, reader.Discarded);
        Assert.Equal(0, reader.Lost);
    }

    [Fact]
    public void AFullBufferCountsEveryLostEventExactly()
    {
        Require.Root();
        // One page holds about 100 records; the consumer stays away while 1000 are produced.
        using var ring = BpfMap.Create(MapSpec.RingBuffer("t_rb_small", 4096));
        using var lost = BpfMap.Create(MapSpec.PercpuArray("t_rb_slost", 8, 1));
        using var tracee = Tracee.Start();
        var (program, link) = LoadOutputProgram(ring, lost, tracee, "t_rb_overflow");
        using var _ = program;
        using var __ = link;
        using var reader = new RingBufferReader(ring, lost);

        const int produced = 1000;
        tracee.Run(0, produced);
        var seen = new List<int>();
        reader.Consume(record =>
        {
            TraceeEvents.AssertPayload(record, TraceeEvents.SequenceOf(record), tracee);
            seen.Add(TraceeEvents.SequenceOf(record));
        });

        Assert.InRange(seen.Count, 50, 4096 / 40);
        Assert.Equal(Enumerable.Range(0, seen.Count), seen); // the first ones fit, every later one was refused
        Assert.Equal(produced - seen.Count, reader.Lost);
        Assert.Equal(produced, reader.Delivered + reader.Lost);

        // Space is free again: the next event arrives.
        tracee.Run(produced, 1);
        Assert.Equal(1, reader.Poll(5000, record => Assert.Equal(produced, TraceeEvents.SequenceOf(record))));
        Assert.Equal(produced - seen.Count, reader.Lost);
    }

    [Fact]
    public void AThrowingHandlerConsumesItsRecordSoNothingIsDeliveredTwice()
    {
        Require.Root();
        using var ring = BpfMap.Create(MapSpec.RingBuffer("t_rb_throw", 16 * 1024));
        using var lost = BpfMap.Create(MapSpec.PercpuArray("t_rb_tlost", 8, 1));
        using var tracee = Tracee.Start();
        var (program, link) = LoadOutputProgram(ring, lost, tracee, "t_rb_throw");
        using var _ = program;
        using var __ = link;
        using var reader = new RingBufferReader(ring, lost);

        tracee.Run(0, 10);
        var seen = new List<int>();
        Assert.Throws<InvalidOperationException>(() => reader.Consume(record =>
        {
            seen.Add(TraceeEvents.SequenceOf(record));
            if (TraceeEvents.SequenceOf(record) == 4) throw new InvalidOperationException("handler failure");
        }));
        reader.Consume(record => seen.Add(TraceeEvents.SequenceOf(record)));

        Assert.Equal(Enumerable.Range(0, 10), seen);
        Assert.Equal(10, reader.Delivered);
    }

    [Fact]
    public async Task ReadAllAsyncStreamsTheSameEvents()
    {
        Require.Root();
        using var ring = BpfMap.Create(MapSpec.RingBuffer("t_rb_async", 16 * 1024));
        using var lost = BpfMap.Create(MapSpec.PercpuArray("t_rb_alost", 8, 1));
        using var tracee = Tracee.Start();
        var (program, link) = LoadOutputProgram(ring, lost, tracee, "t_rb_async");
        using var _ = program;
        using var __ = link;
        using var reader = new RingBufferReader(ring, lost);

        const int total = 300;
        using var timeout = new CancellationTokenSource(Patience);
        var seen = new List<int>();
        var producer = Task.Run(() => tracee.Run(0, total), TestContext.Current.CancellationToken);
        await foreach (var record in reader.ReadAllAsync(timeout.Token))
        {
            TraceeEvents.AssertPayload(record, TraceeEvents.SequenceOf(record), tracee);
            seen.Add(TraceeEvents.SequenceOf(record));
            if (seen.Count == total) break; // leaving early must stop the stream's poller
        }
        await producer;

        Assert.Equal(Enumerable.Range(0, total), seen);
        Assert.Equal(0, reader.Lost);

        // After a cancelled stream the reader still works synchronously.
        tracee.Run(total, 1);
        Assert.Equal(1, reader.Poll(5000, record => Assert.Equal(total, TraceeEvents.SequenceOf(record))));
    }

    private static (BpfProgram, BpfLink) LoadOutputProgram(BpfMap ring, BpfMap lost, Tracee tracee, string name)
    {
        var asm = new Assembler();
        var skip = asm.DefineLabel("skip");
        TraceeEvents.EmitFilter(asm, tracee, skip);
        TraceeEvents.EmitPayload(asm, Register.R10, TraceeEvents.PayloadOffset);
        EventOutputCode.RingBufferOutputOrCountLost(asm, ring.Fd.Value, lost.Fd.Value, TraceeEvents.PayloadOffset, TraceeEvents.PayloadSize, TraceeEvents.ScratchOffset);
        TraceeEvents.EmitReturn(asm, skip);
        return TraceeEvents.LoadAndAttach(name, asm);
    }

    private static void ReadUntil(RingBufferReader reader, List<int> seen, int count, Func<ReadOnlySpan<byte>, int> decode)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (seen.Count < count && DateTime.UtcNow < deadline)
            reader.Poll(100, record => seen.Add(decode(record)));
        Assert.True(seen.Count == count, $"{seen.Count} of {count} events arrived within {Patience.TotalSeconds} s (lost {reader.Lost})");
    }
}
