using System.Runtime.InteropServices;

namespace Sharptrace.Kernel.Interop;

/// <summary>posix_spawn and the wait/kill calls around it (glibc spawns with clone(CLONE_VFORK): safe from a .NET process).</summary>
internal static unsafe partial class Spawn
{
    private const string Lib = "libc";

    /// <summary>Bytes reserved for a posix_spawnattr_t (336 on glibc x86_64 and arm64).</summary>
    public const int AttrSize = 512;

    /// <summary>Bytes of a sigset_t.</summary>
    public const int SigSetSize = 128;

    public const short SetSigDefault = 0x04; // POSIX_SPAWN_SETSIGDEF
    public const short SetSigMask = 0x08;    // POSIX_SPAWN_SETSIGMASK

    public const int SigKill = 9, SigPipe = 13, SigCont = 18;

    [LibraryImport(Lib, EntryPoint = "posix_spawn")]
    internal static partial int PosixSpawn(int* pid, byte* path, nint fileActions, byte* attr, byte** argv, byte** envp);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_init")]
    internal static partial int AttrInit(byte* attr);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int AttrDestroy(byte* attr);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int AttrSetFlags(byte* attr, short flags);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int AttrSetSigDefault(byte* attr, byte* signals);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int AttrSetSigMask(byte* attr, byte* signals);

    [LibraryImport(Lib, EntryPoint = "sigemptyset")]
    internal static partial int SigEmptySet(byte* set);

    [LibraryImport(Lib, EntryPoint = "sigaddset")]
    internal static partial int SigAddSet(byte* set, int signal);

    [LibraryImport(Lib, EntryPoint = "waitid", SetLastError = true)]
    internal static partial int WaitId(int idType, int id, byte* info, int options);

    internal const int PidType = 1 /* P_PID */, WNoHang = 1, WStopped = 2, WExited = 4, WNoWait = 0x01000000;

    /// <summary>siginfo_t is 128 bytes; si_code (CLD_*) is the int at 8, si_pid the int at 16.</summary>
    internal const int SigInfoSize = 128, SigInfoCodeOffset = 8, SigInfoPidOffset = 16, ChildStopped = 5 /* CLD_STOPPED */;

    [LibraryImport(Lib, EntryPoint = "wait4", SetLastError = true)]
    internal static partial int Wait4(int pid, int* status, int options, Rusage* usage);

    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [StructLayout(LayoutKind.Sequential)]
    internal struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public fixed long Rest[14];
    }
}
