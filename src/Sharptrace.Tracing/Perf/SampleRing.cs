using Sharptrace.Kernel;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// One CPU's perf mmap ring: a control page (data_head at 1024, data_tail at 1032, data_offset and
/// data_size after them) and a power-of-two data area where records may wrap around the end.
/// Records are handed out whole, copied out of the ring when they wrap, exactly as the kernel wrote
/// them (perf.data stores them verbatim).
/// </summary>
public sealed unsafe class SampleRing : IDisposable
{
    private const int DataHeadOffset = 1024;
    private const int DataTailOffset = 1032;
    private const int DataOffsetOffset = 1040;
    private const int DataSizeOffset = 1048;

    private readonly MappedMemory memory;
    private byte[] wrapBuffer = new byte[4096];

    /// <summary>Maps <paramref name="pages"/> data pages (a power of two) of <paramref name="fd"/>'s ring.</summary>
    public SampleRing(KernelFd fd, int cpu, int pages)
    {
        if (pages <= 0 || (pages & (pages - 1)) != 0) throw new ArgumentException("the ring size must be a power of two pages");
        Fd = fd;
        Cpu = cpu;
        memory = MappedMemory.Map(fd, (long)(pages + 1) * Syscall.PageSize, MappedMemory.Protection.Read | MappedMemory.Protection.Write, 0, $"perf ring of cpu {cpu}");
    }

    /// <summary>The perf event that owns the ring (others may redirect into it with SET_OUTPUT).</summary>
    public KernelFd Fd { get; }

    /// <summary>The CPU whose records land here.</summary>
    public int Cpu { get; }

    /// <summary>Hands every complete record to <paramref name="handler"/> and frees the space; returns how many.</summary>
    public int Drain(RawRecordHandler handler)
    {
        var page = memory.Pointer;
        var head = Volatile.Read(ref *(ulong*)(page + DataHeadOffset));
        var tail = *(ulong*)(page + DataTailOffset);
        var dataOffset = *(ulong*)(page + DataOffsetOffset);
        var dataSize = *(ulong*)(page + DataSizeOffset);
        if (dataOffset == 0) dataOffset = (ulong)Syscall.PageSize;
        if (dataSize == 0) dataSize = (ulong)(memory.Length - Syscall.PageSize);
        var data = page + dataOffset;
        var count = 0;
        while (tail < head)
        {
            var start = tail % dataSize;
            var size = *(ushort*)(data + (start + 6) % dataSize);
            if (size < 8 || size > head - tail) break; // corrupt or half-written: stop rather than spin
            if (start + size <= dataSize)
            {
                handler(new ReadOnlySpan<byte>(data + start, size));
            }
            else
            {
                if (wrapBuffer.Length < size) wrapBuffer = new byte[size];
                var first = (int)(dataSize - start);
                fixed (byte* w = wrapBuffer)
                {
                    Buffer.MemoryCopy(data + start, w, wrapBuffer.Length, first);
                    Buffer.MemoryCopy(data, w + first, wrapBuffer.Length - first, size - first);
                }
                handler(wrapBuffer.AsSpan(0, size));
            }
            tail += size;
            count++;
        }
        Volatile.Write(ref *(ulong*)(page + DataTailOffset), tail);
        return count;
    }

    /// <inheritdoc />
    public void Dispose() => memory.Dispose();
}

/// <summary>Receives one raw perf record (header included); the span is only valid during the call.</summary>
public delegate void RawRecordHandler(ReadOnlySpan<byte> record);
