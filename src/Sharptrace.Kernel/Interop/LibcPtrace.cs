using System.Runtime.InteropServices;

namespace Sharptrace.Kernel.Interop;

/// <summary>The libc entry points of the ptrace backend: ptrace, waitpid, process_vm_readv, posix_spawn, signals.</summary>
internal static unsafe partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "ptrace", SetLastError = true)]
    internal static partial long Ptrace(long request, int pid, nint address, nint data);

    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Lib, EntryPoint = "process_vm_readv", SetLastError = true)]
    internal static partial nint ProcessVmReadv(int pid, IoVec* local, nuint localCount, IoVec* remote, nuint remoteCount, nuint flags);

    [LibraryImport(Lib, EntryPoint = "posix_spawn")]
    internal static partial int PosixSpawn(int* pid, byte* path, nint fileActions, nint attributes, byte** argv, byte** envp);

    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport(Lib, EntryPoint = "tgkill", SetLastError = true)]
    internal static partial int TgKill(int tgid, int tid, int signal);

    [LibraryImport(Lib, EntryPoint = "gettid")]
    internal static partial int GetTid();

    [LibraryImport(Lib, EntryPoint = "sigaction", SetLastError = true)]
    internal static partial int SigAction(int signal, SigActionStruct* action, SigActionStruct* old);

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public nint Base;
        public nuint Length;
    }

    /// <summary>glibc's struct sigaction (x86_64 and arm64): handler, 1024-bit mask, flags, restorer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SigActionStruct
    {
        public nint Handler;
        public fixed ulong Mask[16];
        public int Flags;
        public nint Restorer;
    }
}
