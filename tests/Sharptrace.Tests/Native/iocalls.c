/* Calls whose arguments point at in/out data, for the strace comparison: poll and ppoll on a
   pipe (events in, revents out, time left), ioctl FIONREAD/FIONBIO/FIONCLEX and an unknown
   request, epoll, socketpair, openat2, waitid, a pty's termios and window size, getsockopt with its length in/out, cpu masks, sysinfo, getdents64 on a small
   directory. One process, no threads, so the order of calls is fixed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <linux/openat2.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/sysinfo.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    pipe(p);
    write(p[1], "x", 1);
    struct pollfd fds[2] = { { .fd = p[0], .events = POLLIN }, { .fd = p[1], .events = POLLOUT | POLLIN } };
    poll(fds, 2, 100);
    struct timespec timeout = { 1, 0 };
    ppoll(fds, 2, &timeout, NULL);
    struct pollfd none = { .fd = p[0], .events = POLLPRI };
    poll(&none, 1, 0);

    int n = 0, one = 1;
    ioctl(p[0], FIONREAD, &n);
    ioctl(p[0], FIONBIO, &one);
    ioctl(p[0], FIONCLEX);
    /* The descriptor flags set and read back: F_GETFD's result is printed with its names (flags FD_CLOEXEC). */
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[0], F_GETFD);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    fcntl(p[0], F_GETFL);
    ioctl(p[0], _IOR('x', 0x99, int), &n);

    /* A terminal of our own: a pty pair, its slave's termios and window size read and set. */
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    int unlock = 0;
    ioctl(master, TIOCSPTLCK, &unlock);
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    struct termios mode;
    tcgetattr(slave, &mode);
    tcsetattr(slave, TCSANOW, &mode);
    /* No input or output flags: strace prints an empty flag word (c_iflag=, c_oflag=NL0|...|FF0|). */
    struct termios bare = mode;
    bare.c_iflag = 0;
    bare.c_oflag = 0;
    tcsetattr(slave, TCSANOW, &bare);
    tcsetattr(slave, TCSANOW, &mode);
    struct winsize size = { .ws_row = 24, .ws_col = 80 };
    ioctl(slave, TIOCSWINSZ, &size);
    ioctl(slave, TIOCGWINSZ, &size);
    pid_t group;
    ioctl(slave, TIOCGPGRP, &group);

    int s = socket(AF_INET, SOCK_DGRAM, 0);
    int error = -1;
    socklen_t length = sizeof error;
    getsockopt(s, SOL_SOCKET, SO_ERROR, &error, &length);
    int buffer_size = 0;
    length = sizeof buffer_size + 4;
    getsockopt(s, SOL_SOCKET, SO_RCVBUF, &buffer_size, &length);

    cpu_set_t cpus;
    sched_getaffinity(0, sizeof cpus, &cpus);
    sched_setaffinity(0, sizeof cpus, &cpus);
    struct sysinfo info;
    sysinfo(&info);

    /* epoll on the pipe; a socket pair; openat2; a child waited for with waitid (SIGCHLD blocked,
       so that no signal line depends on when the child ends). */
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = { .events = EPOLLIN, .data.u64 = 3 };
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &event);
    struct epoll_event ready[4];
    epoll_wait(ep, ready, 4, 100);
    int pair[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair);
    /* Scatter/gather I/O over the pair: writev/readv and sendmsg/recvmsg with one iovec each. */
    struct iovec out = { .iov_base = "ping", .iov_len = 4 };
    writev(pair[0], &out, 1);
    char in_buffer[16];
    struct iovec in = { .iov_base = in_buffer, .iov_len = sizeof in_buffer };
    readv(pair[1], &in, 1);
    struct msghdr sent = { .msg_iov = &out, .msg_iovlen = 1 };
    sendmsg(pair[0], &sent, 0);
    struct msghdr received = { .msg_iov = &in, .msg_iovlen = 1 };
    recvmsg(pair[1], &received, 0);
    struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS };
    syscall(SYS_openat2, AT_FDCWD, "/etc/hostname", &how, sizeof how);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid_t child = fork();
    if (child == 0) _exit(7);
    /* The kernel leaves si_utime/si_stime as they were: zero them, or both tools print stack garbage. */
    siginfo_t status = { 0 };
    waitid(P_PID, child, &status, WEXITED);

    int dir = open("/etc/ssl", O_RDONLY | O_DIRECTORY);
    char buffer[4096];
    while (syscall(SYS_getdents64, dir, buffer, sizeof buffer) > 0) { }
    return 0;
}
