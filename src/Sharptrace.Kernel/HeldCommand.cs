using System.Globalization;
using System.Text;
using Sharptrace.Kernel.Interop;

namespace Sharptrace.Kernel;

/// <summary>
/// The user's command, started held: it stops itself (SIGSTOP) just before its execve, so a tracer
/// can put its pid in a filter, attach per-task events or learn cpid before the command runs a
/// single instruction of its own; <see cref="Resume"/> lets it go. Started with posix_spawn (we
/// cannot fork from .NET) so that it gets SIGPIPE at its default (the runtime ignores SIGPIPE, and an
/// ignored signal stays ignored across execve: `yes | head` would never end) and the launcher gets
/// our environment in our order (the runtime's Process rebuilds it from a hash table; a /bin/sh
/// launcher re-exports it in its own order, a self-stopping helper such as strace's keeps it).
/// stdin/stdout/stderr and the process group are ours, as with perf, strace and bpftrace.
/// </summary>
public sealed class HeldCommand : IDisposable
{
    private readonly ManualResetEventSlim exited = new();
    private int exitCode;
    private (TimeSpan User, TimeSpan System) cpuTimes;

    private HeldCommand(int pid, string commandLine)
    {
        Pid = pid;
        CommandLine = commandLine;
        ExitFd = PidFd.TryOpen(pid);
        // One thread per command reaps it (blocking wait4): exit code and CPU times come from there.
        new Thread(Reap) { IsBackground = true, Name = $"wait {pid}" }.Start();
    }

    /// <summary>The command's pid (the stopped launcher execs it, so the pid stays).</summary>
    public int Pid { get; }

    /// <summary>A pidfd of the command: readable once it has ended, for epoll; null before Linux 5.3.</summary>
    public PidFd? ExitFd { get; }

    /// <summary>The command's words joined by spaces, as perf shows it.</summary>
    public string CommandLine { get; }

    /// <summary>
    /// Starts <paramref name="command"/> (a program found on PATH, or a path, and its arguments, no
    /// shell interpretation) through <c>/bin/sh -c 'kill -STOP $$; exec "$@"'</c> and waits until it is held.
    /// </summary>
    /// <exception cref="ArgumentException">An empty command, one that is not found, or one that ends before it is held.</exception>
    public static HeldCommand Start(IReadOnlyList<string> command)
    {
        if (command.Count == 0 || command[0].Length == 0) throw new ArgumentException("no command given");
        if (command[0].Contains('/') ? !File.Exists(command[0]) : FindOnPath(command[0]) is null)
            throw new ArgumentException($"command '{command[0]}' not found");
        return StartSelfStopping("/bin/sh", ["sh", "-c", "kill -STOP $$; exec \"$@\"", "sh", .. command], string.Join(' ', command));
    }

