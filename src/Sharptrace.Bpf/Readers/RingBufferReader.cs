using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Sharptrace.Bpf.Maps;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bpf.Readers;

/// <summary>
/// Consumes a BPF ring buffer map (BPF_MAP_TYPE_RINGBUF) from user space: the consumer page is
/// mapped read-write, the producer page and the data (mapped twice, so a record that wraps is
/// contiguous) read-only; epoll wakes us when the kernel commits records.
/// </summary>
/// <remarks>
/// The kernel does not count what a full ring buffer refuses: a program whose
/// bpf_ringbuf_reserve/output fails must count it itself. Pass that counter (a per-CPU or plain
/// array map whose u64 at index 0 is the count) as <c>lostCounter</c> and <see cref="Lost"/> reads it.
/// </remarks>
public sealed unsafe class RingBufferReader : IDisposable
{
    private const uint BusyBit = 1U << 31;
    private const uint DiscardBit = 1U << 30;
    private const int HeaderSize = 8;
    private const int PumpPollMs = 50;

    private readonly BpfMap map;
    private readonly BpfMap? lostCounter;
    private readonly MappedMemory consumerPage;
    private readonly MappedMemory producerAndData;
    private readonly Epoll epoll;
    private readonly ulong mask;

    /// <summary>Maps <paramref name="map"/>, which must be a ring buffer map; the reader does not own the map.</summary>
    public RingBufferReader(BpfMap map, BpfMap? lostCounter = null)
    {
        if (map.Spec.Type != BpfMapType.Ringbuf) throw new ArgumentException($"map '{map.Name}' is a {map.Spec.Type} map, not a ring buffer");
        this.map = map;
        this.lostCounter = lostCounter;
        var page = Syscall.PageSize;
        var size = (long)map.Spec.MaxEntries;
        mask = (ulong)size - 1;
        consumerPage = MappedMemory.Map(map.Fd, page, MappedMemory.Protection.Read | MappedMemory.Protection.Write, 0, $"ring buffer '{map.Name}' consumer page");
        try
        {
            producerAndData = MappedMemory.Map(map.Fd, page + 2 * size, MappedMemory.Protection.Read, page, $"ring buffer '{map.Name}' data");
            epoll = new Epoll();
            epoll.Add(map.Fd, 0);
        }
        catch
        {
            consumerPage.Dispose();
            producerAndData?.Dispose();
            throw;
        }
    }

    /// <summary>Records delivered so far.</summary>
    public long Delivered { get; private set; }

    /// <summary>Records the producer discarded (bpf_ringbuf_discard), skipped without delivery.</summary>
    public long Discarded { get; private set; }

    /// <summary>Events the program could not write because the buffer was full, read from the lost counter (0 without one).</summary>
    public long Lost
    {
        get
        {
            if (lostCounter is null) return 0;
            var buffer = new byte[lostCounter.Spec.UserValueSize];
            if (!lostCounter.TryLookup(stackalloc byte[4] { 0, 0, 0, 0 }, buffer)) return 0;
            long total = 0;
            var slots = lostCounter.Spec.IsPerCpu ? PossibleCpus.Count : 1;
            for (var i = 0; i < slots; i++) total += BitConverter.ToInt64(buffer, i * lostCounter.Spec.PerCpuStride);
            return total;
        }
    }

    /// <summary>
    /// Delivers every committed record to <paramref name="handler"/> and returns how many; stops at a
    /// record still being written (busy), which a later call picks up. An exception from the handler
    /// propagates after its record is consumed: the next call goes on with the record after it.
    /// </summary>
    public int Consume(RecordHandler handler)
    {
        var consumerPos = (ulong*)consumerPage.Pointer;
        var producerPos = (ulong*)producerAndData.Pointer;
        var data = producerAndData.Pointer + Syscall.PageSize;
        var count = 0;
        var consumer = Volatile.Read(ref *consumerPos);
        while (true)
        {
            var producer = Volatile.Read(ref *producerPos);
            if (consumer >= producer) break;
            var header = data + (consumer & mask);
            var length = Volatile.Read(ref *(uint*)header);
            if ((length & BusyBit) != 0) break;
            var payload = (int)(length & ~(BusyBit | DiscardBit));
            consumer += (ulong)((payload + HeaderSize + 7) & ~7);
            try
            {
                if ((length & DiscardBit) == 0)
                {
                    count++;
                    Delivered++;
                    handler(new ReadOnlySpan<byte>(header + HeaderSize, payload));
                }
                else
                {
                    Discarded++;
                }
            }
            finally
            {
                // Release the space record by record so the producer can reuse it while we work; a
                // record whose handler throws is consumed too, so it is never delivered twice.
                Volatile.Write(ref *consumerPos, consumer);
            }
        }
        return count;
    }

    /// <summary>Makes <see cref="Poll"/> return also when <paramref name="fd"/> becomes readable (a pidfd at its process's end, say).</summary>
    public void WakeOn(KernelFd fd) => epoll.Add(fd, 1);

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1: forever) for data, then consumes; returns the records delivered.</summary>
    public int Poll(int timeoutMs, RecordHandler handler)
    {
        var delivered = Consume(handler);
        if (delivered > 0) return delivered;
        Span<ulong> ready = stackalloc ulong[1];
        epoll.Wait(ready, timeoutMs);
        return Consume(handler);
    }

    /// <summary>
    /// The records as an asynchronous stream (each copied to an array) until <paramref name="cancellation"/>
    /// fires, after which what is already committed is drained and the stream ends without throwing.
    /// Leaving the loop early stops the background poller; do not call <see cref="Consume"/> or
    /// <see cref="Poll"/> while a stream is being read.
    /// </summary>
    public IAsyncEnumerable<byte[]> ReadAllAsync(CancellationToken cancellation = default) =>
        PollingStream.ReadAllAsync<byte[]>(
            writer => Poll(PumpPollMs, record => writer.TryWrite(record.ToArray())),
            writer => Consume(record => writer.TryWrite(record.ToArray())),
            cancellation);

    /// <inheritdoc />
    public void Dispose()
    {
        epoll.Dispose();
        producerAndData.Dispose();
        consumerPage.Dispose();
    }
}
