namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// The constant tables strace's decoders use, with the x86_64 values of the generic ABI
/// (the few that differ on arm64 are noted where they are defined).
/// </summary>
internal static class Flags
{
    // Open flags after the access mode; arm64 differs in O_DIRECTORY/O_NOFOLLOW/O_DIRECT/O_LARGEFILE.
    public static readonly FlagSet OpenRest = new("0",
        (0x40, "O_CREAT"), (0x80, "O_EXCL"), (0x100, "O_NOCTTY"), (0x200, "O_TRUNC"), (0x400, "O_APPEND"), (0x800, "O_NONBLOCK"),
        (0x101000, "O_SYNC"), (0x1000, "O_DSYNC"), (0x2000, "O_ASYNC"), (0x4000, "O_DIRECT"), (0x8000, "O_LARGEFILE"),
        // strace prints O_DIRECTORY last (its table lists it after O_CLOEXEC and O_PATH).
        (0x410000, "O_TMPFILE"), (0x20000, "O_NOFOLLOW"), (0x40000, "O_NOATIME"), (0x80000, "O_CLOEXEC"),
        (0x200000, "O_PATH"), (0x10000, "O_DIRECTORY"));

    public const ulong OCreat = 0x40, OTmpfile = 0x410000;

    public static readonly FlagSet Prot = new("PROT_NONE",
        (1, "PROT_READ"), (2, "PROT_WRITE"), (4, "PROT_EXEC"), (8, "PROT_SEM"), (0x01000000, "PROT_GROWSDOWN"), (0x02000000, "PROT_GROWSUP"));

    public static readonly FlagSet MapType = new("0", (1, "MAP_SHARED"), (2, "MAP_PRIVATE"), (3, "MAP_SHARED_VALIDATE"));

    public static readonly FlagSet MapRest = new("0",
        (0x10, "MAP_FIXED"), (0x20, "MAP_ANONYMOUS"), (0x40, "MAP_32BIT"), (0x100, "MAP_GROWSDOWN"), (0x800, "MAP_DENYWRITE"),
        (0x1000, "MAP_EXECUTABLE"), (0x2000, "MAP_LOCKED"), (0x4000, "MAP_NORESERVE"), (0x8000, "MAP_POPULATE"), (0x10000, "MAP_NONBLOCK"),
        (0x20000, "MAP_STACK"), (0x40000, "MAP_HUGETLB"), (0x80000, "MAP_SYNC"), (0x100000, "MAP_FIXED_NOREPLACE"));

