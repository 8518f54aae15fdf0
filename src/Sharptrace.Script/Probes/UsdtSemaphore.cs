using System.Globalization;

namespace Sharptrace.Script.Probes;

/// <summary>
/// Raises a USDT semaphore in one process by writing its memory through /proc/PID/mem, and lowers
/// it again on Dispose; for kernels whose uprobes cannot do it themselves (ref_ctr_offset). The
/// semaphore's address is found from the mapping of the binary that covers its file offset.
/// </summary>
internal sealed class UsdtSemaphore : IDisposable
{
    private readonly int pid;
    private readonly ulong address;
    private readonly IDisposable link;

    public UsdtSemaphore(int pid, string binary, ulong fileOffset, IDisposable link)
    {
        this.pid = pid;
        this.link = link;
        address = AddressIn(pid, binary, fileOffset)
            ?? throw new Kernel.KernelException($"usdt semaphore of {binary}", Kernel.Errno.ESRCH, $"process {pid} does not map {binary}");
        Add(1);
    }

    /// <summary>The address where file offset <paramref name="fileOffset"/> of <paramref name="binary"/> is mapped in <paramref name="pid"/>.</summary>
    public static ulong? AddressIn(int pid, string binary, ulong fileOffset)
    {
        // Probes found through -p are named /proc/PID/root/PATH; the maps show PATH.
        var full = Path.GetFullPath(binary);
        var root = $"/proc/{pid}/root/";
        if (full.StartsWith(root, StringComparison.Ordinal)) full = full[(root.Length - 1)..];
        foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
        {
            // start-end perms offset dev inode path
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[5].Trim() != full) continue;
            var range = fields[0].Split('-');
            var start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var offset = ulong.Parse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (fileOffset >= offset && fileOffset - offset < end - start) return start + (fileOffset - offset);
        }
        return null;
    }

    private void Add(int delta)
    {
        using var memory = new FileStream($"/proc/{pid}/mem", FileMode.Open, FileAccess.ReadWrite);
        Span<byte> value = stackalloc byte[2];
        memory.Seek((long)address, SeekOrigin.Begin);
        memory.ReadExactly(value);
        var count = (ushort)Math.Max(0, BitConverter.ToUInt16(value) + delta);
        BitConverter.TryWriteBytes(value, count);
        memory.Seek((long)address, SeekOrigin.Begin);
        memory.Write(value);
    }

    public void Dispose()
    {
        link.Dispose();
        // The process may have exited meanwhile: then there is nothing left to lower.
        try { Add(-1); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
