namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// The constant tables of the scheduling, timer, mount, inotify, splice and capability calls, as
/// strace 6.1 names them (its table order, which is the order names print in).
/// </summary>
internal static class MoreFlags
{
    public static readonly FlagSet Priority = new("PRIO_PROCESS", (0, "PRIO_PROCESS"), (1, "PRIO_PGRP"), (2, "PRIO_USER"));

    public static readonly FlagSet SchedPolicy = new("SCHED_OTHER",
        (0, "SCHED_OTHER"), (1, "SCHED_FIFO"), (2, "SCHED_RR"), (3, "SCHED_BATCH"), (4, "SCHED_ISO"), (5, "SCHED_IDLE"), (6, "SCHED_DEADLINE"));

    public static readonly FlagSet TimerfdCreate = new("0", (0x80000, "TFD_CLOEXEC"), (0x800, "TFD_NONBLOCK"));

    public static readonly FlagSet TimerfdSettime = new("0", (1, "TFD_TIMER_ABSTIME"), (2, "TFD_TIMER_CANCEL_ON_SET"));

    public static readonly FlagSet Mlockall = new("0", (1, "MCL_CURRENT"), (2, "MCL_FUTURE"), (4, "MCL_ONFAULT"));

    public static readonly FlagSet Umount = new("0", (1, "MNT_FORCE"), (2, "MNT_DETACH"), (4, "MNT_EXPIRE"), (8, "UMOUNT_NOFOLLOW"));

    public static readonly FlagSet Mount = new("0",
        (0x1, "MS_RDONLY"), (0x2, "MS_NOSUID"), (0x4, "MS_NODEV"), (0x8, "MS_NOEXEC"), (0x10, "MS_SYNCHRONOUS"), (0x20, "MS_REMOUNT"),
        (0x40, "MS_MANDLOCK"), (0x80, "MS_DIRSYNC"), (0x100, "MS_NOSYMFOLLOW"), (0x400, "MS_NOATIME"), (0x800, "MS_NODIRATIME"),
        (0x1000, "MS_BIND"), (0x2000, "MS_MOVE"), (0x4000, "MS_REC"), (0x8000, "MS_SILENT"), (0x10000, "MS_POSIXACL"),
        (0x20000, "MS_UNBINDABLE"), (0x40000, "MS_PRIVATE"), (0x80000, "MS_SLAVE"), (0x100000, "MS_SHARED"), (0x200000, "MS_RELATIME"),
        (0x400000, "MS_KERNMOUNT"), (0x800000, "MS_I_VERSION"), (0x1000000, "MS_STRICTATIME"), (0x2000000, "MS_LAZYTIME"));

    public static readonly FlagSet Inotify = new("0",
        (0x1, "IN_ACCESS"), (0x2, "IN_MODIFY"), (0x4, "IN_ATTRIB"), (0x8, "IN_CLOSE_WRITE"), (0x10, "IN_CLOSE_NOWRITE"), (0x20, "IN_OPEN"),
        (0x40, "IN_MOVED_FROM"), (0x80, "IN_MOVED_TO"), (0x100, "IN_CREATE"), (0x200, "IN_DELETE"), (0x400, "IN_DELETE_SELF"),
        (0x800, "IN_MOVE_SELF"), (0x2000, "IN_UNMOUNT"), (0x4000, "IN_Q_OVERFLOW"), (0x8000, "IN_IGNORED"), (0x1000000, "IN_ONLYDIR"),
        (0x2000000, "IN_DONT_FOLLOW"), (0x4000000, "IN_EXCL_UNLINK"), (0x10000000, "IN_MASK_CREATE"), (0x20000000, "IN_MASK_ADD"),
        (0x40000000, "IN_ISDIR"), (0x80000000, "IN_ONESHOT"));

    public static readonly FlagSet Splice = new("0", (1, "SPLICE_F_MOVE"), (2, "SPLICE_F_NONBLOCK"), (4, "SPLICE_F_MORE"), (8, "SPLICE_F_GIFT"));

    public static readonly FlagSet Fallocate = new("0",
        (0x1, "FALLOC_FL_KEEP_SIZE"), (0x2, "FALLOC_FL_PUNCH_HOLE"), (0x4, "FALLOC_FL_NO_HIDE_STALE"), (0x8, "FALLOC_FL_COLLAPSE_RANGE"),
        (0x10, "FALLOC_FL_ZERO_RANGE"), (0x20, "FALLOC_FL_INSERT_RANGE"), (0x40, "FALLOC_FL_UNSHARE_RANGE"));

    public static readonly FlagSet Itimer = new("ITIMER_REAL", (0, "ITIMER_REAL"), (1, "ITIMER_VIRTUAL"), (2, "ITIMER_PROF"));

