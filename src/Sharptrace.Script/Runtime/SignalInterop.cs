using System.Runtime.InteropServices;

namespace Sharptrace.Script.Runtime;

/// <summary>kill(2), to resume the stopped -c child.</summary>
internal static partial class SignalInterop
{
    public const int SIGCONT = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
