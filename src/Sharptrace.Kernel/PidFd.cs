using Sharptrace.Kernel.Interop;

namespace Sharptrace.Kernel;

/// <summary>
/// A pidfd (pidfd_open, Linux 5.3): readable once the whole process has ended, so a reader can
/// wait in one epoll set for its data and for the end of the process it traces, instead of polling.
/// </summary>
public sealed unsafe class PidFd : IDisposable
{
    /// <summary>pidfd_open has the same number on x86_64 and arm64 (every architecture from 424 on).</summary>
    private const long PidfdOpenSyscall = 434;

    private PidFd(KernelFd fd) => Fd = fd;

    /// <summary>The descriptor, for an epoll set.</summary>
    public KernelFd Fd { get; }

    /// <summary>A pidfd for <paramref name="pid"/>; null where the kernel has none (before 5.3) or the process is gone.</summary>
    public static PidFd? TryOpen(int pid)
    {
        var fd = Libc.Syscall(PidfdOpenSyscall, pid, 0, 0, 0, 0);
        return fd < 0 ? null : new PidFd(KernelFd.Own((int)fd));
    }

    /// <summary>Whether the process has ended (every thread; it may not be reaped yet).</summary>
    public bool HasExited
    {
        get
        {
            var poll = new Libc.PollFd { Fd = Fd.Value, Events = 1 /* POLLIN */ };
            return Libc.Poll(&poll, 1, 0) > 0 && (poll.Returned & 1) != 0;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Fd.Dispose();
}