    // The argument is an int: -1 arrives sign-extended by syscall() or as 32 bits.
    public static readonly FlagSet RusageWho = new("RUSAGE_SELF",
        (0, "RUSAGE_SELF"), (ulong.MaxValue, "RUSAGE_CHILDREN"), (0xffffffff, "RUSAGE_CHILDREN"), (1, "RUSAGE_THREAD"));

    public static readonly FlagSet Membarrier = new("MEMBARRIER_CMD_QUERY",
        (0, "MEMBARRIER_CMD_QUERY"), (0x1, "MEMBARRIER_CMD_GLOBAL"), (0x2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
        (0x4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"), (0x8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
        (0x10, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"), (0x20, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
        (0x40, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"), (0x80, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
        (0x100, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"));

    public static readonly FlagSet Xattr = new("0", (1, "XATTR_CREATE"), (2, "XATTR_REPLACE"));

    public static readonly FlagSet CapVersion = new("0",
        (0x19980330, "_LINUX_CAPABILITY_VERSION_1"), (0x20071026, "_LINUX_CAPABILITY_VERSION_2"), (0x20080522, "_LINUX_CAPABILITY_VERSION_3"));

    /// <summary>Capabilities by bit number, printed <c>1&lt;&lt;CAP_CHOWN|…</c>.</summary>
    public static readonly FlagSet Capabilities = BuildCapabilities();

    private static FlagSet BuildCapabilities()
    {
        var names = new[] { "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
            "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE",
            "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
            "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
            "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE" };
        return new FlagSet("0", [.. names.Select((n, i) => (1UL << i, "1<<CAP_" + n))]);
    }

    /// <summary>personality's persona (the low byte); the flags above it print by name.</summary>
    public static readonly FlagSet Persona = new("PER_LINUX",
        (0x0000, "PER_LINUX"), (0x0001, "PER_SVR4"), (0x0002, "PER_SVR3"), (0x0003, "PER_SCOSVR3"), (0x0005, "PER_WYSEV386"),
        (0x0006, "PER_ISCR4"), (0x0007, "PER_BSD"), (0x0008, "PER_LINUX32"), (0x0009, "PER_IRIX32"), (0x000a, "PER_IRIXN32"),
        (0x000b, "PER_IRIX64"), (0x000c, "PER_RISCOS"), (0x000d, "PER_SOLARIS"), (0x000e, "PER_UW7"), (0x000f, "PER_OSF4"), (0x0010, "PER_HPUX"));

    public static readonly FlagSet PersonaFlags = new("0",
        (0x0200000, "UNAME26"), (0x0040000, "ADDR_NO_RANDOMIZE"), (0x0080000, "FDPIC_FUNCPTRS"), (0x0100000, "MMAP_PAGE_ZERO"),
        (0x0400000, "ADDR_COMPAT_LAYOUT"), (0x0800000, "READ_IMPLIES_EXEC"), (0x1000000, "ADDR_LIMIT_32BIT"), (0x2000000, "SHORT_INODE"),
        (0x4000000, "WHOLE_SECONDS"), (0x8000000, "STICKY_TIMEOUTS"), (0x0008000, "ADDR_LIMIT_3GB"));

    /// <summary>preadv2/pwritev2's flags.</summary>
    public static readonly FlagSet RwfFlags = new("0",
        (0x1, "RWF_HIPRI"), (0x2, "RWF_DSYNC"), (0x4, "RWF_SYNC"), (0x8, "RWF_NOWAIT"), (0x10, "RWF_APPEND"));

    /// <summary>flock's operation (LOCK_RW before its two halves, as strace lists them).</summary>
    public static readonly FlagSet FlockOps = new("0",
        (1, "LOCK_SH"), (2, "LOCK_EX"), (4, "LOCK_NB"), (8, "LOCK_UN"), (32, "LOCK_MAND"), (192, "LOCK_RW"), (64, "LOCK_READ"), (128, "LOCK_WRITE"));

    /// <summary>unshare's flags, in strace's unshare_flags order.</summary>
    public static readonly FlagSet UnshareFlags = new("0",
        (0x80, "CLONE_NEWTIME"), (0x100, "CLONE_VM"), (0x200, "CLONE_FS"), (0x400, "CLONE_FILES"), (0x800, "CLONE_SIGHAND"),
        (0x10000, "CLONE_THREAD"), (0x20000, "CLONE_NEWNS"), (0x40000, "CLONE_SYSVSEM"), (0x2000000, "CLONE_NEWCGROUP"),
        (0x4000000, "CLONE_NEWUTS"), (0x8000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"), (0x20000000, "CLONE_NEWPID"),
        (0x40000000, "CLONE_NEWNET"));
}
