using System.Runtime.InteropServices;
using Sharptrace.Kernel.Interop;

namespace Sharptrace.Kernel;

/// <summary>
/// Owns one kernel file descriptor (a bpf map, program, link, perf event, epoll...). Closing it is
/// how the kernel object goes away, so every object sharptrace makes lives behind one of these:
/// even after kill -9 the kernel closes the fd and cleans up.
/// </summary>
public sealed class KernelFd : SafeHandle
{
    private KernelFd() : base(invalidHandleValue: -1, ownsHandle: true) { }

    /// <summary>Takes ownership of <paramref name="fd"/>, moving it above 2 first (see remarks).</summary>
    /// <remarks>
    /// The BPF UAPI reads fd 0 as "no fd", and a tracer that closed stdin could get it back; like
    /// libbpf's ensure_good_fd, an fd below 3 is duplicated higher and the low one closed.
    /// </remarks>
    public static KernelFd Own(int fd)
    {
        var handle = new KernelFd();
        if (fd is >= 0 and < 3)
        {
            const int F_DUPFD_CLOEXEC = 1030;
            var moved = Libc.Fcntl(fd, F_DUPFD_CLOEXEC, 3);
            var errno = Marshal.GetLastPInvokeError();
            Libc.Close(fd);
            if (moved < 0) throw new KernelException("fcntl(F_DUPFD_CLOEXEC)", (Errno)errno);
            fd = moved;
        }
        handle.SetHandle(fd);
        return handle;
    }

    /// <summary>The raw descriptor number (valid while this object is alive and not closed).</summary>
    public int Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (int)handle;
        }
    }

    /// <inheritdoc />
    public override bool IsInvalid => (int)handle < 0;

    /// <summary>Gives up ownership: the caller now owns the raw fd and must close it.</summary>
    public int Disown()
    {
        var fd = Value;
        SetHandleAsInvalid();
        return fd;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
