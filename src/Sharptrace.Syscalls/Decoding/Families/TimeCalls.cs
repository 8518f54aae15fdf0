using static Sharptrace.Syscalls.Decoding.ArgKind;

namespace Sharptrace.Syscalls.Decoding.Families;

/// <summary>Clocks, interval timers, timerfds and the process's times.</summary>
internal static class TimeCalls
{
    private static SyscallDecoder D(string name, Arg[] args, ReturnKind ret = ReturnKind.Int) => new(name, args, ret);

    public static IEnumerable<SyscallDecoder> All =>
    [
        D("gettimeofday", [TimevalOut, TimezoneOut]),
        // time(&t) stores what it returns; strace prints the time with the date in a comment, and again after the return value.
        D("time", [TimeOut]),
        D("times", [TmsOut]),
        D("getrusage", [new(EnumValue, MoreFlags.RusageWho), RusageOut]),
        D("timerfd_create", [new(EnumValue, Flags.Clock), new(FlagBits, MoreFlags.TimerfdCreate)], ReturnKind.Fd),
        D("timerfd_settime", [Fd, new(FlagBits, MoreFlags.TimerfdSettime), ItimerspecIn, ItimerspecOut]),
        D("timerfd_gettime", [Fd, ItimerspecOut]),
        D("getitimer", [new(EnumValue, MoreFlags.Itimer), ItimervalOut]),
        D("setitimer", [new(EnumValue, MoreFlags.Itimer), ItimervalIn, ItimervalOut]),
        // The struct sigevent prints as its address; the new timer's id as [0].
        D("timer_create", [new(EnumValue, Flags.Clock), Ptr, IntOut]),
        D("timer_delete", [Int]),
    ];
}
