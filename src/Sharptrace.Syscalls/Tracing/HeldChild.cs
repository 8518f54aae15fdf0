using System.Runtime.InteropServices;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// The ptrace backend's held start helper (this program, re-executed, started by HeldCommand.StartSelfStopping):
/// it stops itself with SIGSTOP before it calls execve, so the tracer can seize it first and the
/// trace begins with the command's execve, as strace's does. (The eBPF backend needs none, see
/// SyscallPrograms.StartedChild.)
/// </summary>
public static partial class HeldChild
{
    /// <summary>
    /// The helper's side: stop, then execv(path, argv). Only returns if execv failed.
    /// Everything is marshalled before the stop so the traced thread makes no call between the two.
    /// </summary>
    public static unsafe int RunHelper(string path, string[] argv)
    {
        var pathBytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        var handles = new List<GCHandle>();
        var argvPointers = new nint[argv.Length + 1];
        foreach (var (a, i) in argv.Select((a, i) => (a, i)))
        {
            var handle = GCHandle.Alloc(System.Text.Encoding.UTF8.GetBytes(a + "\0"), GCHandleType.Pinned);
            handles.Add(handle);
            argvPointers[i] = handle.AddrOfPinnedObject();
        }
        fixed (byte* p = pathBytes)
        fixed (nint* v = argvPointers)
        {
            // The runtime ignores SIGPIPE and an ignored signal stays ignored across execve:
            // the command must get the default, as it would from a shell or from strace.
            Signal(SigPipe, 0);
            Kill(GetPid(), SigStop);
            ExecV(p, v);
        }
        Console.Error.WriteLine($"sharptrace: exec {path}: {Marshal.GetLastPInvokeError()}");
        return 127;
    }

    private const int SigStop = 19, SigPipe = 13;

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getpid")]
    private static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static unsafe partial int ExecV(byte* path, nint* argv);
}
