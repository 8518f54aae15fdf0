/* Loopback network calls for the strace comparison: AF_INET, AF_INET6 and AF_UNIX sockets that
   bind, listen, connect, accept4, sendto and recvfrom, plus failing calls (a refused connect,
   a bad fd). One process, no threads, so the order of calls is fixed. The AF_UNIX socket lives in
   the folder given as argument (the test run's own, so that two runs never share it), else /tmp. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void exchange(int domain, struct sockaddr *addr, socklen_t len)
{
    int server = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bind(server, addr, len);
    listen(server, 4);
    getsockname(server, addr, &len);
    int client = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0);
    connect(client, addr, len);
    int peer = accept4(server, NULL, NULL, SOCK_CLOEXEC);
    sendto(client, "ping", 4, 0, NULL, 0);
    char buf[16];
    recvfrom(peer, buf, sizeof buf, 0, NULL, NULL);
    close(peer);
    close(client);
    close(server);
}

int main(int argc, char **argv)
{
    const char *folder = argc > 1 ? argv[1] : "/tmp";

    struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = 0 };
    in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    exchange(AF_INET, (struct sockaddr *)&in4, sizeof in4);

    struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = 0, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    exchange(AF_INET6, (struct sockaddr *)&in6, sizeof in6);

    struct sockaddr_un un = { .sun_family = AF_UNIX };
    snprintf(un.sun_path, sizeof un.sun_path, "%s/sharptrace-loopback.sock", folder);
    unlink(un.sun_path);
    exchange(AF_UNIX, (struct sockaddr *)&un, sizeof un);
    unlink(un.sun_path);

    /* Failing calls: nobody listens on port 1; fd 99 is not open. */
    struct sockaddr_in closed = { .sin_family = AF_INET, .sin_port = htons(1) };
    closed.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    connect(s, (struct sockaddr *)&closed, sizeof closed);
    close(s);
    sendto(99, "x", 1, 0, NULL, 0);

    int dgram = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in d = { .sin_family = AF_INET };
    d.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t dl = sizeof d;
    bind(dgram, (struct sockaddr *)&d, sizeof d);
    getsockname(dgram, (struct sockaddr *)&d, &dl);
    sendto(dgram, "datagram", 8, 0, (struct sockaddr *)&d, sizeof d);
    char buf[16];
    recvfrom(dgram, buf, sizeof buf, 0, NULL, NULL);
    close(dgram);
    return 0;
}
