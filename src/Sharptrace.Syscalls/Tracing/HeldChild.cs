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
        KeepEnvironmentOrder(info);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {path}");
        var deadline = Stopwatch.StartNew();
        while (!IsStopped(process.Id))
        {
            if (process.HasExited) throw new IOException($"could not start {path}: its launcher exited with {process.ExitCode} before the exec");
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) { process.Kill(); throw new IOException($"could not start {path} held before its exec: it did not stop within 10 s (is sharptrace itself being traced?)"); }
            Thread.Sleep(1);
        }
        return process;
    }

    /// <summary>
    /// The runtime rebuilds the child's environment from a hash table, which reorders it; the
    /// command must see ours in our order (env, a shell's `set` print it), so it is re-added as
    /// /proc/self/environ lists it (the dictionary keeps insertion order after Clear).
    /// </summary>
    private static void KeepEnvironmentOrder(ProcessStartInfo info)
    {
        string text;
        try { text = File.ReadAllText("/proc/self/environ"); }
        catch (IOException) { return; }
        var current = new Dictionary<string, string?>(info.Environment);
        info.Environment.Clear();
        foreach (var entry in text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0) continue;
            var name = entry[..eq];
            if (current.Remove(name, out var value)) info.Environment[name] = value;
        }
        foreach (var (name, value) in current) info.Environment[name] = value;
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
            // The runtime ignores SIGPIPE and an ignored signal stays ignored across execve:
            // the command must get the default, as it would from a shell or from strace.
            Signal(SigPipe, 0);
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

    private const int SigStop = 19, SigCont = 18, SigPipe = 13;

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getpid")]
    private static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static unsafe partial int ExecV(byte* path, nint* argv);
}
