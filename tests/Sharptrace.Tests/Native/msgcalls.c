/* Ancillary data, message vectors, file system statistics and signal waits, for the strace
   comparison: on a unix socket pair, sendmsg/recvmsg passing a descriptor (SCM_RIGHTS) and
   credentials (SCM_CREDENTIALS, with SO_PASSCRED on the receiver), a control buffer too small
   (MSG_CTRUNC), levels and types strace only names or numbers, a header cut short, receive times; sendmmsg/recvmmsg of two messages with a timeout, a failed sendmmsg, eight at once, with credentials, and with addresses on loopback; IP_PKTINFO and IP_RECVERR; socket option names of each level; statfs/fstatfs of file systems
   whose numbers do not change between runs (proc, sysfs) and a failing one; rt_sigtimedwait that
   takes a pending signal, and one that times out. One process, so the order of calls is fixed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int pair[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
    int on = 1;
    setsockopt(pair[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);

    /* A descriptor passed with SCM_RIGHTS. */
    int passed = open("/dev/null", O_RDONLY);
    struct iovec data = { "fd", 2 };
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } rights;
    memset(&rights, 0, sizeof rights);
    struct msghdr sent = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = rights.buf, .msg_controllen = sizeof rights.buf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&sent);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &passed, sizeof passed);
    sendmsg(pair[0], &sent, 0);

    /* Received: the new descriptor and the sender's credentials (SO_PASSCRED). */
    char in[16];
    struct iovec into = { in, sizeof in };
    union { char buf[256]; struct cmsghdr align; } control;
    struct msghdr received = { .msg_iov = &into, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    recvmsg(pair[1], &received, 0);

    /* Credentials sent explicitly. */
    union { char buf[CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr align; } creds;
    memset(&creds, 0, sizeof creds);
    struct ucred me = { getpid(), getuid(), getgid() };
    sent.msg_control = creds.buf;
    sent.msg_controllen = sizeof creds.buf;
    c = CMSG_FIRSTHDR(&sent);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof me);
    memcpy(CMSG_DATA(c), &me, sizeof me);
    sendmsg(pair[0], &sent, 0);
    received.msg_controllen = sizeof control.buf;
    recvmsg(pair[1], &received, 0);

    /* A descriptor and credentials together, received into a buffer too small for both (MSG_CTRUNC). */
    sent.msg_control = rights.buf;
    sent.msg_controllen = sizeof rights.buf;
    sendmsg(pair[0], &sent, 0);
    received.msg_controllen = CMSG_SPACE(sizeof(struct ucred)) + 4;
    recvmsg(pair[1], &received, 0);
    /* Levels a unix socket ignores: IP_TTL's data, a type strace has no name for, and 6 bytes too few for a header. */
    union { char buf[64]; struct cmsghdr align; } others;
    memset(&others, 0, sizeof others);
    sent.msg_control = others.buf;
    c = (struct cmsghdr *)others.buf;
    c->cmsg_level = SOL_IP;
    c->cmsg_type = IP_TTL;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    int ttl = 64;
    memcpy(CMSG_DATA(c), &ttl, sizeof ttl);
    c = (struct cmsghdr *)(others.buf + CMSG_SPACE(sizeof(int)));
    c->cmsg_level = SOL_TCP;
    c->cmsg_type = 1;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    sent.msg_controllen = 2 * CMSG_SPACE(sizeof(int)) + 6;
    sendmsg(pair[0], &sent, 0);
    received.msg_controllen = sizeof control.buf;
    recvmsg(pair[1], &received, 0);
    /* Receive times: SO_TIMESTAMP's timeval, then SO_TIMESTAMPNS's timespec beside the credentials. */
    setsockopt(pair[1], SOL_SOCKET, SO_TIMESTAMP, &on, sizeof on);
    sent.msg_controllen = 0;
    sendmsg(pair[0], &sent, 0);
    received.msg_controllen = sizeof control.buf;
    recvmsg(pair[1], &received, 0);
    setsockopt(pair[1], SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
    sendmsg(pair[0], &sent, 0);
    received.msg_controllen = sizeof control.buf;
    recvmsg(pair[1], &received, 0);
    int off = 0;
    setsockopt(pair[1], SOL_SOCKET, SO_TIMESTAMPNS, &off, sizeof off);
    /* A control buffer the kernel cannot read. */
    sent.msg_control = (void *)8;
    sendmsg(pair[0], &sent, 0);

    /* Two messages at once, and two received with a timeout; then a timeout with nothing to receive. */
    struct iovec first = { "one", 3 }, second = { "two!", 4 };
    struct mmsghdr out[2] = { { .msg_hdr = { .msg_iov = &first, .msg_iovlen = 1 } }, { .msg_hdr = { .msg_iov = &second, .msg_iovlen = 1 } } };
    sendmmsg(pair[0], out, 2, 0);
    /* A failed send: strace shows the messages given, without msg_len. */
    sendmmsg(99, out, 2, 0);
    char b1[8], b2[8];
    struct iovec r1 = { b1, sizeof b1 }, r2 = { b2, sizeof b2 };
    struct mmsghdr back[2] = { { .msg_hdr = { .msg_iov = &r1, .msg_iovlen = 1 } }, { .msg_hdr = { .msg_iov = &r2, .msg_iovlen = 1 } } };
    struct timespec wait = { 1, 0 };
    recvmmsg(pair[1], back, 2, 0, &wait);
    /* Received with room for ancillary data: each message with the sender's credentials (SO_PASSCRED). */
    sendmmsg(pair[0], out, 2, 0);
    union { char buf[64]; struct cmsghdr align; } control1, control2;
    back[0].msg_hdr.msg_control = control1.buf;
    back[0].msg_hdr.msg_controllen = sizeof control1.buf;
    back[1].msg_hdr.msg_control = control2.buf;
    back[1].msg_hdr.msg_controllen = sizeof control2.buf;
    /* The call wrote the time left into the first timeout: a fresh one. */
    struct timespec again = { 1, 0 };
    recvmmsg(pair[1], back, 2, 0, &again);
    struct timespec shortly = { 0, 1000000 };
    recvmmsg(pair[1], back, 2, MSG_DONTWAIT, &shortly);

    /* Eight messages each way: every one shown (-s 32), their buffers too. */
    struct iovec each[8];
    char backing[8][4];
    struct mmsghdr eight[8], eightBack[8];
    memset(eight, 0, sizeof eight);
    memset(eightBack, 0, sizeof eightBack);
    for (int i = 0; i < 8; i++)
    {
        each[i].iov_base = "msg" + (i % 3);
        each[i].iov_len = 3 - i % 3;
        eight[i].msg_hdr.msg_iov = &each[i];
        eight[i].msg_hdr.msg_iovlen = 1;
    }
    sendmmsg(pair[0], eight, 8, 0);
    struct iovec into8[8];
    for (int i = 0; i < 8; i++)
    {
        into8[i].iov_base = backing[i];
        into8[i].iov_len = sizeof backing[i];
        eightBack[i].msg_hdr.msg_iov = &into8[i];
        eightBack[i].msg_hdr.msg_iovlen = 1;
    }
    recvmmsg(pair[1], eightBack, 8, MSG_DONTWAIT, NULL);

    /* Datagrams on loopback: each message sent to an address, each received with the sender's (one buffer larger than it). */
    int receiver = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(receiver, (struct sockaddr *)&local, sizeof local);
    socklen_t length = sizeof local;
    getsockname(receiver, (struct sockaddr *)&local, &length);
    int sender = socket(AF_INET, SOCK_DGRAM, 0);
    struct mmsghdr to[2] = { { .msg_hdr = { .msg_name = &local, .msg_namelen = sizeof local, .msg_iov = &first, .msg_iovlen = 1 } },
                             { .msg_hdr = { .msg_name = &local, .msg_namelen = sizeof local, .msg_iov = &second, .msg_iovlen = 1 } } };
    sendmmsg(sender, to, 2, 0);
    struct sockaddr_in from;
    struct sockaddr_storage wide;
    struct mmsghdr incoming[2] = { { .msg_hdr = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &r1, .msg_iovlen = 1 } },
                             { .msg_hdr = { .msg_name = &wide, .msg_namelen = sizeof wide, .msg_iov = &r2, .msg_iovlen = 1 } } };
    recvmmsg(receiver, incoming, 2, 0, NULL);

    /* A datagram's destination and interface (IP_PKTINFO), and the error queued for one sent to a closed port (IP_RECVERR). */
    setsockopt(receiver, IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
    sendto(sender, "pk", 2, 0, (struct sockaddr *)&local, sizeof local);
    struct msghdr datagram = { .msg_iov = &into, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    recvmsg(receiver, &datagram, 0);
    close(receiver);
    setsockopt(sender, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
    sendto(sender, "lost", 4, 0, (struct sockaddr *)&local, sizeof local);
    struct sockaddr_in target;
    datagram.msg_name = &target;
    datagram.msg_namelen = sizeof target;
    datagram.msg_controllen = sizeof control.buf;
    recvmsg(sender, &datagram, MSG_ERRQUEUE);

    /* Option names come from their level's table; unknown ones and levels are numbers with strace's comment. */
    setsockopt(sender, SOL_SOCKET, 0x4242, &on, sizeof on);
    setsockopt(sender, SOL_IP, 0x4242, &on, sizeof on);
    setsockopt(sender, SOL_TCP, TCP_NODELAY, &on, sizeof on);
    setsockopt(sender, 0x4242, 7, &on, sizeof on);

    /* File systems whose statistics are the same in any run. */
    struct statfs fs;
    statfs("/proc", &fs);
    statfs("/sys", &fs);
    statfs("/nonexist", &fs);
    int proc = open("/proc", O_RDONLY | O_DIRECTORY);
    fstatfs(proc, &fs);
    fstatfs(99, &fs);

    /* A pending signal taken, then a wait that times out. */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    kill(getpid(), SIGUSR1);
    siginfo_t info;
    struct timespec second_ = { 1, 0 };
    sigtimedwait(&usr1, &info, &second_);
    raise(SIGUSR1);
    sigtimedwait(&usr1, NULL, NULL);
    struct timespec brief = { 0, 1000000 };
    sigtimedwait(&usr1, &info, &brief);
    return 0;
}
