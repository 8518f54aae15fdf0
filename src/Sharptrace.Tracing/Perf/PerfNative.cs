using System.Runtime.InteropServices;

namespace Sharptrace.Tracing.Perf;

/// <summary>The few libc calls perf needs beyond Sharptrace.Kernel: signals for launching a command stopped, rusage, raw reads.</summary>
internal static unsafe partial class PerfNative
{
    public const int SigCont = 18;
    public const int SigStop = 19;
    public const int SigKill = 9;
    public const int RusageChildren = -1;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    public static partial int GetRusage(int who, Rusage* usage);

    [StructLayout(LayoutKind.Sequential)]
    public struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public fixed long Rest[14];
    }
}
