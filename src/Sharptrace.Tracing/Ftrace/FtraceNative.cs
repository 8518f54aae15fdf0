using System.Runtime.InteropServices;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>The few libc calls tracefs needs beyond File: non-blocking reads of trace_pipe_raw, writes that keep errno, rmdir's errno.</summary>
internal static unsafe partial class FtraceNative
{
    public const int ReadOnly = 0, WriteOnly = 1, Truncate = 0x200, Append = 0x400, NonBlock = 0x800, CloseOnExec = 0x80000;
    public const int EAGAIN = 11, EINTR = 4;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "rmdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RemoveDirectory(string path);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeDirectory(string path, int mode);

    public static Kernel.Errno LastErrno => (Kernel.Errno)Marshal.GetLastPInvokeError();
}
