using System.Runtime.InteropServices;
using Sharptrace.Kernel.Interop;

namespace Sharptrace.Kernel;

/// <summary>Thin checked wrappers over the libc calls the upper layers need.</summary>
public static unsafe class Syscall
{
    /// <summary>The errno of the last failed call on this thread.</summary>
    public static Errno LastErrno => (Errno)Marshal.GetLastPInvokeError();

    /// <summary>ioctl(fd, request, argument), throwing <see cref="KernelException"/> naming <paramref name="name"/>.</summary>
    public static int Ioctl(KernelFd fd, nuint request, nint argument, string name, Capability capability = Capability.None)
    {
        var added = false;
        fd.DangerousAddRef(ref added);
        try
        {
            int result;
            do result = Libc.Ioctl(fd.Value, request, argument);
            while (result < 0 && LastErrno == Errno.EINTR);
            if (result < 0) throw KernelException.For($"ioctl({name})", LastErrno, capability);
            return result;
        }
        finally { if (added) fd.DangerousRelease(); }
    }

    /// <summary>The kernel's release string (uname -r).</summary>
    public static string KernelRelease => Uname().Release;

    /// <summary>Whether the running kernel's release is at least <paramref name="major"/>.<paramref name="minor"/>.</summary>
    public static bool KernelAtLeast(int major, int minor) => ReleaseAtLeast(KernelRelease, major, minor);

    /// <summary>Whether <paramref name="release"/> (uname -r: "6.1.0-13-amd64") is at least <paramref name="major"/>.<paramref name="minor"/>.</summary>
    public static bool ReleaseAtLeast(string release, int major, int minor)
    {
        var numbers = release.Split('.', '-');
        return numbers.Length >= 2 && int.TryParse(numbers[0], out var a) && int.TryParse(numbers[1], out var b) && (a, b).CompareTo((major, minor)) >= 0;
    }

    /// <summary>uname(2): sysname, nodename, release, version, machine.</summary>
    public static (string System, string Node, string Release, string Version, string Machine) Uname()
    {
        const int field = 65;
        var buffer = stackalloc byte[field * 6];
        if (Libc.Uname(buffer) != 0) throw new KernelException("uname", LastErrno);
        string At(int i) => Marshal.PtrToStringUTF8((nint)(buffer + i * field)) ?? "";
        return (At(0), At(1), At(2), At(3), At(4));
    }

    /// <summary>The system page size.</summary>
    public static int PageSize { get; } = (int)Libc.Sysconf(30 /* _SC_PAGESIZE */);

    /// <summary>Number of configured CPUs (sysconf _SC_NPROCESSORS_CONF).</summary>
    public static int ConfiguredCpus { get; } = (int)Libc.Sysconf(83);

    /// <summary>This process's id.</summary>
    public static int ProcessId => Libc.GetPid();

    /// <summary>The calling thread's id (gettid; the pid part of bpf_get_current_pid_tgid's low half).</summary>
    public static int ThreadId => Libc.GetTid();

    /// <summary>Whether the process runs as root (effective uid 0).</summary>
    public static bool IsRoot => Libc.GetEuid() == 0;

    /// <summary>mount(2); throws <see cref="KernelException"/> naming the target.</summary>
    public static void Mount(string source, string target, string type)
    {
        if (Libc.Mount(source, target, type, 0, 0) != 0)
            throw KernelException.For($"mount({type} at {target})", LastErrno, Capability.SysAdmin);
    }

    /// <summary>
    /// Raises RLIMIT_MEMLOCK to infinity: kernels before 5.11 charge BPF maps against it. Failure is
    /// ignored, newer kernels account through memcg.
    /// </summary>
    public static void RaiseMemlockLimit()
    {
        var limits = stackalloc ulong[2] { ulong.MaxValue, ulong.MaxValue };
        Libc.SetRlimit(8 /* RLIMIT_MEMLOCK */, limits);
    }

    /// <summary>Writes all of <paramref name="data"/> to a raw fd (used for tracefs control files that want one write).</summary>
    public static void WriteAll(KernelFd fd, ReadOnlySpan<byte> data, string what)
    {
        fixed (byte* p = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var n = Libc.Write(fd.Value, p + done, (nuint)(data.Length - done));
                if (n < 0)
                {
                    if (LastErrno == Errno.EINTR) continue;
                    throw new KernelException($"write({what})", LastErrno);
                }
                done += (int)n;
            }
        }
    }
}
