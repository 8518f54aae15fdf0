using Sharptrace.Kernel;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// Reads whole ring-buffer pages from every CPU's <c>trace_pipe_raw</c> without blocking: a read
/// returns one page (the last one possibly partial) or EAGAIN when the CPU's buffer is empty.
/// </summary>
public sealed unsafe class RawPageReader : IDisposable
{
    private const int ChunkPages = 64;
    private readonly List<(int Cpu, int Fd)> pipes = [];
    private readonly byte[] chunk;

    /// <summary>Opens per_cpu/cpuN/trace_pipe_raw of <paramref name="files"/> for <paramref name="cpus"/>.</summary>
    public RawPageReader(TraceFsFiles files, IEnumerable<int> cpus, int pageSize)
    {
        PageSize = pageSize;
        chunk = new byte[ChunkPages * pageSize];
        try
        {
            foreach (var cpu in cpus)
            {
                var path = files.PathOf($"per_cpu/cpu{cpu}/trace_pipe_raw");
                var fd = FtraceNative.Open(path, FtraceNative.ReadOnly | FtraceNative.NonBlock | FtraceNative.CloseOnExec, 0);
                if (fd < 0) throw KernelException.For($"open({path})", FtraceNative.LastErrno, Capability.SysAdmin);
                pipes.Add((cpu, fd));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Bytes per page.</summary>
    public int PageSize { get; }

    /// <summary>Pages read so far, per CPU.</summary>
    public Dictionary<int, long> PagesRead { get; } = [];

    /// <summary>Reads every page available now and hands them to <paramref name="sink"/> (cpu, whole pages); returns the number of bytes read.</summary>
    public long Drain(Action<int, ReadOnlySpan<byte>> sink)
    {
        long total = 0;
        foreach (var (cpu, fd) in pipes)
        {
            while (true)
            {
                var filled = 0;
                var empty = false;
                while (filled < chunk.Length)
                {
                    nint n;
                    fixed (byte* p = &chunk[filled]) n = FtraceNative.Read(fd, p, (nuint)PageSize);
                    if (n < 0)
                    {
                        var errno = FtraceNative.LastErrno;
                        if (errno == Errno.EINTR) continue;
                        if (errno == Errno.EAGAIN) { empty = true; break; }
                        throw new KernelException($"read(per_cpu/cpu{cpu}/trace_pipe_raw)", errno);
                    }
                    if (n == 0) { empty = true; break; }
                    if (n < PageSize) chunk.AsSpan(filled + (int)n, PageSize - (int)n).Clear(); // keep pages whole
                    filled += PageSize;
                }
                if (filled > 0)
                {
                    sink(cpu, chunk.AsSpan(0, filled));
                    PagesRead[cpu] = PagesRead.GetValueOrDefault(cpu) + filled / PageSize;
                    total += filled;
                }
                if (empty) break;
            }
        }
        return total;
    }

    /// <summary>Closes the pipes (an open pipe keeps an instance busy).</summary>
    public void Dispose()
    {
        foreach (var (_, fd) in pipes) FtraceNative.Close(fd);
        pipes.Clear();
    }
}
