/* Netlink for the strace comparison: a NETLINK_ROUTE socket bound and named (sockaddr_nl), SOL_NETLINK
   options, an RTM_GETADDR dump of lo's IPv4 addresses (strict checking filters it, so the replies
   are the same in every run) sent with sendto and read with recvfrom and recvmsg, two requests in
   one buffer, an RTM_GETLINK with NLM_F_ACK for an interface that does not exist (NLMSG_ERROR
   with the request echoed back), a buffer too short for a header, and a socket of another
   protocol (its messages print as bytes). nlmsg_seq is fixed; nl_pid/nlmsg_pid are the port ids
   the kernel assigns, which vary. Then an AF_PACKET socket: socket's htons(ETH_P_ALL), sockaddr_ll
   in bind (with a hardware address, one longer than the length given) and a getsockname whose
   length is too short for strace to decode it. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static char reply[8192];

/* Reads replies until NLMSG_DONE or NLMSG_ERROR, alternating recvfrom and recvmsg. */
static void read_replies(int fd)
{
    for (int i = 0; i < 16; i++)
    {
        ssize_t n;
        if (i % 2 == 0)
        {
            struct sockaddr_nl from;
            socklen_t length = sizeof from;
            n = recvfrom(fd, reply, sizeof reply, 0, (struct sockaddr *)&from, &length);
        }
        else
        {
            struct sockaddr_nl from;
            struct iovec iov = {reply, sizeof reply};
            struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
            n = recvmsg(fd, &m, 0);
        }
        if (n <= 0) return;
        struct nlmsghdr *h = (struct nlmsghdr *)reply;
        for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) return;
    }
}

int main(void)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    int on = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof on);
    struct sockaddr_nl local = {.nl_family = AF_NETLINK};
    bind(fd, (struct sockaddr *)&local, sizeof local);
    struct sockaddr_nl named;
    socklen_t named_length = sizeof named;
    getsockname(fd, (struct sockaddr *)&named, &named_length);

    /* lo's IPv4 addresses. */
    struct
    {
        struct nlmsghdr h;
        struct ifaddrmsg a;
    } dump = {{sizeof dump, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 1, 0}, {.ifa_family = AF_INET, .ifa_index = 1}};
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    sendto(fd, &dump, sizeof dump, 0, (struct sockaddr *)&kernel, sizeof kernel);
    read_replies(fd);

    /* Two requests in one buffer, sent with sendmsg: the dump again and a link that does not exist, with an ack. */
    struct
    {
        struct nlmsghdr h;
        struct ifinfomsg i;
        struct rtattr mask;
        unsigned int mask_value;
    } link = {{sizeof link, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 3, 0}, {.ifi_family = AF_UNSPEC, .ifi_index = 0x7ffffff0},
              {8, IFLA_EXT_MASK}, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS};
    char both[sizeof dump + sizeof link];
    dump.h.nlmsg_seq = 2;
    memcpy(both, &dump, sizeof dump);
    memcpy(both + sizeof dump, &link, sizeof link);
    struct iovec iov = {both, sizeof both};
    struct msghdr m = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &iov, .msg_iovlen = 1};
    sendmsg(fd, &m, 0);
    read_replies(fd);
    read_replies(fd);

    /* A buffer shorter than a header, and a message whose length is cut by the buffer. */
    sendto(fd, "\x01\x02\x03", 3, MSG_DONTWAIT, NULL, 0);
    struct nlmsghdr cut = {64, RTM_GETLINK, NLM_F_REQUEST, 4, 0};
    sendto(fd, &cut, sizeof cut, MSG_DONTWAIT, NULL, 0);
    close(fd);

    /* Another protocol: NETLINK_KOBJECT_UEVENT's socket, its buffer printed as bytes here. */
    int uevent = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
    close(uevent);

    int packet = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = 1};
    bind(packet, (struct sockaddr *)&ll, sizeof ll);
    struct sockaddr_ll ll_named;
    socklen_t ll_length = sizeof ll_named;
    getsockname(packet, (struct sockaddr *)&ll_named, &ll_length);
    struct sockaddr_ll with_address = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = 0x7ffffff0,
                                       .sll_hatype = 1, .sll_pkttype = 4, .sll_halen = 6, .sll_addr = {0, 0x1a, 2, 3, 4, 0xff}};
    bind(packet, (struct sockaddr *)&with_address, sizeof with_address);
    with_address.sll_halen = 10;
    bind(packet, (struct sockaddr *)&with_address, sizeof with_address);
    close(packet);
    return 0;
}
