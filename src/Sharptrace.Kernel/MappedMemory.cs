using Sharptrace.Kernel.Interop;

namespace Sharptrace.Kernel;

/// <summary>An mmap'ed region of a kernel object (ring buffer pages, perf rings); unmapped on Dispose.</summary>
public sealed unsafe class MappedMemory : IDisposable
{
    private nint address;

    private MappedMemory(nint address, long length)
    {
        this.address = address;
        Length = length;
    }

    /// <summary>Protection flags.</summary>
    [Flags]
    public enum Protection
    {
        /// <summary>PROT_READ.</summary>
        Read = 1,
        /// <summary>PROT_WRITE.</summary>
        Write = 2,
    }

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> at <paramref name="offset"/>, shared.</summary>
    public static MappedMemory Map(KernelFd fd, long length, Protection protection, long offset, string what)
    {
        const int MAP_SHARED = 1;
        var result = Libc.Mmap(0, (nuint)length, (int)protection, MAP_SHARED, fd.Value, offset);
        if (result == -1) throw KernelException.For($"mmap({what})", Syscall.LastErrno, Capability.Perfmon);
        return new MappedMemory(result, length);
    }

    /// <summary>
    /// Maps the first <paramref name="length"/> bytes of the file <paramref name="path"/> read-only
    /// and private (sysfs files such as the kernel's BTF refuse shared maps); null where the file
    /// cannot be opened or mapped (older kernels serve /sys/kernel/btf/vmlinux by read only).
    /// </summary>
    public static MappedMemory? TryMapFile(string path, long length)
    {
        const int O_RDONLY = 0, O_CLOEXEC = 0x80000, PROT_READ = 1, MAP_PRIVATE = 2;
        var fd = Libc.Open(path, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) return null;
        try
        {
            var result = Libc.Mmap(0, (nuint)length, PROT_READ, MAP_PRIVATE, fd, 0);
            return result == -1 ? null : new MappedMemory(result, length);
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>Start of the mapping.</summary>
    public byte* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(address == 0, this);
            return (byte*)address;
        }
    }

    /// <summary>Length of the mapping in bytes.</summary>
    public long Length { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        var a = Interlocked.Exchange(ref address, 0);
        if (a != 0) Libc.Munmap(a, (nuint)Length);
    }
}
