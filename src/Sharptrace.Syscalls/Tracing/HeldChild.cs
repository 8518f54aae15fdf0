using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// Starts the command held: a helper process (this program, re-executed) stops itself with
/// SIGSTOP before it calls execve, so the kernel filter can learn its pid first and the trace
/// begins with the command's execve, as strace's does.
/// </summary>
public static partial class HeldChild
{
    /// <summary>
    /// Starts <paramref name="helperCommand"/> + path + argv, waits until it has stopped itself, and returns it.
    /// </summary>
    public static Process Start(IReadOnlyList<string> helperCommand, string path, IReadOnlyList<string> argv)
    {
        var info = new ProcessStartInfo(helperCommand[0]) { UseShellExecute = false };
        foreach (var a in helperCommand.Skip(1)) info.ArgumentList.Add(a);
        info.ArgumentList.Add(path);
        foreach (var a in argv) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {path}");
        var deadline = Stopwatch.StartNew();
        while (!IsStopped(process.Id))
        {
            if (process.HasExited) throw new InvalidOperationException($"the helper for {path} exited early with {process.ExitCode}");
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) { process.Kill(); throw new TimeoutException($"the helper for {path} did not stop"); }
            Thread.Sleep(1);
        }
        return process;
    }

    /// <summary>Lets the held helper go on to execve.</summary>
    public static void Release(Process process) => Kill(process.Id, SigCont);

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
            Kill(GetPid(), SigStop);
            ExecV(p, v);
        }
        Console.Error.WriteLine($"sharptrace: exec {path}: {Marshal.GetLastPInvokeError()}");
        return 127;
    }

    private static bool IsStopped(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'T';
        }
        catch (IOException) { return false; }
    }

    private const int SigStop = 19, SigCont = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getpid")]
    private static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static unsafe partial int ExecV(byte* path, nint* argv);
}
