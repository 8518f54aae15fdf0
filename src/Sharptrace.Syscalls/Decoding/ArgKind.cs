namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// How one system-call argument is printed, and so what the kernel side must copy for it:
/// kinds named ...In are read at entry, ...Out at exit (only when the call succeeded, as strace
/// prints the address of an output argument of a failed call).
/// </summary>
internal enum ArgKind
{
    Int, UInt, Long, ULong, Hex, Ptr, Fd, DirFd, Octal, FlagBits, EnumValue, Signal,
    /// <summary>A file name, printed whole (PATH_MAX).</summary>
    PathName,
    /// <summary>A C string, cut at -s.</summary>
    Str,
    /// <summary>An input buffer whose length is argument <see cref="Arg.Related"/>.</summary>
    InBuf,
    /// <summary>An output buffer filled with as many bytes as the call returned.</summary>
    OutBuf,
    /// <summary>An output file name whose length is the return value (getcwd, readlink).</summary>
    OutPath,
    OpenFlags, OpenMode, MmapFlags, CloneFlags, AccessMode, SocketType, Ioctl, FcntlArg, FutexOp,
    StatOut, StatxOut, TimespecIn, TimespecOut, RlimitIn, RlimitOut, SigsetIn, SigsetOut, SigactionIn, SigactionOut,
    PipeFds, Argv, Envp, SockaddrIn, SockaddrOut, UtsnameOut, WaitStatusOut, RandomOut,
    /// <summary>An int read at entry / written by the call: <c>[1]</c>.</summary>
    IntIn, IntOut,
    /// <summary>A socklen_t the call reads and rewrites: <c>[128 => 16]</c>, or <c>[16]</c> when unchanged.</summary>
    SocklenInOut,
    /// <summary>A cpu mask, its size in argument <see cref="Arg.Related"/> (in) or the return value (out): <c>[0 1]</c>.</summary>
    CpuSetIn, CpuSetOut,
    SysinfoOut,
    /// <summary>getdents64's records: <c>0x… /* 12 entries */</c>.</summary>
    DirentsOut,
    /// <summary>poll's array, argument <see cref="Arg.Related"/> elements: events at entry, revents after the return value.</summary>
    PollFds,
    /// <summary>A timeout the call updates (ppoll): printed at entry, the time left after the return value.</summary>
    TimespecInOut,
    /// <summary>ioctl's third argument, decoded by request: termios, winsize, ints; else as a number.</summary>
    IoctlArg,
    /// <summary>clone3's struct clone_args, read at entry.</summary>
    CloneArgs,
    /// <summary>epoll_ctl's struct epoll_event (in), epoll_wait's array of as many as returned (out).</summary>
    EpollEventIn, EpollEventsOut,
    /// <summary>waitid's siginfo_t: <c>{si_signo=SIGCHLD, si_code=CLD_EXITED, …}</c>, <c>{}</c> when nothing was waited for.</summary>
    SiginfoOut,
    /// <summary>openat2's struct open_how.</summary>
    OpenHowIn,
    /// <summary>struct msghdr: sendmsg's read at entry, recvmsg's at exit, with the iovec array and buffers and the address it points at.</summary>
    MsghdrIn, MsghdrOut,
    /// <summary>
    /// sendmmsg's and recvmmsg's array of struct mmsghdr, printed at exit (msg_len is the kernel's): every message given
    /// with the msg_len of those sent, or the messages received with their buffers as filled.
    /// </summary>
    MmsghdrsSent, MmsghdrsReceived,
    /// <summary>An iovec array of argument <see cref="Arg.Related"/> entries, each buffer's bytes: writev's at entry, readv's at exit (as many bytes as returned).</summary>
    IovecIn, IovecOut,
    /// <summary>A file type and mode, <c>S_IFIFO|0644</c>; and a device number, <c>makedev(0x1, 0x3)</c>, shown only when the mode in argument <see cref="Arg.Related"/> is a device's.</summary>
    NodeMode, DevNum,
    /// <summary>A 64-bit offset read at entry (copy_file_range, splice): <c>[0]</c>.</summary>
    LongIn,
    /// <summary>A gid array of argument <see cref="Arg.Related"/> entries (setgroups), or as many as returned (getgroups): <c>[0, 4]</c>.</summary>
    GidsIn, GidsOut,
    TimevalIn, TimevalOut, ItimerspecIn, ItimerspecOut, ItimervalIn, ItimervalOut,
    /// <summary>struct tms (times), struct rusage (getrusage: the two times, then <c>...</c>).</summary>
    TmsOut, RusageOut,
    /// <summary>capget/capset's header <c>{version=…, pid=0}</c> and data <c>{effective=1&lt;&lt;CAP_CHOWN|…, permitted=…, inheritable=0}</c>.</summary>
    CapHeader, CapDataIn, CapDataOut,
    /// <summary>mincore's vector, a byte a page of the length in argument <see cref="Arg.Related"/>: <c>[0, 1, 0]</c>, cut at -s.</summary>
    MincoreOut,
    /// <summary>select's fd_set of the first argument's number of fds, read at entry (<c>[3 4]</c>) and again at exit for the ready sets.</summary>
    FdSetInOut,
    /// <summary>select's timeout: printed at entry, the time left after the return value.</summary>
    TimevalInOut,
    /// <summary>time's time_t, stored by the call: <c>[1795695082 /* 2026-11-26T12:11:22+0000 */]</c>.</summary>
    TimeOut,
    /// <summary>gettimeofday's struct timezone: <c>{tz_minuteswest=0, tz_dsttime=0}</c>.</summary>
    TimezoneOut,
    /// <summary>pselect6's {const sigset_t *sigmask; size_t sigsetsize}: <c>{sigmask=[INT], sigsetsize=8}</c>.</summary>
    KernelSigset,
    /// <summary>[gs]etsockopt's level: <c>SOL_SOCKET</c>, an unknown one <c>0x4242 /* SOL_?? */</c>.</summary>
    SocketLevel,
    /// <summary>[gs]etsockopt's option name, from the table of the level in argument <see cref="Arg.Related"/>: <c>SO_PASSCRED</c>, <c>IP_PKTINFO</c>, <c>TCP_NODELAY</c>.</summary>
    SocketOptionName,
    /// <summary>struct statfs (statfs, fstatfs): <c>{f_type=PROC_SUPER_MAGIC, f_bsize=4096, …}</c>.</summary>
    StatfsOut,
    /// <summary>An argument strace does not show (preadv2's high half of the offset, which 64-bit kernels ignore).</summary>
    Hidden,
}

