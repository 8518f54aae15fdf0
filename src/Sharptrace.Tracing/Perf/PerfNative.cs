using System.Runtime.InteropServices;

namespace Sharptrace.Tracing.Perf;

/// <summary>The libc call perf needs beyond Sharptrace.Kernel: raw counter reads.</summary>
internal static unsafe partial class PerfNative
{
    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nuint count);
}