    /// <summary>
    /// Starts <paramref name="program"/> with <paramref name="argv"/> (argv[0] included): a launcher
    /// that stops itself before it execs the command (such as strace's re-executed helper, which
    /// execs a resolved path with its own argv[0]); waits until it is held.
    /// </summary>
    public static HeldCommand StartSelfStopping(string program, IReadOnlyList<string> argv, string? commandLine = null)
    {
        var pid = SpawnWithDefaultSigpipe(program, argv);
        var held = new HeldCommand(pid, commandLine ?? string.Join(' ', argv.Skip(1)));
        try
        {
            held.WaitUntilStopped();
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="program"/> with <paramref name="argv"/> (argv[0] included) at once, not
    /// held: for a tracer that catches the child in the kernel as the calling thread forks it (the
    /// eBPF syscall tracer arms its fork program with this thread's id); the same environment,
    /// SIGPIPE and signal mask as the held start. Returns once the command has exec'd (posix_spawn
    /// waits for that). <see cref="Resume"/> is not needed.
    /// </summary>
    /// <exception cref="KernelException">posix_spawn failed (the exec's error: not found, not executable…).</exception>
    public static HeldCommand StartRunning(string program, IReadOnlyList<string> argv, string? commandLine = null) =>
        new(SpawnWithDefaultSigpipe(program, argv), commandLine ?? string.Join(' ', argv));

    /// <summary>Lets the command exec and run.</summary>
    public void Resume() => Spawn.Kill(Pid, Spawn.SigCont);

    /// <summary>True once the command has ended (and been reaped).</summary>
    public bool HasExited => exited.IsSet;

    /// <summary>
    /// True once the command has ended, even before the reaper thread has taken its status (then
    /// <see cref="WaitForExit()"/> returns as soon as that thread runs): a loop woken by
    /// <see cref="ExitFd"/> need neither spin nor wait for that thread.
    /// </summary>
    public unsafe bool HasEnded
    {
        get
        {
            if (HasExited) return true;
            var info = stackalloc byte[Spawn.SigInfoSize];
            new Span<byte>(info, Spawn.SigInfoSize).Clear();
            return Spawn.WaitId(Spawn.PidType, Pid, info, Spawn.WExited | Spawn.WNoHang | Spawn.WNoWait) == 0
                && *(int*)(info + Spawn.SigInfoPidOffset) == Pid;
        }
    }

    /// <summary>Its exit code, 128+N when signal N ended it.</summary>
    /// <exception cref="InvalidOperationException">It has not ended yet.</exception>
    public int ExitCode => HasExited ? exitCode : throw new InvalidOperationException($"'{CommandLine}' is still running");

    /// <summary>User and system CPU time of the command and its reaped children (perf's "seconds user/sys"); zero until it ends.</summary>
    public (TimeSpan User, TimeSpan System) CpuTimes => HasExited ? cpuTimes : default;

    /// <summary>Waits up to <paramref name="timeout"/>; true when it has ended.</summary>
    public bool WaitForExit(TimeSpan timeout) => exited.Wait(timeout);

    /// <summary>Waits up to <paramref name="milliseconds"/>; true when it has ended.</summary>
    public bool WaitForExit(int milliseconds) => exited.Wait(milliseconds);

    /// <summary>Waits for the end; returns the exit code.</summary>
    public int WaitForExit()
    {
        exited.Wait();
        return exitCode;
    }

    /// <summary>Kills the command and what it started if it still runs, and waits for it.</summary>
    public void Dispose()
    {
        // An ended command (reaped or a zombie the reaper is about to take) has nothing left to kill.
        if (!HasEnded)
        {
            foreach (var pid in Descendants(Pid)) Spawn.Kill(pid, Spawn.SigKill);
            Spawn.Kill(Pid, Spawn.SigKill);
            exited.Wait(TimeSpan.FromSeconds(5));
        }
        ExitFd?.Dispose();
    }

    private unsafe void Reap()
    {
        int status = 0;
        Spawn.Rusage usage = default;
        int result;
        do result = Spawn.Wait4(Pid, &status, 0, &usage);
        while (result < 0 && Syscall.LastErrno == Errno.EINTR);
        if (result == Pid)
        {
            // WIFEXITED: the low 7 bits are 0 and the code is in bits 8-15; else the low 7 bits are the signal.
            exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            cpuTimes = (TimeSpan.FromMicroseconds(usage.UserSeconds * 1_000_000 + usage.UserMicroseconds),
                TimeSpan.FromMicroseconds(usage.SystemSeconds * 1_000_000 + usage.SystemMicroseconds));
        }
        else exitCode = -1; // reaped by someone else (a runtime that reaps every child): the code is gone
        exited.Set();
    }

    private unsafe void WaitUntilStopped()
    {
        // Blocks until the launcher stops (or ends) without taking its state: the reaper's wait4 still gets the exit.
        var info = stackalloc byte[Spawn.SigInfoSize];
        int result;
        do result = Spawn.WaitId(Spawn.PidType, Pid, info, Spawn.WStopped | Spawn.WExited | Spawn.WNoWait);
        while (result < 0 && Syscall.LastErrno == Errno.EINTR);
        if (result == 0 && *(int*)(info + Spawn.SigInfoCodeOffset) == Spawn.ChildStopped) return;
        if (result < 0 && State(Pid) is 'T' or 't') return; // reaped elsewhere and yet stopped: cannot happen, but the state says it
        exited.Wait(TimeSpan.FromSeconds(10));
        throw new ArgumentException($"'{CommandLine}' exited (code {exitCode}) before it started");
    }

    private static unsafe int SpawnWithDefaultSigpipe(string program, IReadOnlyList<string> argv)
    {
        var strings = new List<byte[]>();
        byte[] Utf8(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text + "\0");
            strings.Add(bytes);
            return bytes;
        }
        var path = Utf8(program);
        var argBytes = argv.Select(Utf8).ToList();
        var envBytes = EnvironmentInOrder().Select(Utf8).ToList();
        var handles = strings.Select(b => System.Runtime.InteropServices.GCHandle.Alloc(b, System.Runtime.InteropServices.GCHandleType.Pinned)).ToList();
        try
        {
            var argPointers = stackalloc byte*[argBytes.Count + 1];
            for (var i = 0; i < argBytes.Count; i++) argPointers[i] = (byte*)System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(argBytes[i], 0);
            argPointers[argBytes.Count] = null;
            var envPointers = new byte*[envBytes.Count + 1];
            for (var i = 0; i < envBytes.Count; i++) envPointers[i] = (byte*)System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(envBytes[i], 0);
            var attr = stackalloc byte[Spawn.AttrSize];
            var defaults = stackalloc byte[Spawn.SigSetSize];
            var mask = stackalloc byte[Spawn.SigSetSize];
            Spawn.AttrInit(attr);
            try
            {
                Spawn.SigEmptySet(defaults);
                Spawn.SigAddSet(defaults, Spawn.SigPipe);
                Spawn.SigEmptySet(mask); // nothing blocked, whatever the calling thread blocks
                Spawn.AttrSetSigDefault(attr, defaults);
                Spawn.AttrSetSigMask(attr, mask);
                Spawn.AttrSetFlags(attr, Spawn.SetSigDefault | Spawn.SetSigMask);
                int pid;
                int error;
                fixed (byte* p = path)
                fixed (byte** env = envPointers)
                    error = Spawn.PosixSpawn(&pid, p, 0, attr, argPointers, env);
                if (error != 0) throw new KernelException($"posix_spawn({program})", (Errno)error);
                return pid;
            }
            finally { Spawn.AttrDestroy(attr); }
        }
        finally
        {
            foreach (var handle in handles) handle.Free();
        }
    }

    /// <summary>Our environment (as the runtime holds it, changes included) in the order /proc/self/environ lists it.</summary>
    private static List<string> EnvironmentInOrder()
    {
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            current[(string)entry.Key] = (string?)entry.Value ?? "";
        var ordered = new List<string>();
        try
        {
            foreach (var entry in File.ReadAllText("/proc/self/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = entry.IndexOf('=');
                if (eq > 0 && current.Remove(entry[..eq], out var value)) ordered.Add($"{entry[..eq]}={value}");
            }
        }
        catch (IOException) { }
        foreach (var (name, value) in current) ordered.Add($"{name}={value}");
        return ordered;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    private static char State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close >= 0 && close + 2 < stat.Length ? stat[close + 2] : '?';
        }
        catch (IOException) { return '?'; }
    }

    /// <summary>Every live process below <paramref name="root"/> (from the ppid field of /proc/PID/stat).</summary>
    private static List<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
                {
                    if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                    list.Add(pid);
                }
            }
            catch (IOException) { }
        }
        var found = new List<int>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var pid))
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                pending.Enqueue(child);
            }
        return found;
    }
}
