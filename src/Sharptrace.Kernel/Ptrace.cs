using System.Runtime.InteropServices;
using Sharptrace.Kernel.Interop;

namespace Sharptrace.Kernel;

/// <summary>What PTRACE_GET_SYSCALL_INFO tells at a syscall-stop (kernel 5.3+).</summary>
/// <param name="Op">1: entry (Number, Args), 2: exit (Return), 0: not a syscall-stop.</param>
/// <param name="Number">The call number, at entry.</param>
/// <param name="Args">The six arguments, at entry.</param>
/// <param name="Return">The return value (-errno on failure), at exit.</param>
public readonly record struct SyscallStopInfo(byte Op, long Number, ulong[] Args, long Return);

/// <summary>
/// ptrace(2) and what a tracer needs around it: waitpid, reading the tracee's memory, starting
/// a child, waking the tracer thread. Every ptrace request must come from the thread that seized.
/// </summary>
public static unsafe class Ptrace
{
    /// <summary>PTRACE_O_TRACESYSGOOD: syscall-stops report SIGTRAP|0x80.</summary>
    public const int OptionSysGood = 1;

    /// <summary>PTRACE_O_TRACEFORK.</summary>
    public const int OptionFork = 2;

    /// <summary>PTRACE_O_TRACEVFORK.</summary>
    public const int OptionVfork = 4;

    /// <summary>PTRACE_O_TRACECLONE.</summary>
    public const int OptionClone = 8;

    /// <summary>PTRACE_O_TRACEEXEC.</summary>
    public const int OptionExec = 0x10;

    /// <summary>PTRACE_O_TRACEEXIT.</summary>
    public const int OptionExit = 0x40;

    /// <summary>PTRACE_EVENT_FORK (status &gt;&gt; 16).</summary>
    public const int EventFork = 1;

    /// <summary>PTRACE_EVENT_VFORK.</summary>
    public const int EventVfork = 2;

    /// <summary>PTRACE_EVENT_CLONE.</summary>
    public const int EventClone = 3;

    /// <summary>PTRACE_EVENT_EXEC.</summary>
    public const int EventExec = 4;

    /// <summary>PTRACE_EVENT_EXIT.</summary>
    public const int EventExit = 6;

    /// <summary>PTRACE_EVENT_STOP: group-stop or PTRACE_INTERRUPT.</summary>
    public const int EventStop = 128;


    /// <summary>waitpid: wait for all children, threads included (__WALL).</summary>
    public const int WaitAll = 0x40000000;

    /// <summary>waitpid: report stopped children (WUNTRACED).</summary>
    public const int WaitStopped = 2;

    private const long Syscall = 24, PeekData = 2, Detach = 17, GetEventMsg = 0x4201, GetSigInfo = 0x4202, Seize = 0x4206,
        Interrupt = 0x4207, Listen = 0x4208, GetSyscallInfo = 0x420e;

    /// <summary>PTRACE_SEIZE with <paramref name="options"/>, then PTRACE_INTERRUPT so the task stops and can be restarted with syscall-stops.</summary>
    public static void SeizeAndInterrupt(int tid, int options)
    {
        if (Libc.Ptrace(Seize, tid, 0, options) < 0)
        {
            var errno = Sharptrace.Kernel.Syscall.LastErrno;
            if (errno == Errno.EPERM && TracerOf(tid) is { } tracer and > 0)
                throw new KernelException($"ptrace(PTRACE_SEIZE, {tid})", errno, $"it is already traced by process {tracer}");
            throw KernelException.For($"ptrace(PTRACE_SEIZE, {tid})", errno, Capability.SysPtrace);
        }
        if (Libc.Ptrace(Interrupt, tid, 0, 0) < 0) throw new KernelException($"ptrace(PTRACE_INTERRUPT, {tid})", Sharptrace.Kernel.Syscall.LastErrno);
    }

