using static Sharptrace.Syscalls.Decoding.ArgKind;

namespace Sharptrace.Syscalls.Decoding.Families;

/// <summary>Sockets.</summary>
internal static class NetworkCalls
{
    private static SyscallDecoder D(string name, Arg[] args, ReturnKind ret = ReturnKind.Int) => new(name, args, ret);

    public static IEnumerable<SyscallDecoder> All =>
    [
        D("socket", [new(EnumValue, Flags.AddressFamily), SocketType, new(EnumValue, Flags.IpProtocol)], ReturnKind.Fd),
        D("connect", [Fd, new(SockaddrIn, Related: 2), UInt]),
        D("bind", [Fd, new(SockaddrIn, Related: 2), UInt]),
        D("listen", [Fd, Int]),
        D("accept", [Fd, SockaddrOut, SocklenInOut], ReturnKind.Fd),
        D("accept4", [Fd, SockaddrOut, SocklenInOut, new(FlagBits, Flags.SocketTypeFlags)], ReturnKind.Fd),
        D("sendto", [Fd, new(InBuf, Related: 2), ULong, new(FlagBits, Flags.MsgFlags), new(SockaddrIn, Related: 5), UInt]),
        D("recvfrom", [Fd, OutBuf, ULong, new(FlagBits, Flags.MsgFlags), SockaddrOut, SocklenInOut]),
        D("shutdown", [Fd, new(EnumValue, Flags.ShutdownHow)]),
        D("setsockopt", [Fd, ArgKind.SocketLevel, new(SocketOptionName, Related: 1), new(IntIn, Related: 4), UInt]),
        D("getsockopt", [Fd, ArgKind.SocketLevel, new(SocketOptionName, Related: 1), IntOut, SocklenInOut]),
        D("getsockname", [Fd, SockaddrOut, SocklenInOut]),
        D("getpeername", [Fd, SockaddrOut, SocklenInOut]),
        D("sendmsg", [Fd, MsghdrIn, new(FlagBits, Flags.MsgFlags)]),
        D("recvmsg", [Fd, MsghdrOut, new(FlagBits, Flags.MsgFlags)]),
        // The messages are printed at exit, with msg_len; recvmmsg's timeout as given, the time left after the return value.
        D("sendmmsg", [Fd, MmsghdrsSent, UInt, new(FlagBits, Flags.MsgFlags)]),
        D("recvmmsg", [Fd, MmsghdrsReceived, UInt, new(FlagBits, Flags.MsgFlags), TimespecInOut]),
        D("epoll_ctl", [Fd, new(EnumValue, Flags.EpollCtl), Fd, EpollEventIn]),
        D("epoll_wait", [Fd, new(EpollEventsOut, Related: 2), Int, Int]),
        D("epoll_pwait", [Fd, new(EpollEventsOut, Related: 2), Int, Int, SigsetIn, ULong]),
        D("socketpair", [new(EnumValue, Flags.AddressFamily), SocketType, Int, PipeFds]),
        D("poll", [new(PollFds, Related: 1), UInt, Int]),
        // The sets as given; the ready sets and the time left follow the return value: (in [3], out [4], left {…}).
        D("select", [Int, new(FdSetInOut, Related: 0), new(FdSetInOut, Related: 0), new(FdSetInOut, Related: 0), TimevalInOut]),
        D("pselect6", [Int, new(FdSetInOut, Related: 0), new(FdSetInOut, Related: 0), new(FdSetInOut, Related: 0), TimespecInOut, KernelSigset]),
        D("ppoll", [new(PollFds, Related: 1), UInt, TimespecInOut, SigsetIn, ULong]),
    ];
}
