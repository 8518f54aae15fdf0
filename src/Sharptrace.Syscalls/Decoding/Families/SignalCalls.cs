using static Sharptrace.Syscalls.Decoding.ArgKind;

namespace Sharptrace.Syscalls.Decoding.Families;

/// <summary>Signal dispositions and masks.</summary>
internal static class SignalCalls
{
    private static SyscallDecoder D(string name, Arg[] args, ReturnKind ret = ReturnKind.Int) => new(name, args, ret);

    public static IEnumerable<SyscallDecoder> All =>
    [
        D("rt_sigaction", [Signal, SigactionIn, SigactionOut, ULong]),
        D("rt_sigprocmask", [new(EnumValue, Flags.SigprocmaskHow), SigsetIn, SigsetOut, ULong]),
        D("rt_sigsuspend", [SigsetIn, ULong]),
        D("rt_sigpending", [SigsetOut, ULong]),
        D("rt_sigreturn", [Ptr]),
        D("sigaltstack", [Ptr, Ptr]),
        // Returns the signal taken: strace names it after the number, "= 10 (SIGUSR1)".
        D("rt_sigtimedwait", [SigsetIn, SiginfoOut, TimespecIn, ULong]),
        D("alarm", [UInt]),
        D("signalfd4", [Fd, SigsetIn, ULong, new(FlagBits, Flags.SignalfdFlags)], ReturnKind.Fd),
        D("signalfd", [Fd, SigsetIn, ULong], ReturnKind.Fd),
    ];
}