    /// <summary>The TracerPid of <paramref name="tid"/> from /proc (0: untraced), null when unreadable.</summary>
    private static int? TracerOf(int tid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{tid}/status"))
                if (line.StartsWith("TracerPid:", StringComparison.Ordinal) && int.TryParse(line.AsSpan(10).Trim(), out var pid)) return pid;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>PTRACE_INTERRUPT: stop a seized task (false if it is gone).</summary>
    public static bool InterruptTask(int tid) => Libc.Ptrace(Interrupt, tid, 0, 0) == 0;

    /// <summary>PTRACE_SYSCALL: run to the next syscall-stop, delivering <paramref name="signal"/> (0: none). False if the task is gone.</summary>
    public static bool ResumeToSyscall(int tid, int signal = 0) => Libc.Ptrace(Syscall, tid, 0, signal) == 0;

    /// <summary>PTRACE_LISTEN: leave a task in its group-stop, but report when it continues.</summary>
    public static bool ListenTask(int tid) => Libc.Ptrace(Listen, tid, 0, 0) == 0;

    /// <summary>PTRACE_DETACH, delivering <paramref name="signal"/>: the task runs on untraced.</summary>
    public static bool DetachTask(int tid, int signal = 0) => Libc.Ptrace(Detach, tid, 0, signal) == 0;

    /// <summary>PTRACE_GETEVENTMSG: the new task of a clone/fork event, the former id at exec, the status at exit.</summary>
    public static ulong EventMessage(int tid)
    {
        ulong message = 0;
        Libc.Ptrace(GetEventMsg, tid, 0, (nint)(&message));
        return message;
    }

    /// <summary>PTRACE_GETSIGINFO into <paramref name="siginfo"/> (128 bytes); false when the stop is not a signal-delivery-stop.</summary>
    public static bool SignalInfo(int tid, Span<byte> siginfo)
    {
        fixed (byte* p = siginfo) return Libc.Ptrace(GetSigInfo, tid, 0, (nint)p) == 0;
    }

    /// <summary>PTRACE_GET_SYSCALL_INFO; throws when the kernel lacks it (before 5.3).</summary>
    public static SyscallStopInfo SyscallInfo(int tid)
    {
        var buffer = stackalloc byte[88];
        if (Libc.Ptrace(GetSyscallInfo, tid, 88, (nint)buffer) < 0)
        {
            var errno = Sharptrace.Kernel.Syscall.LastErrno;
            if (errno == Errno.ESRCH) return default;
            throw new KernelException($"ptrace(PTRACE_GET_SYSCALL_INFO, {tid})", errno, "needs Linux 5.3 or later");
        }
        var op = buffer[0];
        if (op == 1)
        {
            var args = new ulong[6];
            for (var i = 0; i < 6; i++) args[i] = *(ulong*)(buffer + 32 + 8 * i);
            return new SyscallStopInfo(op, *(long*)(buffer + 24), args, 0);
        }
        return new SyscallStopInfo(op, -1, [], op == 2 ? *(long*)(buffer + 24) : 0);
    }

    /// <summary>waitpid(<paramref name="pid"/>, options): the task that changed state, or -1 with the errno (EINTR, ECHILD).</summary>
    public static int Wait(int pid, int options, out int status, out Errno errno)
    {
        int s;
        var result = Libc.WaitPid(pid, &s, options);
        status = s;
        errno = result < 0 ? Sharptrace.Kernel.Syscall.LastErrno : 0;
        return result;
    }

    /// <summary>
    /// Reads the tracee's memory at <paramref name="address"/> into <paramref name="destination"/>, a page
    /// at a time so that an unmapped page ends the read there; returns the bytes read.
    /// </summary>
    public static int ReadMemory(int tid, ulong address, Span<byte> destination)
    {
        var page = (ulong)Sharptrace.Kernel.Syscall.PageSize;
        var done = 0;
        fixed (byte* d = destination)
        {
            while (done < destination.Length)
            {
                var at = address + (ulong)done;
                var chunk = (int)Math.Min((ulong)(destination.Length - done), page - at % page);
                var local = new Libc.IoVec { Base = (nint)(d + done), Length = (nuint)chunk };
                var remote = new Libc.IoVec { Base = (nint)at, Length = (nuint)chunk };
                var n = Libc.ProcessVmReadv(tid, &local, 1, &remote, 1, 0);
                if (n < 0 && Sharptrace.Kernel.Syscall.LastErrno is Errno.ENOSYS or Errno.EPERM) return done + PeekMemory(tid, at, destination[done..]);
                if (n <= 0) break;
                done += (int)n;
                if (n < chunk) break;
            }
        }
        return done;
    }

    /// <summary>PTRACE_PEEKDATA, a word at a time: for kernels without process_vm_readv.</summary>
    private static int PeekMemory(int tid, ulong address, Span<byte> destination)
    {
        var done = 0;
        var word = stackalloc byte[8];
        while (done < destination.Length)
        {
            var at = address + (ulong)done;
            var aligned = at & ~7UL;
            Marshal.SetLastPInvokeError(0);
            var value = Libc.Ptrace(PeekData, tid, (nint)aligned, 0);
            if (Sharptrace.Kernel.Syscall.LastErrno != 0) break;
            *(long*)word = value;
            var skip = (int)(at - aligned);
            var take = Math.Min(8 - skip, destination.Length - done);
            new ReadOnlySpan<byte>(word + skip, take).CopyTo(destination[done..]);
            done += take;
        }
        return done;
    }

    /// <summary>posix_spawn(path, argv) with this process's environment, as it is; returns the child's pid.</summary>
    public static int Spawn(string path, IReadOnlyList<string> argv)
    {
        var strings = new List<nint>();
        try
        {
            nint Native(string s) { var p = Marshal.StringToCoTaskMemUTF8(s); strings.Add(p); return p; }
            var argvPointers = new nint[argv.Count + 1];
            for (var i = 0; i < argv.Count; i++) argvPointers[i] = Native(argv[i]);
            var pathPointer = Native(path);
            var environ = *(byte***)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "environ");
            int pid;
            int error;
            fixed (nint* a = argvPointers) error = Libc.PosixSpawn(&pid, (byte*)pathPointer, 0, 0, (byte**)a, environ);
            if (error != 0) throw new KernelException($"posix_spawn({path})", (Errno)error);
            return pid;
        }
        finally
        {
            foreach (var p in strings) Marshal.FreeCoTaskMem(p);
        }
    }

    /// <summary>kill(2); false when it failed.</summary>
    public static bool Kill(int pid, int signal) => Libc.Kill(pid, signal) == 0;

    /// <summary>The calling thread's id.</summary>
    public static int CurrentThreadId => Libc.GetTid();

    /// <summary>
    /// Makes <paramref name="signal"/> interrupt blocking calls (no SA_RESTART) with a handler that does
    /// nothing (libc's getpid, which is async-signal-safe): a tracer blocked in waitpid can then be woken
    /// by <see cref="WakeThread"/>. Use a signal nothing else handles (SIGURG is ignored by default).
    /// </summary>
    public static void MakeInterrupting(int signal)
    {
        var action = new Libc.SigActionStruct { Handler = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "getpid") };
        if (Libc.SigAction(signal, &action, null) != 0) throw new KernelException($"sigaction({signal})", Sharptrace.Kernel.Syscall.LastErrno);
    }

    /// <summary>Sends <paramref name="signal"/> to thread <paramref name="tid"/> of this process.</summary>
    public static void WakeThread(int tid, int signal) => Libc.TgKill(Libc.GetPid(), tid, signal);
}
