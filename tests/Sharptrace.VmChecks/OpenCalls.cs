using System.Runtime.InteropServices;
using System.Text;

namespace Sharptrace.VmChecks;

/// <summary>
/// openat(2) and close(2) straight from libc: the calls the kprobes must count, made without the
/// runtime's file layer so that each is exactly one openat and nothing else opens files meanwhile.
/// </summary>
internal static unsafe partial class OpenCalls
{
    const int AtFdCwd = -100;
    const int ReadOnlyCloexec = 0x80000; // O_RDONLY | O_CLOEXEC

    /// <summary>Opens <paramref name="path"/> read-only; returns the fd, or -errno as the kernel returned it.</summary>
    public static int Open(byte[] nulTerminatedPath)
    {
        fixed (byte* p = nulTerminatedPath)
        {
            var fd = OpenAt(AtFdCwd, p, ReadOnlyCloexec);
            return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>The path as the NUL-terminated bytes openat takes, made once before the probes are attached.</summary>
    public static byte[] PathBytes(string path) => Encoding.UTF8.GetBytes(path + "\0");

    public static void CloseFd(int fd)
    {
        if (Close(fd) != 0) throw new CheckFailedException($"close({fd}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAt(int directoryFd, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
