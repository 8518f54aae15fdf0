using static Sharptrace.Syscalls.Decoding.ArgKind;

namespace Sharptrace.Syscalls.Decoding.Families;

/// <summary>Process and thread life, identity and limits.</summary>
internal static class ProcessCalls
{
    private static SyscallDecoder D(string name, Arg[] args, ReturnKind ret = ReturnKind.Int) => new(name, args, ret);

    public static IEnumerable<SyscallDecoder> All =>
    [
        D("execve", [PathName, Argv, Envp]),
        D("exit_group", [Int], ReturnKind.None),
        D("exit", [Int], ReturnKind.None),
        D("clone", [CloneFlags]),
        D("clone3", [CloneArgs, ULong]),
        D("fork", []),
        D("vfork", []),
        D("waitid", [new(EnumValue, Flags.WaitIdType), Int, SiginfoOut, new(FlagBits, Flags.WaitOptions), Ptr]),
        D("execveat", [DirFd, PathName, Argv, Envp, new(FlagBits, Flags.At)]),
        D("wait4", [Int, WaitStatusOut, new(FlagBits, Flags.WaitOptions), Ptr]),
        D("kill", [Int, Signal]),
        D("tkill", [Int, Signal]),
        D("tgkill", [Int, Int, Signal]),
        D("getpid", []), D("getppid", []), D("gettid", []), D("getuid", []), D("geteuid", []), D("getgid", []), D("getegid", []),
        D("getpgrp", []), D("setsid", []), D("sched_yield", []), D("pause", []),
        D("unshare", [new(FlagBits, MoreFlags.UnshareFlags)]),
        D("setpgid", [Int, Int]),
        D("getpgid", [Int]),
        D("setuid", [Int]), D("setgid", [Int]),
        D("arch_prctl", [new(EnumValue, Flags.ArchPrctl), Hex]),
        D("set_tid_address", [Ptr]),
        D("set_robust_list", [Ptr, ULong]),
        D("rseq", [Ptr, Hex, Int, Hex]),
        D("prlimit64", [Int, new(EnumValue, Flags.Rlimit), RlimitIn, RlimitOut]),
        D("getrlimit", [new(EnumValue, Flags.Rlimit), RlimitOut]),
        D("setrlimit", [new(EnumValue, Flags.Rlimit), RlimitIn]),
        D("prctl", [new(EnumValue, Flags.Prctl), Hex, Hex, Hex, Hex]),
        D("getrandom", [RandomOut, ULong, new(FlagBits, Flags.Getrandom)]),
        D("uname", [UtsnameOut]),
        D("sysinfo", [SysinfoOut]),
        D("futex", [Ptr, FutexOp, Int, Ptr, Ptr, Int]),
        D("nanosleep", [TimespecIn, Ptr]),
        D("clock_nanosleep", [new(EnumValue, Flags.Clock), new(FlagBits, Flags.TimerFlags), TimespecIn, Ptr]),
        D("clock_gettime", [new(EnumValue, Flags.Clock), TimespecOut]),
        D("clock_getres", [new(EnumValue, Flags.Clock), TimespecOut]),
        D("sched_getaffinity", [Int, ULong, CpuSetOut]),
        D("sched_setaffinity", [Int, ULong, new(CpuSetIn, Related: 1)]),
        D("getcpu", [Ptr, Ptr, Ptr]),
        D("setresuid", [Int, Int, Int]), D("setresgid", [Int, Int, Int]),
        D("setreuid", [Int, Int]), D("setregid", [Int, Int]),
        D("setfsuid", [Int]), D("setfsgid", [Int]),
        D("getresuid", [IntOut, IntOut, IntOut]), D("getresgid", [IntOut, IntOut, IntOut]),
        D("getgroups", [Int, new(GidsOut, Related: 0)]),
        D("setgroups", [Int, new(GidsIn, Related: 0)]),
        D("getsid", [Int]),
        D("getpriority", [new(EnumValue, MoreFlags.Priority), Int]),
        D("setpriority", [new(EnumValue, MoreFlags.Priority), Int, Int]),
        // struct sched_param holds one int, the priority: [0].
        D("sched_getscheduler", [Int]),
        D("sched_setscheduler", [Int, new(EnumValue, MoreFlags.SchedPolicy), IntIn]),
        D("sched_getparam", [Int, IntOut]),
        D("sched_setparam", [Int, IntIn]),
        D("sched_get_priority_max", [new(EnumValue, MoreFlags.SchedPolicy)]),
        D("sched_get_priority_min", [new(EnumValue, MoreFlags.SchedPolicy)]),
        D("personality", [Hex]),
        D("pidfd_open", [Int, Hex], ReturnKind.Fd),
        D("capget", [CapHeader, CapDataOut]),
        D("capset", [CapHeader, CapDataIn]),
    ];
}
