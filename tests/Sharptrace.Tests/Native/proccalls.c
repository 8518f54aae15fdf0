/* Identity, scheduling, timer, file-system and xattr calls for the strace comparison: each
   called once with fixed arguments (failing ones on paths that do not exist), so that every
   line is the same in any run. One process, no threads, so the order of calls is fixed. Its files
   live in the folder given as argument (the test run's own, so that two runs never share them), else /tmp. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/capability.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/xattr.h>
#include <unistd.h>

static void on_signal(int signal) { (void)signal; }

int main(int argc, char **argv)
{
    const char *folder = argc > 1 ? argv[1] : "/tmp";
    char path[256], copy[256], fifo[256];
    snprintf(path, sizeof path, "%s/sharptrace-proccalls", folder);
    snprintf(copy, sizeof copy, "%s/sharptrace-proccalls-copy", folder);
    snprintf(fifo, sizeof fifo, "%s/sharptrace-proccalls-fifo", folder);

    /* Identity: -1 leaves an id as it is. */
    syscall(SYS_setresuid, -1, -1, -1);
    syscall(SYS_setresgid, -1, -1, -1);
    syscall(SYS_setreuid, -1, -1);
    syscall(SYS_setregid, -1, -1);
    syscall(SYS_setfsuid, 0);
    syscall(SYS_setfsgid, 0);
    uid_t r, e, s;
    syscall(SYS_getresuid, &r, &e, &s);
    gid_t gr, ge, gs;
    syscall(SYS_getresgid, &gr, &ge, &gs);
    gid_t groups[4] = { 0 };
    syscall(SYS_getgroups, 0, NULL);
    syscall(SYS_setgroups, 1, groups);
    syscall(SYS_getgroups, 4, groups);
    syscall(SYS_getsid, 0);

    /* Scheduling. */
    syscall(SYS_getpriority, PRIO_PROCESS, 0);
    syscall(SYS_setpriority, PRIO_PROCESS, 0, 0);
    syscall(SYS_sched_getscheduler, 0);
    struct sched_param param = { 0 };
    syscall(SYS_sched_getparam, 0, &param);
    syscall(SYS_sched_setparam, 0, &param);
    syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &param);
    syscall(SYS_sched_get_priority_max, SCHED_FIFO);
    syscall(SYS_sched_get_priority_min, SCHED_OTHER);
    syscall(SYS_personality, 0xffffffff);

    /* Times and timers. */
    struct tms tms;
    syscall(SYS_times, &tms);
    struct rusage usage;
    syscall(SYS_getrusage, RUSAGE_SELF, &usage);
    struct timeval tv;
    syscall(SYS_gettimeofday, &tv, NULL);
    struct timezone tz;
    syscall(SYS_gettimeofday, &tv, &tz);
    syscall(SYS_time, NULL);
    time_t now;
    syscall(SYS_time, &now);
    int tfd = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    struct itimerspec its = { { 0, 0 }, { 100, 0 } }, old;
    syscall(SYS_timerfd_settime, tfd, 0, &its, &old);
    struct itimerspec zero = { 0 };
    syscall(SYS_timerfd_settime, tfd, 0, &zero, NULL);
    syscall(SYS_timerfd_gettime, tfd, &old);
    close(tfd);
    struct itimerval itv = { { 0, 0 }, { 0, 0 } }, oldv;
    syscall(SYS_getitimer, ITIMER_REAL, &oldv);
    syscall(SYS_setitimer, ITIMER_REAL, &itv, &oldv);
    timer_t timer;
    syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &timer);
    syscall(SYS_timer_delete, timer);

    /* Memory. */
    syscall(SYS_mlockall, MCL_CURRENT | MCL_FUTURE);
    syscall(SYS_munlockall);
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char vec[1];
    syscall(SYS_mincore, page, 4096, vec);
    munmap(page, 4096);
    syscall(SYS_membarrier, 0, 0);

    /* Files and file systems. */
    unlink(path);
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    syscall(SYS_fchownat, AT_FDCWD, path, 0, 0, AT_SYMLINK_NOFOLLOW);
    syscall(SYS_lchown, path, -1, -1);
    syscall(SYS_fallocate, fd, 0, 0, 4096);
    syscall(SYS_syncfs, fd);
    int out = open(copy, O_RDWR | O_CREAT | O_TRUNC, 0600);
    loff_t in_off = 0;
    syscall(SYS_copy_file_range, fd, &in_off, out, NULL, 16, 0);
    close(out);
    unlink(copy);
    syscall(SYS_mknod, fifo, S_IFIFO | 0644, 0);
    unlink(fifo);
    syscall(SYS_mknodat, AT_FDCWD, "/nonexist/dev", S_IFCHR | 0600, makedev(1, 3));
    syscall(SYS_chroot, "/nonexist");
    syscall(SYS_umount2, "/nonexist", MNT_DETACH);
    syscall(SYS_mount, "none", "/nonexist", "tmpfs", MS_RDONLY | MS_NOSUID, NULL);

    /* Extended attributes (a failure is as good as a success: both print their arguments). */
    syscall(SYS_setxattr, path, "user.sharptrace", "value", 5, XATTR_CREATE);
    syscall(SYS_fsetxattr, fd, "user.other", "v", 1, 0);
    char names[256];
    syscall(SYS_listxattr, path, names, sizeof names);
    syscall(SYS_flistxattr, fd, names, sizeof names);
    syscall(SYS_removexattr, path, "user.sharptrace");
    syscall(SYS_fremovexattr, fd, "user.other");

    /* Pipes: splice and tee move what was written. */
    int a[2], b[2];
    pipe(a);
    pipe(b);
    write(a[1], "hello", 5);
    syscall(SYS_tee, a[0], b[1], 5, 0);
    syscall(SYS_splice, a[0], NULL, b[1], NULL, 5, SPLICE_F_NONBLOCK);
    write(fd, "file", 4);
    loff_t at = 1;
    syscall(SYS_splice, fd, &at, a[1], NULL, 3, SPLICE_F_MOVE | SPLICE_F_MORE);

    /* inotify. */
    int in = syscall(SYS_inotify_init);
    int wd = syscall(SYS_inotify_add_watch, in, "/tmp", IN_CREATE | IN_DELETE | IN_MOVED_TO);
    syscall(SYS_inotify_rm_watch, in, wd);
    close(in);

    int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
    close(pidfd);

    /* Capabilities. */
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    syscall(SYS_capget, &header, data);
    syscall(SYS_capset, &header, data);
    /* Version 1 uses data[0] only: what data[1] holds is not printed. */
    struct __user_cap_header_struct v1 = { _LINUX_CAPABILITY_VERSION_1, 0 };
    data[1].effective = 0x1ff;
    syscall(SYS_capget, &v1, data);

    /* select on the pipes: b's read end is readable, a's write end writable. */
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(b[0], &rd);
    FD_SET(a[0], &rd);
    FD_SET(a[1], &wr);
    struct timeval timeout = { 0, 0 };
    syscall(SYS_select, b[1] + 1, &rd, &wr, NULL, &timeout);
    FD_ZERO(&rd);
    FD_SET(b[0], &rd);
    struct timespec ts = { 0, 0 };
    syscall(SYS_pselect6, b[0] + 1, &rd, NULL, NULL, &ts, NULL);

    /* An advisory lock taken and dropped: flock's operation is a constant. */
    flock(fd, LOCK_EX | LOCK_NB);
    flock(fd, LOCK_UN);

    /* A signal sent to the thread itself (tgkill, si_code SI_TKILL: -X raw prints 0xfffffffa), handled. */
    signal(SIGUSR2, on_signal);
    raise(SIGUSR2);

    close(fd);
    unlink(path);
    return 0;
}
