using Sharptrace.Kernel;

namespace Sharptrace.Bpf.Readers;

/// <summary>
/// One perf_event mmap ring and its read cursor: a control page (data_head at 1024, data_tail at
/// 1032, data_offset and data_size after them) and a power-of-two data area where records may wrap
/// around the end. Records are handed out whole (header included), copied together when they wrap
/// (perf, unlike the BPF ring buffer, does not map its data twice). Serves the BPF perf buffer
/// (<see cref="PerfBufferReader"/>) and full perf sampling alike.
/// </summary>
public sealed unsafe class PerfRingCursor : IDisposable
{
    private const int DataHeadOffset = 1024;
    private const int DataTailOffset = 1032;
    private const int DataOffsetOffset = 1040;
    private const int DataSizeOffset = 1048;

    private readonly MappedMemory memory;
    private byte[] wrapBuffer = new byte[4096];

    /// <summary>Maps <paramref name="pages"/> data pages (a power of two) of the ring of perf event <paramref name="fd"/>.</summary>
    /// <param name="fd">The perf event that owns the ring (others may redirect into it with PERF_EVENT_IOC_SET_OUTPUT).</param>
    /// <param name="pages">Data pages, a power of two.</param>
    /// <param name="description">Names the ring in errors ("perf ring of cpu 1").</param>
    public PerfRingCursor(KernelFd fd, int pages, string description)
    {
        if (pages <= 0 || (pages & (pages - 1)) != 0) throw new ArgumentException("the ring size must be a power of two pages");
        memory = MappedMemory.Map(fd, (long)(pages + 1) * Syscall.PageSize, MappedMemory.Protection.Read | MappedMemory.Protection.Write, 0, description);
    }

    /// <summary>
    /// Hands every complete record to <paramref name="handler"/> (the span is valid during the call
    /// only) and frees their space; returns how many. An exception from the handler propagates after
    /// its record is consumed: the next call goes on with the record after it.
    /// </summary>
    public int Drain(RecordHandler handler)
    {
        var page = memory.Pointer;
        var head = Volatile.Read(ref *(ulong*)(page + DataHeadOffset));
        var tail = *(ulong*)(page + DataTailOffset);
        var dataOffset = *(ulong*)(page + DataOffsetOffset);
        var dataSize = *(ulong*)(page + DataSizeOffset);
        if (dataOffset == 0) dataOffset = (ulong)Syscall.PageSize; // kernels before 4.1 leave these zero
        if (dataSize == 0) dataSize = (ulong)(memory.Length - Syscall.PageSize);
        var data = page + dataOffset;
        var count = 0;
        try
        {
            while (tail < head)
            {
                var start = tail % dataSize;
                var size = *(ushort*)(data + (start + 6) % dataSize);
                if (size < 8 || size > head - tail) break; // corrupt or half-written: stop rather than spin
                tail += size;
                count++;
                if (start + size <= dataSize)
                {
                    handler(new ReadOnlySpan<byte>(data + start, size));
                    continue;
                }
                if (wrapBuffer.Length < size) wrapBuffer = new byte[size];
                var first = (int)(dataSize - start);
                fixed (byte* w = wrapBuffer)
                {
                    Buffer.MemoryCopy(data + start, w, wrapBuffer.Length, first);
                    Buffer.MemoryCopy(data, w + first, wrapBuffer.Length - first, size - first);
                }
                handler(wrapBuffer.AsSpan(0, size));
            }
        }
        finally
        {
            // Written even when a handler throws: the records before it and its own are consumed, so none is delivered twice.
            Volatile.Write(ref *(ulong*)(page + DataTailOffset), tail);
        }
        return count;
    }

    /// <summary>Unmaps the ring (the perf event's fd is the caller's).</summary>
    public void Dispose() => memory.Dispose();
}