    public static readonly FlagSet At = new("0",
        (0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_REMOVEDIR"), (0x400, "AT_SYMLINK_FOLLOW"), (0x800, "AT_NO_AUTOMOUNT"),
        (0x1000, "AT_EMPTY_PATH"), (0x2000, "AT_STATX_FORCE_SYNC"), (0x4000, "AT_STATX_DONT_SYNC"), (0x8000, "AT_RECURSIVE"));

    public static readonly FlagSet FaccessatFlags = new("0", (0x200, "AT_EACCESS"), (0x100, "AT_SYMLINK_NOFOLLOW"), (0x1000, "AT_EMPTY_PATH"));

    public static readonly FlagSet UnlinkatFlags = new("0", (0x200, "AT_REMOVEDIR"));

    public static readonly FlagSet AccessMode = new("F_OK", (4, "R_OK"), (2, "W_OK"), (1, "X_OK"));

    public static readonly FlagSet Whence = new("SEEK_SET", (0, "SEEK_SET"), (1, "SEEK_CUR"), (2, "SEEK_END"), (3, "SEEK_DATA"), (4, "SEEK_HOLE"));

    public static readonly FlagSet StatxMask = new("0", (0xfff, "STATX_ALL"), (0x7ff, "STATX_BASIC_STATS"),
        (0x1, "STATX_TYPE"), (0x2, "STATX_MODE"), (0x4, "STATX_NLINK"), (0x8, "STATX_UID"), (0x10, "STATX_GID"), (0x20, "STATX_ATIME"),
        (0x40, "STATX_MTIME"), (0x80, "STATX_CTIME"), (0x100, "STATX_INO"), (0x200, "STATX_SIZE"), (0x400, "STATX_BLOCKS"),
        (0x800, "STATX_BTIME"), (0x1000, "STATX_MNT_ID"), (0x2000, "STATX_DIOALIGN"), (0x4000, "STATX_MNT_ID_UNIQUE"),
        (0x8000, "STATX_SUBVOL"), (0x10000, "STATX_WRITE_ATOMIC"), (0x20000, "STATX_DIO_READ_ALIGN"));

    public static readonly FlagSet StatxAttributes = new("0",
        (0x4, "STATX_ATTR_COMPRESSED"), (0x10, "STATX_ATTR_IMMUTABLE"), (0x20, "STATX_ATTR_APPEND"), (0x40, "STATX_ATTR_NODUMP"),
        (0x800, "STATX_ATTR_ENCRYPTED"), (0x1000, "STATX_ATTR_AUTOMOUNT"), (0x2000, "STATX_ATTR_MOUNT_ROOT"), (0x100000, "STATX_ATTR_VERITY"),
        (0x200000, "STATX_ATTR_DAX"));

    public static readonly FlagSet SignalfdFlags = new("0", (0x800, "SFD_NONBLOCK"), (0x80000, "SFD_CLOEXEC"));

    public static readonly FlagSet FileType = new("0",
        (0xc000, "S_IFSOCK"), (0xa000, "S_IFLNK"), (0x8000, "S_IFREG"), (0x6000, "S_IFBLK"), (0x4000, "S_IFDIR"), (0x2000, "S_IFCHR"), (0x1000, "S_IFIFO"));

    public static readonly FlagSet ArchPrctl = new("0",
        (0x1001, "ARCH_SET_GS"), (0x1002, "ARCH_SET_FS"), (0x1003, "ARCH_GET_FS"), (0x1004, "ARCH_GET_GS"), (0x1011, "ARCH_GET_CPUID"),
        (0x1012, "ARCH_SET_CPUID"), (0x1021, "ARCH_GET_XCOMP_SUPP"), (0x1022, "ARCH_GET_XCOMP_PERM"), (0x1023, "ARCH_REQ_XCOMP_PERM"),
        (0x1024, "ARCH_GET_XCOMP_GUEST_PERM"), (0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"), (0x4001, "ARCH_MAP_VDSO_X32"),
        (0x4002, "ARCH_MAP_VDSO_32"), (0x4003, "ARCH_MAP_VDSO_64"), (0x5001, "ARCH_SHSTK_ENABLE"), (0x5002, "ARCH_SHSTK_DISABLE"),
        (0x5003, "ARCH_SHSTK_LOCK"), (0x5004, "ARCH_SHSTK_UNLOCK"), (0x5005, "ARCH_SHSTK_STATUS"));

    public static readonly FlagSet Getrandom = new("0", (1, "GRND_NONBLOCK"), (2, "GRND_RANDOM"), (4, "GRND_INSECURE"));

    public static readonly FlagSet Rlimit = new("0",
        (0, "RLIMIT_CPU"), (1, "RLIMIT_FSIZE"), (2, "RLIMIT_DATA"), (3, "RLIMIT_STACK"), (4, "RLIMIT_CORE"), (5, "RLIMIT_RSS"),
        (6, "RLIMIT_NPROC"), (7, "RLIMIT_NOFILE"), (8, "RLIMIT_MEMLOCK"), (9, "RLIMIT_AS"), (10, "RLIMIT_LOCKS"), (11, "RLIMIT_SIGPENDING"),
        (12, "RLIMIT_MSGQUEUE"), (13, "RLIMIT_NICE"), (14, "RLIMIT_RTPRIO"), (15, "RLIMIT_RTTIME"));

    public static readonly FlagSet SigprocmaskHow = new("SIG_BLOCK", (0, "SIG_BLOCK"), (1, "SIG_UNBLOCK"), (2, "SIG_SETMASK"));

    // strace's order (its table, not the values): SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_SIGINFO.
    public static readonly FlagSet SaFlags = new("0",
        (0x04000000, "SA_RESTORER"), (0x08000000, "SA_ONSTACK"), (0x10000000, "SA_RESTART"), (0x40000000, "SA_NODEFER"),
        (0x80000000, "SA_RESETHAND"), (0x00000004, "SA_SIGINFO"), (0x00000001, "SA_NOCLDSTOP"), (0x00000002, "SA_NOCLDWAIT"));

    public const ulong SaRestorer = 0x04000000;

    public static readonly FlagSet FcntlCommand = new("F_DUPFD",
        (0, "F_DUPFD"), (1, "F_GETFD"), (2, "F_SETFD"), (3, "F_GETFL"), (4, "F_SETFL"), (5, "F_GETLK"), (6, "F_SETLK"), (7, "F_SETLKW"),
        (8, "F_SETOWN"), (9, "F_GETOWN"), (10, "F_SETSIG"), (11, "F_GETSIG"), (15, "F_SETOWN_EX"), (16, "F_GETOWN_EX"),
        (36, "F_OFD_GETLK"), (37, "F_OFD_SETLK"), (38, "F_OFD_SETLKW"), (1024, "F_SETLEASE"), (1025, "F_GETLEASE"), (1026, "F_NOTIFY"),
        (1030, "F_DUPFD_CLOEXEC"), (1031, "F_SETPIPE_SZ"), (1032, "F_GETPIPE_SZ"), (1033, "F_ADD_SEALS"), (1034, "F_GET_SEALS"));

    public static readonly FlagSet FdFlags = new("0", (1, "FD_CLOEXEC"));

    public static readonly FlagSet Futex = new("0",
        (0, "FUTEX_WAIT"), (1, "FUTEX_WAKE"), (2, "FUTEX_FD"), (3, "FUTEX_REQUEUE"), (4, "FUTEX_CMP_REQUEUE"), (5, "FUTEX_WAKE_OP"),
        (6, "FUTEX_LOCK_PI"), (7, "FUTEX_UNLOCK_PI"), (8, "FUTEX_TRYLOCK_PI"), (9, "FUTEX_WAIT_BITSET"), (10, "FUTEX_WAKE_BITSET"),
        (11, "FUTEX_WAIT_REQUEUE_PI"), (12, "FUTEX_CMP_REQUEUE_PI"), (13, "FUTEX_LOCK_PI2"));

    public static readonly FlagSet CloneFlags = new("0",
        (0x00000100, "CLONE_VM"), (0x00000200, "CLONE_FS"), (0x00000400, "CLONE_FILES"), (0x00000800, "CLONE_SIGHAND"),
        (0x00001000, "CLONE_PIDFD"), (0x00002000, "CLONE_PTRACE"), (0x00004000, "CLONE_VFORK"), (0x00008000, "CLONE_PARENT"),
        (0x00010000, "CLONE_THREAD"), (0x00020000, "CLONE_NEWNS"), (0x00040000, "CLONE_SYSVSEM"), (0x00080000, "CLONE_SETTLS"),
        (0x00100000, "CLONE_PARENT_SETTID"), (0x00200000, "CLONE_CHILD_CLEARTID"), (0x00400000, "CLONE_DETACHED"),
        (0x00800000, "CLONE_UNTRACED"), (0x01000000, "CLONE_CHILD_SETTID"), (0x02000000, "CLONE_NEWCGROUP"), (0x04000000, "CLONE_NEWUTS"),
        (0x08000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"), (0x20000000, "CLONE_NEWPID"), (0x40000000, "CLONE_NEWNET"),
        (0x80000000, "CLONE_IO"));

    public static readonly FlagSet WaitOptions = new("0",
        (1, "WNOHANG"), (2, "WUNTRACED"), (4, "WEXITED"), (8, "WCONTINUED"), (0x01000000, "WNOWAIT"), (0x20000000, "__WNOTHREAD"),
        (0x40000000, "__WALL"), (0x80000000, "__WCLONE"));

    public static readonly FlagSet AddressFamily = new("AF_UNSPEC",
        (0, "AF_UNSPEC"), (1, "AF_UNIX"), (2, "AF_INET"), (10, "AF_INET6"), (16, "AF_NETLINK"), (17, "AF_PACKET"), (38, "AF_ALG"), (40, "AF_VSOCK"));

    public static readonly FlagSet SocketType = new("0",
        (1, "SOCK_STREAM"), (2, "SOCK_DGRAM"), (3, "SOCK_RAW"), (4, "SOCK_RDM"), (5, "SOCK_SEQPACKET"), (6, "SOCK_DCCP"), (10, "SOCK_PACKET"));

    public static readonly FlagSet SocketTypeFlags = new("0", (0x80000, "SOCK_CLOEXEC"), (0x800, "SOCK_NONBLOCK"));

    public static readonly FlagSet IpProtocol = new("0",
        (0, "IPPROTO_IP"), (1, "IPPROTO_ICMP"), (6, "IPPROTO_TCP"), (17, "IPPROTO_UDP"), (41, "IPPROTO_IPV6"), (58, "IPPROTO_ICMPV6"), (132, "IPPROTO_SCTP"));

    /// <summary>socket()'s protocol for AF_NETLINK (strace's netlink_protocols, linux/netlink.h).</summary>
    public static readonly FlagSet NetlinkProtocol = new("0",
        (0, "NETLINK_ROUTE"), (1, "NETLINK_UNUSED"), (2, "NETLINK_USERSOCK"), (3, "NETLINK_FIREWALL"), (4, "NETLINK_SOCK_DIAG"),
        (5, "NETLINK_NFLOG"), (6, "NETLINK_XFRM"), (7, "NETLINK_SELINUX"), (8, "NETLINK_ISCSI"), (9, "NETLINK_AUDIT"),
        (10, "NETLINK_FIB_LOOKUP"), (11, "NETLINK_CONNECTOR"), (12, "NETLINK_NETFILTER"), (13, "NETLINK_IP6_FW"), (14, "NETLINK_DNRTMSG"),
        (15, "NETLINK_KOBJECT_UEVENT"), (16, "NETLINK_GENERIC"), (18, "NETLINK_SCSITRANSPORT"), (19, "NETLINK_ECRYPTFS"), (20, "NETLINK_RDMA"),
        (21, "NETLINK_CRYPTO"), (22, "NETLINK_SMC"));

    /// <summary>The common ETH_P_* protocols of AF_PACKET (strace's ethernet_protocols has more: those print as before).</summary>
    public static readonly FlagSet EthernetProtocol = new("0",
        (0x0001, "ETH_P_802_3"), (0x0003, "ETH_P_ALL"), (0x0004, "ETH_P_802_2"), (0x0060, "ETH_P_LOOP"), (0x0800, "ETH_P_IP"),
        (0x0806, "ETH_P_ARP"), (0x8035, "ETH_P_RARP"), (0x8100, "ETH_P_8021Q"), (0x86DD, "ETH_P_IPV6"), (0x888E, "ETH_P_PAE"),
        (0x88A8, "ETH_P_8021AD"), (0x88CC, "ETH_P_LLDP"));

    /// <summary>sll_pkttype (strace's af_packet_types).</summary>
    public static readonly FlagSet PacketType = new("0",
        (0, "PACKET_HOST"), (1, "PACKET_BROADCAST"), (2, "PACKET_MULTICAST"), (3, "PACKET_OTHERHOST"), (4, "PACKET_OUTGOING"),
        (5, "PACKET_LOOPBACK"), (6, "PACKET_USER"), (7, "PACKET_KERNEL"));

    /// <summary>Option names at level SOL_NETLINK (strace's sock_netlink_options).</summary>
    public static readonly FlagSet NetlinkSocketOption = new("0",
        (1, "NETLINK_ADD_MEMBERSHIP"), (2, "NETLINK_DROP_MEMBERSHIP"), (3, "NETLINK_PKTINFO"), (4, "NETLINK_BROADCAST_ERROR"),
        (5, "NETLINK_NO_ENOBUFS"), (6, "NETLINK_RX_RING"), (7, "NETLINK_TX_RING"), (8, "NETLINK_LISTEN_ALL_NSID"),
        (9, "NETLINK_LIST_MEMBERSHIPS"), (10, "NETLINK_CAP_ACK"), (11, "NETLINK_EXT_ACK"), (12, "NETLINK_GET_STRICT_CHK"));

    /// <summary>Socket levels (strace's socketlayers; AF_VSOCK is the level vsock's options use).</summary>
    public static readonly FlagSet SocketLevel = new("0",
        (0, "SOL_IP"), (1, "SOL_SOCKET"), (6, "SOL_TCP"), (17, "SOL_UDP"), (40, "AF_VSOCK"), (41, "SOL_IPV6"), (58, "SOL_ICMPV6"),
        (100, "SOL_CAN_BASE"), (101, "SOL_CAN_RAW"), (132, "SOL_SCTP"), (136, "SOL_UDPLITE"), (255, "SOL_RAW"), (256, "SOL_IPX"),
        (257, "SOL_AX25"), (258, "SOL_ATALK"), (259, "SOL_NETROM"), (260, "SOL_ROSE"), (261, "SOL_DECNET"), (262, "SOL_X25"),
        (263, "SOL_PACKET"), (264, "SOL_ATM"), (265, "SOL_AAL"), (266, "SOL_IRDA"), (267, "SOL_NETBEUI"), (268, "SOL_LLC"),
        (269, "SOL_DCCP"), (270, "SOL_NETLINK"), (271, "SOL_TIPC"), (272, "SOL_RXRPC"), (273, "SOL_PPPOL2TP"), (274, "SOL_BLUETOOTH"),
        (275, "SOL_PNPIPE"), (276, "SOL_RDS"), (277, "SOL_IUCV"), (278, "SOL_CAIF"), (279, "SOL_ALG"), (280, "SOL_NFC"), (281, "SOL_KCM"),
        (282, "SOL_TLS"), (283, "SOL_XDP"));

    /// <summary>Option names at level SOL_IP and SOL_TCP (strace's sock_ip_options, sock_tcp_options).</summary>
    public static readonly FlagSet IpSocketOption = new("0",
        (1, "IP_TOS"), (2, "IP_TTL"), (3, "IP_HDRINCL"), (4, "IP_OPTIONS"), (5, "IP_ROUTER_ALERT"), (6, "IP_RECVOPTS"),
        (7, "IP_RETOPTS"), (8, "IP_PKTINFO"), (9, "IP_PKTOPTIONS"), (10, "IP_MTU_DISCOVER"), (11, "IP_RECVERR"), (12, "IP_RECVTTL"),
        (13, "IP_RECVTOS"), (14, "IP_MTU"), (15, "IP_FREEBIND"), (16, "IP_IPSEC_POLICY"), (17, "IP_XFRM_POLICY"), (18, "IP_PASSSEC"),
        (19, "IP_TRANSPARENT"), (20, "IP_ORIGDSTADDR"), (21, "IP_MINTTL"), (22, "IP_NODEFRAG"), (23, "IP_CHECKSUM"), (24, "IP_BIND_ADDRESS_NO_PORT"),
        (25, "IP_RECVFRAGSIZE"), (26, "IP_RECVERR_RFC4884"), (32, "IP_MULTICAST_IF"), (33, "IP_MULTICAST_TTL"), (34, "IP_MULTICAST_LOOP"), (35, "IP_ADD_MEMBERSHIP"),
        (36, "IP_DROP_MEMBERSHIP"), (37, "IP_UNBLOCK_SOURCE"), (38, "IP_BLOCK_SOURCE"), (39, "IP_ADD_SOURCE_MEMBERSHIP"), (40, "IP_DROP_SOURCE_MEMBERSHIP"), (41, "IP_MSFILTER"),
        (42, "MCAST_JOIN_GROUP"), (43, "MCAST_BLOCK_SOURCE"), (44, "MCAST_UNBLOCK_SOURCE"), (45, "MCAST_LEAVE_GROUP"), (46, "MCAST_JOIN_SOURCE_GROUP"), (47, "MCAST_LEAVE_SOURCE_GROUP"),
        (48, "MCAST_MSFILTER"), (49, "IP_MULTICAST_ALL"), (50, "IP_UNICAST_IF"));

    public static readonly FlagSet TcpSocketOption = new("0",
        (1, "TCP_NODELAY"), (2, "TCP_MAXSEG"), (3, "TCP_CORK"), (4, "TCP_KEEPIDLE"), (5, "TCP_KEEPINTVL"), (6, "TCP_KEEPCNT"),
        (7, "TCP_SYNCNT"), (8, "TCP_LINGER2"), (9, "TCP_DEFER_ACCEPT"), (10, "TCP_WINDOW_CLAMP"), (11, "TCP_INFO"), (12, "TCP_QUICKACK"),
        (13, "TCP_CONGESTION"), (14, "TCP_MD5SIG"), (15, "TCP_COOKIE_TRANSACTIONS"), (16, "TCP_THIN_LINEAR_TIMEOUTS"), (17, "TCP_THIN_DUPACK"), (18, "TCP_USER_TIMEOUT"),
        (19, "TCP_REPAIR"), (20, "TCP_REPAIR_QUEUE"), (21, "TCP_QUEUE_SEQ"), (22, "TCP_REPAIR_OPTIONS"), (23, "TCP_FASTOPEN"), (24, "TCP_TIMESTAMP"),
        (25, "TCP_NOTSENT_LOWAT"), (26, "TCP_CC_INFO"), (27, "TCP_SAVE_SYN"), (28, "TCP_SAVED_SYN"), (29, "TCP_REPAIR_WINDOW"), (30, "TCP_FASTOPEN_CONNECT"),
        (31, "TCP_ULP"), (32, "TCP_MD5SIG_EXT"), (33, "TCP_FASTOPEN_KEY"), (34, "TCP_FASTOPEN_NO_COOKIE"), (35, "TCP_ZEROCOPY_RECEIVE"), (36, "TCP_INQ"),
        (37, "TCP_TX_DELAY"));

    public static readonly FlagSet SocketOption = new("0",
        (1, "SO_DEBUG"), (2, "SO_REUSEADDR"), (3, "SO_TYPE"), (4, "SO_ERROR"), (5, "SO_DONTROUTE"), (6, "SO_BROADCAST"), (7, "SO_SNDBUF"),
        (8, "SO_RCVBUF"), (9, "SO_KEEPALIVE"), (10, "SO_OOBINLINE"), (13, "SO_LINGER"), (15, "SO_REUSEPORT"), (16, "SO_PASSCRED"), (18, "SO_RCVLOWAT"), (19, "SO_SNDLOWAT"), (20, "SO_RCVTIMEO_OLD"),
        (21, "SO_SNDTIMEO_OLD"), (29, "SO_TIMESTAMP_OLD"), (35, "SO_TIMESTAMPNS_OLD"), (32, "SO_SNDBUFFORCE"), (33, "SO_RCVBUFFORCE"));

    public static readonly FlagSet MsgFlags = new("0",
        (0x1, "MSG_OOB"), (0x2, "MSG_PEEK"), (0x4, "MSG_DONTROUTE"), (0x8, "MSG_CTRUNC"), (0x10, "MSG_PROXY"), (0x20, "MSG_TRUNC"),
        (0x40, "MSG_DONTWAIT"), (0x80, "MSG_EOR"), (0x100, "MSG_WAITALL"), (0x200, "MSG_FIN"), (0x400, "MSG_SYN"), (0x800, "MSG_CONFIRM"),
        (0x1000, "MSG_RST"), (0x2000, "MSG_ERRQUEUE"), (0x4000, "MSG_NOSIGNAL"), (0x8000, "MSG_MORE"), (0x10000, "MSG_WAITFORONE"),
        (0x40000000, "MSG_CMSG_CLOEXEC"));

    public static readonly FlagSet ShutdownHow = new("SHUT_RD", (0, "SHUT_RD"), (1, "SHUT_WR"), (2, "SHUT_RDWR"));

    public static readonly FlagSet Clock = new("CLOCK_REALTIME",
        (0, "CLOCK_REALTIME"), (1, "CLOCK_MONOTONIC"), (2, "CLOCK_PROCESS_CPUTIME_ID"), (3, "CLOCK_THREAD_CPUTIME_ID"),
        (4, "CLOCK_MONOTONIC_RAW"), (5, "CLOCK_REALTIME_COARSE"), (6, "CLOCK_MONOTONIC_COARSE"), (7, "CLOCK_BOOTTIME"),
        (8, "CLOCK_REALTIME_ALARM"), (9, "CLOCK_BOOTTIME_ALARM"), (11, "CLOCK_TAI"));

    public static readonly FlagSet TimerFlags = new("0", (1, "TIMER_ABSTIME"));

    public static readonly FlagSet Madvise = new("MADV_NORMAL",
        (0, "MADV_NORMAL"), (1, "MADV_RANDOM"), (2, "MADV_SEQUENTIAL"), (3, "MADV_WILLNEED"), (4, "MADV_DONTNEED"), (8, "MADV_FREE"),
        (9, "MADV_REMOVE"), (10, "MADV_DONTFORK"), (11, "MADV_DOFORK"), (12, "MADV_MERGEABLE"), (13, "MADV_UNMERGEABLE"),
        (14, "MADV_HUGEPAGE"), (15, "MADV_NOHUGEPAGE"), (16, "MADV_DONTDUMP"), (17, "MADV_DODUMP"), (18, "MADV_WIPEONFORK"),
        (19, "MADV_KEEPONFORK"), (20, "MADV_COLD"), (21, "MADV_PAGEOUT"), (22, "MADV_POPULATE_READ"), (23, "MADV_POPULATE_WRITE"),
        (24, "MADV_DONTNEED_LOCKED"), (25, "MADV_COLLAPSE"), (100, "MADV_HWPOISON"));

    public static readonly FlagSet Fadvise = new("POSIX_FADV_NORMAL",
        (0, "POSIX_FADV_NORMAL"), (1, "POSIX_FADV_RANDOM"), (2, "POSIX_FADV_SEQUENTIAL"), (3, "POSIX_FADV_WILLNEED"),
        (4, "POSIX_FADV_DONTNEED"), (5, "POSIX_FADV_NOREUSE"));

    public static readonly FlagSet PipeFlags = new("0", (0x80000, "O_CLOEXEC"), (0x800, "O_NONBLOCK"), (0x4000, "O_DIRECT"), (0x80, "O_NOTIFICATION_PIPE"));

    public static readonly FlagSet EpollEvents = new("0",
        (0x1, "EPOLLIN"), (0x2, "EPOLLPRI"), (0x4, "EPOLLOUT"), (0x8, "EPOLLERR"), (0x10, "EPOLLHUP"), (0x20, "EPOLLNVAL"),
        (0x40, "EPOLLRDNORM"), (0x80, "EPOLLRDBAND"), (0x100, "EPOLLWRNORM"), (0x200, "EPOLLWRBAND"), (0x400, "EPOLLMSG"),
        (0x2000, "EPOLLRDHUP"), (0x10000000, "EPOLLEXCLUSIVE"), (0x20000000, "EPOLLWAKEUP"), (0x40000000, "EPOLLONESHOT"), (0x80000000, "EPOLLET"));

    public static readonly FlagSet WaitIdType = new("P_ALL", (0, "P_ALL"), (1, "P_PID"), (2, "P_PGID"), (3, "P_PIDFD"));

    public static readonly FlagSet ResolveFlags = new("0",
        (0x1, "RESOLVE_NO_XDEV"), (0x2, "RESOLVE_NO_MAGICLINKS"), (0x4, "RESOLVE_NO_SYMLINKS"), (0x8, "RESOLVE_BENEATH"),
        (0x10, "RESOLVE_IN_ROOT"), (0x20, "RESOLVE_CACHED"));

    public static readonly FlagSet EpollCtl = new("0", (1, "EPOLL_CTL_ADD"), (2, "EPOLL_CTL_DEL"), (3, "EPOLL_CTL_MOD"));

    public static readonly FlagSet EpollCreate = new("0", (0x80000, "EPOLL_CLOEXEC"));

    public static readonly FlagSet Prctl = new("0",
        (1, "PR_SET_PDEATHSIG"), (2, "PR_GET_PDEATHSIG"), (3, "PR_GET_DUMPABLE"), (4, "PR_SET_DUMPABLE"), (15, "PR_SET_NAME"),
        (16, "PR_GET_NAME"), (22, "PR_SET_SECCOMP"), (21, "PR_GET_SECCOMP"), (23, "PR_CAPBSET_READ"), (24, "PR_CAPBSET_DROP"),
        (36, "PR_SET_CHILD_SUBREAPER"), (37, "PR_GET_CHILD_SUBREAPER"), (38, "PR_SET_NO_NEW_PRIVS"), (39, "PR_GET_NO_NEW_PRIVS"),
        (47, "PR_CAP_AMBIENT"), (0x59616d61, "PR_SET_PTRACER"), (0x53564d41, "PR_SET_VMA"));

    public static readonly FlagSet Ioctl = new("0",
        (0x5401, "TCGETS"), (0x5402, "TCSETS"), (0x5403, "TCSETSW"), (0x5404, "TCSETSF"), (0x540b, "TCFLSH"), (0x540e, "TIOCSCTTY"),
        (0x540f, "TIOCGPGRP"), (0x5410, "TIOCSPGRP"), (0x5413, "TIOCGWINSZ"), (0x5414, "TIOCSWINSZ"), (0x541b, "FIONREAD"),
        (0x5421, "FIONBIO"), (0x5450, "FIONCLEX"), (0x5451, "FIOCLEX"), (0x5452, "FIOASYNC"), (0x802c542a, "TCGETS2"),
        (0x402c542b, "TCSETS2"), (0x80045430, "TIOCGPTN"), (0x40045431, "TIOCSPTLCK"));

    public static readonly FlagSet Signals = BuildSignals();

    private static FlagSet BuildSignals()
    {
        var names = new[] { "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
            "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
            "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS" };
        var entries = new List<(ulong, string)>();
        for (var i = 0; i < names.Length; i++) entries.Add(((ulong)(i + 1), names[i]));
        entries.Add((32, "SIGRTMIN"));
        for (var i = 33; i <= 64; i++) entries.Add(((ulong)i, $"SIGRT_{i - 32}"));
        return new FlagSet("0", [.. entries]);
    }

    /// <summary>strace's name of signal <paramref name="number"/>: SIGINT, SIGRT_3, or the number.</summary>
    public static string Signal(long number) => number is > 0 and <= 64 ? Signals.Value((ulong)number) : number.ToString();
}
