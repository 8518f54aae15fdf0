using System.Buffers.Binary;
using System.Text;
using Sharptrace.Syscalls.Decoding;
using Sharptrace.Syscalls.Formatting;

namespace Sharptrace.Tests.Strace;

/// <summary>
/// The decoders of scatter/gather arrays and clock ticks on bytes built here (no kernel), in the shapes
/// both backends copy; and the comparison's normalisation, which must tell a missing comment apart.
/// </summary>
public class StraceFormattingTests
{
    /// <summary>An iovec copy: per entry {base, len, copied} and the bytes, padded to 8.</summary>
    private static Capture Iovecs(params (ulong Base, ulong Length, string? Data)[] entries)
    {
        var bytes = new List<byte>();
        foreach (var (iovBase, length, data) in entries)
        {
            var head = new byte[CapturePlan.IovecEntryHeader];
            BinaryPrimitives.WriteUInt64LittleEndian(head, iovBase);
            BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(8), length);
            BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(16), data is null ? -1 : data.Length);
            bytes.AddRange(head);
            if (data is null) continue;
            bytes.AddRange(Encoding.ASCII.GetBytes(data));
            bytes.AddRange(new byte[(8 - data.Length % 8) % 8]);
        }
        return new Capture([.. bytes], false, false);
    }

    private static string Quote(ReadOnlyMemory<byte> data, bool truncated) => StringQuoter.Quote(data.Span, truncated: truncated);

    /// <summary>
    /// A killed child's SIGCHLD as strace 6.1 printed it (sh -c "kill -TERM \$$" under bash): si_code and
    /// si_status are constants, si_code in hex under -X. A comparison run can't pin this line: bash's wait4
    /// races the signal, so its options differ between any two runs.
    /// </summary>
    [Theory]
    [InlineData(XlatStyle.Abbrev, "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=4321, si_uid=0, si_status=SIGTERM, si_utime=0, si_stime=0}")]
    [InlineData(XlatStyle.Raw, "{si_signo=17, si_code=0x2, si_pid=4321, si_uid=0, si_status=15, si_utime=0, si_stime=0}")]
    [InlineData(XlatStyle.Verbose, "{si_signo=17 /* SIGCHLD */, si_code=0x2 /* CLD_KILLED */, si_pid=4321, si_uid=0, si_status=15 /* SIGTERM */, si_utime=0, si_stime=0}")]
    public void KilledChildSiginfoFollowsXlat(XlatStyle xlat, string expected)
    {
        var info = new byte[SiginfoFormatter.Size];
        BinaryPrimitives.WriteInt32LittleEndian(info, 17);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(8), 2);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(16), 4321);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(24), 15);
        Assert.Equal(expected, SiginfoFormatter.Body(17, info, xlat));
    }

    [Fact]
    public void InputArrayShowsEachBuffer()
    {
        var capture = Iovecs((0x1000, 2, "ab"), (0x2000, 3, "cd\n"));
        Assert.Equal("[{iov_base=\"ab\", iov_len=2}, {iov_base=\"cd\\n\", iov_len=3}]", IovecFormatter.Format(capture, 0x500, 2, null, Quote));
    }

    [Fact]
    public void OutputArraySpreadsTheBytesReturned()
    {
        // Five bytes returned into three buffers of four: the copy holds min(len, bytes left, -s) of each.
        var capture = Iovecs((0x1000, 4, "abcd"), (0x2000, 4, "\n"), (0x3000, 4, ""));
        Assert.Equal("[{iov_base=\"abcd\", iov_len=4}, {iov_base=\"\\n\", iov_len=4}, {iov_base=\"\", iov_len=4}]",
            IovecFormatter.Format(capture, 0x500, 3, 5, Quote));
    }

    [Fact]
    public void CutBuffersAndEntriesEndWithDots()
    {
        // -s 2: a buffer of 5 shows 2 bytes and "...", and of 3 entries only the 2 copied, then "...".
        var capture = Iovecs((0x1000, 5, "he"), (0x2000, 1, "x"));
        Assert.Equal("[{iov_base=\"he\"..., iov_len=5}, {iov_base=\"x\", iov_len=1}, ...]", IovecFormatter.Format(capture, 0x500, 3, null, Quote));
    }

    [Fact]
    public void UnreadableNullAndFailedBuffersPrintAsAddresses()
    {
        var capture = Iovecs((0x1000, 4, null), (0, 0, ""));
        Assert.Equal("[{iov_base=0x1000, iov_len=4}, {iov_base=NULL, iov_len=0}]", IovecFormatter.Format(capture, 0x500, 2, null, Quote));
        Assert.Equal("[{iov_base=0x1000, iov_len=4}, {iov_base=NULL, iov_len=0}]", IovecFormatter.Format(Iovecs((0x1000, 4, ""), (0, 0, "")), 0x500, 2, 0, null));
        Assert.Equal("0x500", IovecFormatter.Format(new Capture([], true, false), 0x500, 2, null, Quote));
        Assert.Equal("[]", IovecFormatter.Format(null, 0x500, 0, null, Quote));
        Assert.Equal("NULL", IovecFormatter.Format(null, 0, 2, null, Quote));
    }

    [Theory]
    [InlineData(0UL, XlatStyle.Abbrev, "0")]
    [InlineData(4UL, XlatStyle.Abbrev, "4 /* 0.04 s */")]
    [InlineData(150UL, XlatStyle.Verbose, "150 /* 1.50 s */")]
    [InlineData(4UL, XlatStyle.Raw, "4")]
    public void ClockTicksCarryTheirSeconds(ulong ticks, XlatStyle xlat, string expected) =>
        Assert.Equal(expected, StructFormatter.ClockTicks(ticks, xlat));

    [Fact]
    public void CallsThatRewriteTheirInputsAreNotDeferred()
    {
        var options = new DecodeOptions();
        Assert.True(CapturePlan.RewritesInput(CapturePlan.For(DecoderTable.Find("recvmsg")!, options)));
        Assert.True(CapturePlan.RewritesInput(CapturePlan.For(DecoderTable.Find("pselect6")!, options)));
        Assert.False(CapturePlan.RewritesInput(CapturePlan.For(DecoderTable.Find("writev")!, options)));
        Assert.False(CapturePlan.RewritesInput(CapturePlan.For(DecoderTable.Find("sendmsg")!, options)));
        // pselect6: three sets and the timeout, each at entry and again at exit, and {sigmask, sigsetsize} with the mask.
        Assert.Equal(10, CapturePlan.For(DecoderTable.Find("pselect6")!, options).Length);
    }

    [Fact]
    public void NormalisationKeepsAMissingOrWrongClockComment()
    {
        static string N(string ticks) => StraceComparisonTests.Normalise($"--- SIGCHLD {{si_signo=SIGCHLD, si_utime={ticks}, si_stime=0}} ---")[0];
        Assert.Equal(N("4 /* 0.04 s */"), N("7 /* 0.07 s */"));
        Assert.Equal(N("0"), N("3 /* 0.03 s */"));
        Assert.NotEqual(N("4 /* 0.04 s */"), N("4"));
        Assert.NotEqual(N("4 /* 0.04 s */"), N("4 /* 0.40 s */"));
        static string Raw(string ticks) => StraceComparisonTests.Normalise($"si_utime={ticks}", rawXlat: true)[0];
        Assert.Equal(Raw("4"), Raw("7"));
        Assert.NotEqual(Raw("4"), Raw("4 /* 0.04 s */"));
    }
    /// <summary>struct sockaddr_nl as strace 6.1 prints it (values from strace's own output for ip and for a hand-made bind).</summary>
    [Theory]
    [InlineData("10000000000000000000000000", 12, "{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}")]
    [InlineData("10000000ca620000ffffffff", 12, "{sa_family=AF_NETLINK, nl_pid=25290, nl_groups=0xffffffff}")]
    [InlineData("1000000001000000100000ff", 12, "{sa_family=AF_NETLINK, nl_pid=1, nl_groups=0xff000010}")]
    [InlineData("10000000000000000100000000", 12, "{sa_family=AF_NETLINK, nl_pid=0, nl_groups=0x000001}")]
    [InlineData("10000700000000000000000000", 12, "{sa_family=AF_NETLINK, nl_pad=0x7, nl_pid=0, nl_groups=00000000}")]
    // Shorter than struct sockaddr_nl: the raw bytes given.
    [InlineData("1000000000000000", 8, "{sa_family=AF_NETLINK, sa_data=\"\\0\\0\\0\\0\\0\\0\"}")]
    // A family not decoded here shows the bytes of the length given, not of the whole copy.
    [InlineData("0000010203040506070809ff", 12, "{sa_family=AF_UNSPEC, sa_data=\"\\1\\2\\3\\4\\5\\6\\7\\10\\t\\377\"}")]
    public void NetlinkAddressesPrintAsStraceDoes(string hex, int length, string expected)
    {
        var bytes = Convert.FromHexString(hex);
        var copy = new byte[CapturePlan.SockaddrSize];
        bytes.CopyTo(copy, 0);
        Assert.Equal(expected, StructFormatter.Sockaddr(copy, length));
    }
    /// <summary>
    /// Netlink buffers as strace 6.1 prints them (its output for the same bytes): several messages, a header cut by the buffer,
    /// bytes too few for a header; and what is not decoded here (another protocol, an unknown route type or attribute) is left to the caller (null).
    /// </summary>
    [Theory]
    // RTM_GETADDR dump request, then a zero-length header (iproute2's sendto of 152 bytes ends so).
    [InlineData(0, "18000000160001030100000000000000020000000100000000000000000000000000000000000000",
        "[[{nlmsg_len=24, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=1, nlmsg_pid=0}, {ifa_family=AF_INET, ifa_prefixlen=0, ifa_flags=0, ifa_scope=RT_SCOPE_UNIVERSE, ifa_index=if_nametoindex(\"lo\")}], {nlmsg_len=0, nlmsg_type=0 /* NLMSG_??? */, nlmsg_flags=0, nlmsg_seq=0, nlmsg_pid=0}]")]
    [InlineData(0, "14000000030022000100000001000000000000000102", "[[{nlmsg_len=20, nlmsg_type=NLMSG_DONE, nlmsg_flags=NLM_F_MULTI|NLM_F_DUMP_FILTERED, nlmsg_seq=1, nlmsg_pid=1}, 0], \"\\x01\\x02\"]")]
    [InlineData(0, "400000001200010004000000000000", "\"\\x40\\x00\\x00\\x00\\x12\\x00\\x01\\x00\\x04\\x00\\x00\\x00\\x00\\x00\\x00\"")]
    [InlineData(0, "40000000120001000400000000000000", "{nlmsg_len=64, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=4, nlmsg_pid=0}")]
    [InlineData(15, "40000000120001000400000000000000", null)]
    [InlineData(0, "10000000280001000400000000000000", null)]
    // lo's link (formats from strace's output for ip link show lo): a string, a type strace 6.1 does not name, a hardware address, a u8.
    [InlineData(0, "4400000010000000010000000000000000000403010000004900010000000000070003006c6f000005004300010000000a00010000000000000000000500100006000000",
        "[{nlmsg_len=68, nlmsg_type=RTM_NEWLINK, nlmsg_flags=0, nlmsg_seq=1, nlmsg_pid=0}, {ifi_family=AF_UNSPEC, ifi_type=ARPHRD_LOOPBACK, ifi_index=if_nametoindex(\"lo\"), ifi_flags=IFF_UP|IFF_LOOPBACK|IFF_RUNNING|IFF_LOWER_UP, ifi_change=0}, [[{nla_len=7, nla_type=IFLA_IFNAME}, \"lo\"], [{nla_len=5, nla_type=0x43 /* IFLA_??? */}, \"\\x01\"], [{nla_len=10, nla_type=IFLA_ADDRESS}, 00:00:00:00:00:00], [{nla_len=5, nla_type=IFLA_OPERSTATE}, 6]]]")]
    // A route's flags with a bit strace 6.1 does not name (its output for ip route get 127.0.0.1).
    [InlineData(0, "1c00000018000000050000000000000002200000fe00000200020080", "[{nlmsg_len=28, nlmsg_type=RTM_NEWROUTE, nlmsg_flags=0, nlmsg_seq=5, nlmsg_pid=0}, {rtm_family=AF_INET, rtm_dst_len=32, rtm_src_len=0, rtm_tos=0, rtm_table=RT_TABLE_MAIN, rtm_protocol=RTPROT_UNSPEC, rtm_scope=RT_SCOPE_UNIVERSE, rtm_type=RTN_LOCAL, rtm_flags=RTM_F_CLONED|0x80000000}]")]
    // lo's broadcast neighbour, as strace printed it for ip neigh.
    [InlineData(0, "4c0000001c000200f387086b4e02000002000000010000004000000308000100000000000a00020000000000000000000800040000000000140003004e020000373643003736430000000000",
        "[{nlmsg_len=76, nlmsg_type=RTM_NEWNEIGH, nlmsg_flags=NLM_F_MULTI, nlmsg_seq=1795721203, nlmsg_pid=590}, {ndm_family=AF_INET, ndm_ifindex=if_nametoindex(\"lo\"), ndm_state=NUD_NOARP, ndm_flags=0, ndm_type=RTN_BROADCAST}, [[{nla_len=8, nla_type=NDA_DST}, inet_addr(\"0.0.0.0\")], [{nla_len=10, nla_type=NDA_LLADDR}, 00:00:00:00:00:00], [{nla_len=8, nla_type=NDA_PROBES}, 0], [{nla_len=20, nla_type=NDA_CACHEINFO}, {ndm_confirmed=590, ndm_used=4404791, ndm_updated=4404791, ndm_refcnt=0}]]]")]
    // IFLA_LINKINFO (nested) is not decoded here.
    [InlineData(0, "28000000100000000100000000000000000004030100000049000100000000000800120001020304", null)]
    public void NetlinkMessagesPrintAsStraceDoes(int protocol, string hex, string? expected) =>
        Assert.Equal(expected, new NetlinkFormatter(32, false).Format(Convert.FromHexString(hex), protocol));
    /// <summary>The buffers a msghdr's netlink messages are decoded from line up with those printed: NULL and unreadable ones are not printed as bytes.</summary>
    [Fact]
    public void WholeBuffersSkipNullAndUnreadableEntries()
    {
        var buffers = IovecFormatter.WholeBuffers(Iovecs((0, 0, ""), (0x1000, 3, "abc"), (0x2000, 4, null), (0x3000, 5, "ab")), null);
        Assert.Equal(2, buffers.Count);
        Assert.Equal("abc", Encoding.ASCII.GetString(buffers[0]!));
        Assert.Null(buffers[1]);
        // Received: 4 bytes returned, spread over the buffers in order: the first whole, the second holds one.
        var received = IovecFormatter.WholeBuffers(Iovecs((0x1000, 3, "abc"), (0x2000, 5, "d")), 4);
        Assert.Equal(["abc", "d"], received.Select(b => Encoding.ASCII.GetString(b!)));
    }
    /// <summary>A message length near 4 GiB wraps when aligned (as in strace, where no next message follows then): one message, even under -v.</summary>
    [Fact]
    public void NetlinkLengthThatWrapsEndsTheMessages() =>
        Assert.Equal("[{nlmsg_len=4294967294, nlmsg_type=NLMSG_DONE, nlmsg_flags=0, nlmsg_seq=0, nlmsg_pid=0}, \"\\x00\\x00\\x00\\x00\\x01\\x02\\x03\\x04\"]",
            new NetlinkFormatter(32, verbose: true).Format(Convert.FromHexString("feffffff0300000000000000000000000000000001020304"), 0));
}
