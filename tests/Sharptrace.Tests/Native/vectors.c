/* Scatter/gather and select, for the strace comparison: writev/readv with several buffers (a short
   read spread over them, end of file, more buffers than -s shows, a buffer longer than -s, a NULL
   one, a failed call), preadv/pwritev and their v2 forms on a file, sendmsg/recvmsg with and
   without a peer address (msg_namelen given and returned), a failed recvmsg, select and pselect6
   with ready sets, time left and a timeout, and a child that uses CPU time before its SIGCHLD.
   One process at a time, so the order of calls is fixed. Its file lives in the folder given as
   argument (the test run's own, so that two runs never share it), else /tmp. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_child(int sig) { (void)sig; }

int main(int argc, char **argv)
{
    char file[256];
    snprintf(file, sizeof file, "%s/sharptrace-vectors.tmp", argc > 1 ? argv[1] : "/tmp");

    int p[2];
    pipe(p);
    struct iovec two[2] = { { "ab", 2 }, { "cd\n", 3 } };
    writev(p[1], two, 2);
    /* Five bytes read into three buffers of four: "abcd", then "\n", then nothing. */
    char a[4], b[4], c[4];
    struct iovec three[3] = { { a, sizeof a }, { b, sizeof b }, { c, sizeof c } };
    readv(p[0], three, 3);

    /* More buffers than strace shows (-s 32 by default), one longer than -s, one NULL and empty. */
    struct iovec many[40];
    for (int i = 0; i < 40; i++) { many[i].iov_base = "x"; many[i].iov_len = 1; }
    writev(p[1], many, 40);
    char all[64];
    struct iovec one = { all, sizeof all };
    readv(p[0], &one, 1);
    static const char longer[] = "0123456789012345678901234567890123456789";
    struct iovec mixed[3] = { { (void *)longer, sizeof longer - 1 }, { NULL, 0 }, { "z", 1 } };
    writev(p[1], mixed, 3);
    readv(p[0], &one, 1);
    writev(99, two, 2);
    readv(99, three, 3);
    close(p[1]);
    readv(p[0], three, 3);

    /* Positioned forms on a file. */
    int f = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    pwritev(f, two, 2, 0);
    preadv(f, three, 3, 1);
    pwritev2(f, two, 2, 5, 0);
    preadv2(f, three, 2, 0, RWF_HIPRI);
    close(f);
    unlink(file);

    /* vmsplice: the buffers into a pipe. */
    int spliced[2];
    pipe(spliced);
    vmsplice(spliced[1], two, 2, SPLICE_F_NONBLOCK);

    /* Messages: on a socket pair (no address), then datagrams on loopback (the sender's address). */
    int pair[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    struct msghdr sent = { .msg_iov = two, .msg_iovlen = 2 };
    sendmsg(pair[0], &sent, 0);
    struct sockaddr_storage from;
    struct msghdr received = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = three, .msg_iovlen = 3 };
    recvmsg(pair[1], &received, 0);
    received.msg_namelen = sizeof from;
    recvmsg(pair[1], &received, MSG_DONTWAIT);

    int receiver = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(receiver, (struct sockaddr *)&local, sizeof local);
    socklen_t length = sizeof local;
    getsockname(receiver, (struct sockaddr *)&local, &length);
    int sender = socket(AF_INET, SOCK_DGRAM, 0);
    struct msghdr datagram = { .msg_name = &local, .msg_namelen = sizeof local, .msg_iov = two, .msg_iovlen = 2 };
    sendmsg(sender, &datagram, 0);
    struct sockaddr_in peer;
    struct msghdr incoming = { .msg_name = &peer, .msg_namelen = sizeof peer, .msg_iov = &one, .msg_iovlen = 1 };
    recvmsg(receiver, &incoming, 0);
    sendmsg(sender, &datagram, 0);
    received.msg_namelen = sizeof from;
    received.msg_iov = &one;
    received.msg_iovlen = 1;
    recvmsg(receiver, &received, 0);

    /* select with a timeval and pselect6 with a timespec: ready sets, the time left, a timeout. */
    int q[2];
    pipe(q);
    write(q[1], "x", 1);
    fd_set readable, writable;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_SET(q[0], &readable);
    FD_SET(q[1], &writable);
    struct timeval tv = { 1, 0 };
    select(q[1] + 1, &readable, &writable, NULL, &tv);
    /* glibc's select is pselect6 on x86_64: the old call, whose timeout is a timeval, directly. */
    FD_ZERO(&readable);
    FD_SET(q[0], &readable);
    struct timeval tv2 = { 1, 0 };
    syscall(SYS_select, q[1] + 1, &readable, &writable, NULL, &tv2);
    FD_ZERO(&readable);
    FD_SET(q[0], &readable);
    FD_SET(q[1], &readable);
    /* glibc's pselect passes {sigmask, size}, with a NULL mask or a set; the raw call may pass nothing. */
    struct timespec ts = { 2, 0 };
    pselect(q[1] + 1, &readable, NULL, NULL, &ts, NULL);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    FD_SET(q[1], &readable);
    pselect(q[1] + 1, &readable, NULL, NULL, &ts, &usr1);
    FD_SET(q[1], &readable);
    syscall(SYS_pselect6, q[1] + 1, &readable, NULL, NULL, &ts, NULL);
    read(q[0], a, 1);
    FD_ZERO(&readable);
    FD_SET(q[0], &readable);
    struct timeval none = { 0, 0 };
    select(q[0] + 1, &readable, NULL, NULL, &none);

    /* A child that uses some CPU time: its SIGCHLD carries nonzero ticks. */
    signal(SIGCHLD, on_child);
    pid_t child = fork();
    if (child == 0)
    {
        /* Some 100 ms of CPU without a system call, so that under -f too its lines are the same in any run. */
        for (volatile unsigned long i = 0; i < 150000000UL; i++) { }
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    return 0;
}
