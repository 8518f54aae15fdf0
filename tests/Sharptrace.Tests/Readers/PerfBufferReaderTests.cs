using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Bpf.Readers;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Readers;

/// <summary>A perf event array fed by bpf_perf_event_output in a real tracepoint program, read by <see cref="PerfBufferReader"/>.</summary>
public sealed class PerfBufferReaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void OutputDeliversEveryEventInOrderPerCpuWithItsPayload()
    {
        Require.Root();
        using var perf = BpfMap.Create(MapSpec.PerfEventArray("t_pb"));
        using var tracee = Tracee.Start(); // not pinned: it may migrate, and each CPU's ring keeps its own order
        var (program, link) = LoadOutputProgram(perf, tracee, "t_pb_output");
        using var _ = program;
        using var __ = link;
        // 8 pages hold ~680 of these 48-byte samples per CPU and 48 does not divide 32 KiB, so
        // 2000 events wrap a ring with samples split across its end.
        using var reader = new PerfBufferReader(perf, pagesPerCpu: 8);

        const int total = 2000, batch = 250;
        var seen = new List<(int Cpu, int Seq)>();
        for (var start = 0; start < total; start += batch)
        {
            tracee.Run(start, batch);
            var deadline = DateTime.UtcNow + Patience;
            while (seen.Count < start + batch && DateTime.UtcNow < deadline)
                reader.Poll(100, (cpu, record) =>
                {
                    TraceeEvents.AssertPayload(record, TraceeEvents.SequenceOf(record), tracee);
                    seen.Add((cpu, TraceeEvents.SequenceOf(record)));
                });
            Assert.True(seen.Count == start + batch, $"{seen.Count} of {start + batch} events arrived (lost {reader.Lost})");
        }

        Assert.Equal(Enumerable.Range(0, total), seen.Select(e => e.Seq).Order());
        foreach (var cpu in seen.GroupBy(e => e.Cpu))
            Assert.Equal(cpu.Select(e => e.Seq).Order(), cpu.Select(e => e.Seq));
        Assert.Equal(total, reader.Delivered);
        Assert.Equal(0, reader.Lost);
    }

    [Fact]
    public void AFullRingReportsLostRecordsSoDeliveredPlusLostIsProduced()
    {
        Require.Root();
        using var perf = BpfMap.Create(MapSpec.PerfEventArray("t_pb_small"));
        var cpu = Tracee.FirstOnlineCpu;
        // Pinned: the kernel reports a ring's lost count only in front of that ring's next sample.
        using var tracee = Tracee.Start(cpu);
        var (program, link) = LoadOutputProgram(perf, tracee, "t_pb_overflow");
        using var _ = program;
        using var __ = link;
        using var reader = new PerfBufferReader(perf, pagesPerCpu: 1);

        const int produced = 1000;
        tracee.Run(0, produced);
        var seen = new List<int>();
        reader.Consume((c, record) =>
        {
            Assert.Equal(cpu, c);
            TraceeEvents.AssertPayload(record, TraceeEvents.SequenceOf(record), tracee);
            seen.Add(TraceeEvents.SequenceOf(record));
        });
        Assert.InRange(seen.Count, 40, 4096 / 48);
        Assert.Equal(Enumerable.Range(0, seen.Count), seen);
        Assert.Equal(0, reader.Lost); // not reported yet: no record has followed the drops

        tracee.Run(produced, 1);
        var flushed = new List<int>();
        reader.Poll(5000, (_, record) => flushed.Add(TraceeEvents.SequenceOf(record)));
        Assert.Equal([produced], flushed);
        Assert.Equal(produced - seen.Count, reader.Lost);
        Assert.Equal(produced + 1, reader.Delivered + reader.Lost);
    }

    [Fact]
    public void AThrowingHandlerConsumesItsSampleSoNothingIsDeliveredTwice()
    {
        Require.Root();
        using var perf = BpfMap.Create(MapSpec.PerfEventArray("t_pb_throw"));
        using var tracee = Tracee.Start(Tracee.FirstOnlineCpu);
        var (program, link) = LoadOutputProgram(perf, tracee, "t_pb_throw");
        using var _ = program;
        using var __ = link;
        using var reader = new PerfBufferReader(perf, pagesPerCpu: 4);

        tracee.Run(0, 10);
        var seen = new List<int>();
        Assert.Throws<InvalidOperationException>(() => reader.Consume((_, record) =>
        {
            seen.Add(TraceeEvents.SequenceOf(record));
            if (TraceeEvents.SequenceOf(record) == 4) throw new InvalidOperationException("handler failure");
        }));
        reader.Consume((_, record) => seen.Add(TraceeEvents.SequenceOf(record)));

        Assert.Equal(Enumerable.Range(0, 10), seen);
        Assert.Equal(10, reader.Delivered);
    }

    [Fact]
    public void BatchedWakeupsStillDeliverAPartialBatchWhenPollTimesOut()
    {
        Require.Root();
        using var perf = BpfMap.Create(MapSpec.PerfEventArray("t_pb_batch"));
        using var tracee = Tracee.Start(Tracee.FirstOnlineCpu);
        var (program, link) = LoadOutputProgram(perf, tracee, "t_pb_batch");
        using var _ = program;
        using var __ = link;
        using var reader = new PerfBufferReader(perf, pagesPerCpu: 4, wakeupEvents: 64);

        tracee.Run(0, 10); // fewer than a wakeup's worth
        var seen = new List<int>();
        reader.Poll(200, (_, record) => seen.Add(TraceeEvents.SequenceOf(record)));
        Assert.Equal(Enumerable.Range(0, 10), seen);
    }

    [Fact]
    public async Task ReadAllAsyncStreamsTheSameEvents()
    {
        Require.Root();
        using var perf = BpfMap.Create(MapSpec.PerfEventArray("t_pb_async"));
        using var tracee = Tracee.Start(Tracee.FirstOnlineCpu);
        var (program, link) = LoadOutputProgram(perf, tracee, "t_pb_async");
        using var _ = program;
        using var __ = link;
        using var reader = new PerfBufferReader(perf, pagesPerCpu: 16);

        const int total = 300;
        using var timeout = new CancellationTokenSource(Patience);
        var seen = new List<int>();
        var producer = Task.Run(() => tracee.Run(0, total), TestContext.Current.CancellationToken);
        await foreach (var (cpu, record) in reader.ReadAllAsync(timeout.Token))
        {
            Assert.Equal(Tracee.FirstOnlineCpu, cpu);
            TraceeEvents.AssertPayload(record, TraceeEvents.SequenceOf(record), tracee);
            seen.Add(TraceeEvents.SequenceOf(record));
            if (seen.Count == total) break; // leaving early must stop the stream's poller
        }
        await producer;

        Assert.Equal(Enumerable.Range(0, total), seen);
        Assert.Equal(0, reader.Lost);
    }

    private static (BpfProgram, BpfLink) LoadOutputProgram(BpfMap perf, Tracee tracee, string name)
    {
        var asm = new Assembler();
        var skip = asm.DefineLabel("skip");
        TraceeEvents.EmitFilter(asm, tracee, skip);
        TraceeEvents.EmitPayload(asm, Register.R10, TraceeEvents.PayloadOffset);
        EventOutputCode.PerfEventOutput(asm, TraceeEvents.Context, perf.Fd.Value, TraceeEvents.PayloadOffset, TraceeEvents.PayloadSize);
        TraceeEvents.EmitReturn(asm, skip);
        return TraceeEvents.LoadAndAttach(name, asm);
    }
}