/// <summary>One argument's format; <see cref="Related"/> is the index of another argument it depends on (a length, the flags).</summary>
internal readonly record struct Arg(ArgKind Kind, FlagSet? Set = null, int Related = -1)
{
    public static implicit operator Arg(ArgKind kind) => new(kind);

    /// <summary>Whether the value is printed at exit (so a call split by -f interleaving resumes before it).</summary>
    public bool AtExit => Kind is ArgKind.OutBuf or ArgKind.OutPath or ArgKind.StatOut or ArgKind.StatxOut or ArgKind.TimespecOut
        or ArgKind.RlimitOut or ArgKind.SigsetOut or ArgKind.SigactionOut or ArgKind.PipeFds or ArgKind.SockaddrOut or ArgKind.UtsnameOut
        or ArgKind.WaitStatusOut or ArgKind.RandomOut or ArgKind.IntOut or ArgKind.SocklenInOut or ArgKind.CpuSetOut or ArgKind.SysinfoOut
        or ArgKind.DirentsOut or ArgKind.IovecOut or ArgKind.EpollEventsOut or ArgKind.SiginfoOut or ArgKind.MsghdrOut or ArgKind.GidsOut or ArgKind.TimevalOut
        or ArgKind.ItimerspecOut or ArgKind.ItimervalOut or ArgKind.TmsOut or ArgKind.RusageOut or ArgKind.CapDataOut or ArgKind.MincoreOut or ArgKind.TimeOut or ArgKind.TimezoneOut
        or ArgKind.StatfsOut or ArgKind.MmsghdrsSent or ArgKind.MmsghdrsReceived;
}

/// <summary>How the return value is printed.</summary>
internal enum ReturnKind
{
    /// <summary>Signed decimal.</summary>
    Int,
    /// <summary>An address in hex (mmap, brk).</summary>
    Hex,
    /// <summary>A new descriptor.</summary>
    Fd,
    /// <summary>In octal (umask).</summary>
    Octal,
    /// <summary>The call does not return (exit, exit_group): <c>= ?</c>.</summary>
    None,
}
