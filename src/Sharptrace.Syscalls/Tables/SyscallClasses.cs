namespace Sharptrace.Syscalls.Tables;

/// <summary>
/// strace's classes of calls for <c>-e trace=%class</c>: the calls that take a file name
/// (%file), manage processes (%process), and so on. Membership follows strace's sysent flags
/// (TF, TP, TN, TS, TI, TD, TM).
/// </summary>
public static class SyscallClasses
{
    private static readonly Dictionary<string, HashSet<string>> Members = new(StringComparer.Ordinal)
    {
        ["file"] = Set("open openat openat2 creat stat lstat newfstatat statx access faccessat faccessat2 execve execveat chdir chroot " +
            "unlink unlinkat rename renameat renameat2 mkdir mkdirat rmdir link linkat symlink symlinkat readlink readlinkat " +
            "chmod fchmodat fchmodat2 chown lchown fchownat truncate utime utimes futimesat utimensat mknod mknodat statfs " +
            "setxattr lsetxattr getxattr lgetxattr listxattr llistxattr removexattr lremovexattr setxattrat getxattrat listxattrat removexattrat " +
            "inotify_add_watch name_to_handle_at pivot_root mount umount2 swapon swapoff acct quotactl uselib fanotify_mark " +
            "open_tree move_mount fspick mount_setattr getcwd"),
        ["process"] = Set("clone clone3 fork vfork execve execveat exit exit_group wait4 waitid kill tkill tgkill " +
            "rt_sigqueueinfo rt_tgsigqueueinfo pidfd_open pidfd_send_signal unshare"),
        ["network"] = Set("socket socketpair bind connect listen accept accept4 getsockname getpeername sendto recvfrom " +
            "sendmsg recvmsg sendmmsg recvmmsg shutdown setsockopt getsockopt"),
        ["signal"] = Set("rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigsuspend rt_sigtimedwait rt_sigqueueinfo " +
            "rt_tgsigqueueinfo sigaltstack kill tkill tgkill pause signalfd signalfd4 pidfd_send_signal"),
        ["ipc"] = Set("shmget shmat shmctl shmdt semget semop semctl semtimedop msgget msgsnd msgrcv msgctl"),
        ["desc"] = Set("read write open openat openat2 creat close fstat newfstatat statx poll ppoll lseek mmap ioctl pread64 pwrite64 " +
            "readv writev preadv pwritev preadv2 pwritev2 pipe pipe2 select pselect6 dup dup2 dup3 sendfile fcntl flock fsync fdatasync " +
            "ftruncate getdents getdents64 fchdir fchmod fchown fstatfs readahead fsetxattr fgetxattr flistxattr fremovexattr " +
            "epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2 fadvise64 mq_open mq_timedsend mq_timedreceive " +
            "mq_notify mq_getsetattr inotify_init inotify_init1 inotify_add_watch inotify_rm_watch mkdirat mknodat fchownat futimesat " +
            "unlinkat renameat renameat2 linkat symlinkat readlinkat fchmodat fchmodat2 faccessat faccessat2 splice tee sync_file_range " +
            "vmsplice utimensat signalfd signalfd4 timerfd_create timerfd_settime timerfd_gettime eventfd eventfd2 fallocate " +
            "fanotify_init fanotify_mark name_to_handle_at open_by_handle_at syncfs setns finit_module memfd_create kexec_file_load " +
            "bpf execveat userfaultfd copy_file_range pidfd_open pidfd_getfd pidfd_send_signal io_uring_setup io_uring_enter " +
            "io_uring_register close_range open_tree move_mount fsopen fsconfig fsmount fspick process_madvise mount_setattr " +
            "socket socketpair bind connect listen accept accept4 getsockname getpeername sendto recvfrom sendmsg recvmsg " +
            "sendmmsg recvmmsg shutdown setsockopt getsockopt"),
        ["memory"] = Set("brk mmap munmap mprotect mremap msync mincore madvise mlock munlock mlockall munlockall remap_file_pages " +
            "mbind set_mempolicy get_mempolicy migrate_pages move_pages pkey_mprotect mlock2 process_madvise mseal map_shadow_stack " +
            "set_mempolicy_home_node"),
    };

    /// <summary>The class names, without the leading %.</summary>
    public static IEnumerable<string> Names => Members.Keys;

    /// <summary>The calls of class <paramref name="name"/> (without %), or null for an unknown class.</summary>
    public static IReadOnlySet<string>? Of(string name) => Members.TryGetValue(name, out var set) ? set : null;

    private static HashSet<string> Set(string names) => new(names.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
