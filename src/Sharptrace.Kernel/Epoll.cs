using Sharptrace.Kernel.Interop;

namespace Sharptrace.Kernel;

/// <summary>An epoll instance: waits until any of the registered fds (ring buffers, perf rings) is readable.</summary>
public sealed unsafe class Epoll : IDisposable
{
    private readonly KernelFd fd;
    private readonly List<KernelFd> watched = [];

    /// <summary>Creates an epoll instance.</summary>
    public Epoll()
    {
        const int EPOLL_CLOEXEC = 0x80000;
        var raw = Libc.EpollCreate1(EPOLL_CLOEXEC);
        if (raw < 0) throw new KernelException("epoll_create1", Syscall.LastErrno);
        fd = KernelFd.Own(raw);
    }

    /// <summary>Watches <paramref name="target"/> for readability; <paramref name="cookie"/> comes back from <see cref="Wait"/>.</summary>
    public void Add(KernelFd target, ulong cookie)
    {
        const int EPOLL_CTL_ADD = 1;
        var ev = new Libc.EpollEvent { Events = 1 /* EPOLLIN */, Data = cookie };
        if (Libc.EpollCtl(fd.Value, EPOLL_CTL_ADD, target.Value, &ev) != 0)
            throw new KernelException("epoll_ctl(EPOLL_CTL_ADD)", Syscall.LastErrno);
        watched.Add(target);
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> (-1: forever) and writes the cookies of ready fds into
    /// <paramref name="ready"/>; returns how many. An interrupted wait returns 0.
    /// </summary>
    public int Wait(Span<ulong> ready, int timeoutMs)
    {
        var events = stackalloc Libc.EpollEvent[Math.Min(ready.Length, 64)];
        var n = Libc.EpollWait(fd.Value, events, Math.Min(ready.Length, 64), timeoutMs);
        if (n < 0)
        {
            if (Syscall.LastErrno == Errno.EINTR) return 0;
            throw new KernelException("epoll_wait", Syscall.LastErrno);
        }
        for (var i = 0; i < n; i++) ready[i] = events[i].Data;
        return n;
    }

    /// <inheritdoc />
    public void Dispose() => fd.Dispose();
}
