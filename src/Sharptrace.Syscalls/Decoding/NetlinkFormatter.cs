using System.Buffers.Binary;
using System.Net;
using System.Text;
using Sharptrace.Kernel;
using Sharptrace.Syscalls.Formatting;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// A buffer sent to or received from a netlink socket as strace 6.1 prints it (its netlink.c, netlink_route.c,
/// rtnl_addr.c, rtnl_link.c, nlattr.c): <c>[{nlmsg_len=…, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, …},
/// {ifa_family=AF_INET, …}]</c>, messages one after another, NLMSG_DONE's int, NLMSG_ERROR's <c>{error=0, msg=…}</c>.
/// Only what is decoded here exactly as strace does is printed so: NETLINK_ROUTE's link, address, route and neighbour messages with the
/// attributes named below, in the default -X style. Anything else (another protocol or message type,
/// an attribute not known here) makes <see cref="Format"/> return null, and the buffer prints as plain bytes, as before.
/// </summary>
internal sealed class NetlinkFormatter(int stringLimit, bool verbose, HexMode hex = HexMode.None)
{
    private const int HeaderLength = 16, AttributeHeader = 4, NlmsgMinType = 0x10;
    private const int NetlinkRoute = 0, NlmsgError = 2, NlmsgDone = 3;

    /// <summary>Elements of a sequence strace shows before <c>...</c> (messages, attributes): -s, all with -v.</summary>
    private int ArrayLimit => verbose ? int.MaxValue : stringLimit;

    /// <summary>The buffer <paramref name="b"/> (all its bytes) of a socket of <paramref name="protocol"/>, or null when not decoded here.</summary>
    public string? Format(ReadOnlySpan<byte> b, int protocol)
    {
        if (protocol != NetlinkRoute) return null;
        var text = new StringBuilder();
        return Messages(text, b) ? text.ToString() : null;
    }

    /// <summary>strace's decode_netlink: the messages while each header fits, in brackets when more than one follows.</summary>
    private bool Messages(StringBuilder text, ReadOnlySpan<byte> b)
    {
        if (b.Length < HeaderLength) { HexString(text, b); return true; }
        var inArray = false;
        for (var element = 1; ; element++)
        {
            if (element > ArrayLimit) { text.Append("..."); break; }
            var length = BinaryPrimitives.ReadUInt32LittleEndian(b);
            var aligned = (length + 3) & ~3u;
            // A length near 4 GiB wraps when aligned, as in strace, where the next address is then not past this one: no next.
            var hasNext = length >= HeaderLength && aligned >= HeaderLength && (uint)b.Length > aligned;
            if (!inArray && hasNext) { text.Append('['); inArray = true; }
            if (!Message(text, b)) return false;
            if (!hasNext) break;
            text.Append(", ");
            b = b[(int)aligned..];
            if (b.Length < HeaderLength) { HexString(text, b); break; }
        }
        if (inArray) text.Append(']');
        return true;
    }

    /// <summary>One header and its payload (as much of it as the buffer holds): <c>[{nlmsg_len=…}, payload]</c>.</summary>
    private bool Message(StringBuilder text, ReadOnlySpan<byte> b)
    {
        var length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(b), (uint)b.Length);
        var type = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]);
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]);
        if (length > HeaderLength) text.Append('[');
        text.Append("{nlmsg_len=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b));
        if (TypeName(type) is not { } typeName || FlagNames(type, flags) is not { } flagNames) return false;
        text.Append(", nlmsg_type=").Append(typeName).Append(", nlmsg_flags=").Append(flagNames)
            .Append(", nlmsg_seq=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[8..]))
            .Append(", nlmsg_pid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[12..])).Append('}');
        if (length <= HeaderLength) return true;
        text.Append(", ");
        if (!Payload(text, type, flags, b[HeaderLength..length])) return false;
        text.Append(']');
        return true;
    }

    private bool Payload(StringBuilder text, ushort type, ushort flags, ReadOnlySpan<byte> p)
    {
        if (type == NlmsgError) return Error(text, p, (flags & 0x100) != 0);
        if (type == NlmsgDone)
        {
            if (p.Length == 4) text.Append(BinaryPrimitives.ReadInt32LittleEndian(p));
            else HexString(text, p);
            return true;
        }
        if (type < NlmsgMinType) { HexString(text, p); return true; }
        return type switch
        {
            >= 16 and <= 19 => InterfaceInfo(text, p),
            >= 20 and <= 22 => InterfaceAddress(text, p),
            >= 24 and <= 26 => Route(text, p),
            >= 28 and <= 30 => Neighbour(text, p),
            _ => false,
        };
    }

    /// <summary>struct nlmsgerr: <c>{error=-EINVAL, msg=[{nlmsg_len=…}, …]}</c>; extended-ack attributes are not decoded here.</summary>
    private bool Error(StringBuilder text, ReadOnlySpan<byte> p, bool capped)
    {
        if (p.Length < 4 + HeaderLength) { HexString(text, p); return true; }
        var error = BinaryPrimitives.ReadInt32LittleEndian(p);
        var request = p[4..];
        var requestLength = Math.Max(HeaderLength, (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(request), int.MaxValue));
        var payload = Math.Min(request.Length, capped ? HeaderLength : requestLength);
        if (request.Length > payload) return false;
        string errorText;
        if (error == 0) errorText = "0";
        else if (error < 0 && Enum.IsDefined((Errno)(-error))) errorText = "-" + ((Errno)(-error)).ToString();
        else return false;
        text.Append("{error=").Append(errorText).Append(", msg=");
        if (!Message(text, request[..payload])) return false;
        text.Append('}');
        return true;
    }

    /// <summary>struct ifinfomsg and its IFLA_* attributes.</summary>
    private bool InterfaceInfo(StringBuilder text, ReadOnlySpan<byte> p)
    {
        if (Flags.AddressFamily.NameOf(p[0]) is not { } family) return false;
        text.Append("{ifi_family=").Append(family).Append(", ");
        if (p.Length < 16) { text.Append("...}"); return true; }
        var index = BinaryPrimitives.ReadInt32LittleEndian(p[4..]);
        var interfaceFlags = BinaryPrimitives.ReadUInt32LittleEndian(p[8..]);
        var change = BinaryPrimitives.ReadUInt32LittleEndian(p[12..]);
        if (NetlinkNames.HardwareType.NameOf(BinaryPrimitives.ReadUInt16LittleEndian(p[2..])) is not { } hardware
            || NetlinkNames.KnownBits(NetlinkNames.InterfaceFlags, interfaceFlags) is not { } ifiFlags) return false;
        text.Append("ifi_type=").Append(hardware).Append(", ifi_index=").Append(InterfaceIndex(index))
            .Append(", ifi_flags=").Append(ifiFlags)
            .Append(", ifi_change=").Append(change == 0 ? "0" : "0x" + change.ToString("x")).Append('}');
        if (p.Length <= 16) return true;
        text.Append(", ");
        var linkFamily = p[0];
        return Attributes(text, p[16..], (t, type, data) => LinkAttribute(t, type, data, linkFamily));
    }

    /// <summary>struct ifaddrmsg and its IFA_* attributes.</summary>
    private bool InterfaceAddress(StringBuilder text, ReadOnlySpan<byte> p)
    {
        if (Flags.AddressFamily.NameOf(p[0]) is not { } family) return false;
        text.Append("{ifa_family=").Append(family).Append(", ");
        if (p.Length < 8) { text.Append("...}"); return true; }
        if (NetlinkNames.Scope.NameOf(p[3]) is not { } scope || NetlinkNames.KnownBits(NetlinkNames.AddressFlags, p[2]) is not { } ifaFlags) return false;
        text.Append("ifa_prefixlen=").Append(p[1]).Append(", ifa_flags=").Append(ifaFlags)
            .Append(", ifa_scope=").Append(scope).Append(", ifa_index=").Append(InterfaceIndex(BinaryPrimitives.ReadInt32LittleEndian(p[4..]))).Append('}');
        if (p.Length <= 8) return true;
        text.Append(", ");
        var addressFamily = p[0];
        return Attributes(text, p[8..], (t, type, data) => AddressAttribute(t, type, data, addressFamily));
    }

    /// <summary>struct rtmsg and its RTA_* attributes (strace's decode_rtmsg); a TOS other than 0 is not decoded here.</summary>
    private bool Route(StringBuilder text, ReadOnlySpan<byte> p)
    {
        if (Flags.AddressFamily.NameOf(p[0]) is not { } family) return false;
        text.Append("{rtm_family=").Append(family).Append(", ");
        if (p.Length < 12) { text.Append("...}"); return true; }
        var routeFlags = BinaryPrimitives.ReadUInt32LittleEndian(p[8..]);
        var flagNames = NetlinkNames.RouteFlags.Bits(routeFlags);
        // printflags: unknown bits in hex after the names, alone with a comment.
        if (routeFlags != 0 && !flagNames.Contains("RTM_F_", StringComparison.Ordinal)) flagNames += " /* RTM_F_??? */";
        if (p[3] != 0
            || NetlinkNames.RouteTable.NameOf(p[4]) is not { } table || NetlinkNames.RouteProtocol.NameOf(p[5]) is not { } protocol
            || NetlinkNames.Scope.NameOf(p[6]) is not { } scope || NetlinkNames.RouteKind.NameOf(p[7]) is not { } kind) return false;
        text.Append("rtm_dst_len=").Append(p[1]).Append(", rtm_src_len=").Append(p[2]).Append(", rtm_tos=0, rtm_table=").Append(table)
            .Append(", rtm_protocol=").Append(protocol).Append(", rtm_scope=").Append(scope).Append(", rtm_type=").Append(kind).Append(", rtm_flags=").Append(flagNames).Append('}');
        if (p.Length <= 12) return true;
        text.Append(", ");
        var routeFamily = p[0];
        return Attributes(text, p[12..], (t, type, data) => RouteAttribute(t, type, data, routeFamily));
    }

    /// <summary>struct ndmsg and its NDA_* attributes (strace's decode_ndmsg): the address, link-layer address, probes and cache times.</summary>
    private bool Neighbour(StringBuilder text, ReadOnlySpan<byte> p)
    {
        if (Flags.AddressFamily.NameOf(p[0]) is not { } family) return false;
        text.Append("{ndm_family=").Append(family).Append(", ");
        if (p.Length < 12) { text.Append("...}"); return true; }
        if (NetlinkNames.KnownBits(NetlinkNames.NeighbourState, BinaryPrimitives.ReadUInt16LittleEndian(p[8..])) is not { } state
            || NetlinkNames.KnownBits(NetlinkNames.NeighbourFlags, p[10]) is not { } flags || NetlinkNames.RouteKind.NameOf(p[11]) is not { } kind) return false;
        text.Append("ndm_ifindex=").Append(InterfaceIndex(BinaryPrimitives.ReadInt32LittleEndian(p[4..]))).Append(", ndm_state=").Append(state)
            .Append(", ndm_flags=").Append(flags).Append(", ndm_type=").Append(kind).Append('}');
        if (p.Length <= 12) return true;
        text.Append(", ");
        var neighbourFamily = p[0];
        return Attributes(text, p[12..], (t, type, data) => NeighbourAttribute(t, type, data, neighbourFamily));
    }

    private bool NeighbourAttribute(StringBuilder text, int type, ReadOnlySpan<byte> data, byte family)
    {
        if (NetlinkNames.NeighbourAttribute.NameOf((ulong)type) is not { } name) return false;
        text.Append(name).Append('}');
        if (data.IsEmpty) return true;
        text.Append(", ");
        switch (type)
        {
            case 1: // NDA_DST
                if (!InetAddress(text, data, family)) return false;
                break;
            case 2: // NDA_LLADDR: every byte
                if (data.Length > 32) return false;
                for (var i = 0; i < data.Length; i++) text.Append(i > 0 ? ":" : "").Append(data[i].ToString("x2"));
                break;
            case 3: // NDA_CACHEINFO
                if (data.Length < 16) return false;
                text.Append("{ndm_confirmed=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data))
                    .Append(", ndm_used=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[4..]))
                    .Append(", ndm_updated=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[8..]))
                    .Append(", ndm_refcnt=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[12..])).Append('}');
                break;
            case 4: // NDA_PROBES
                if (data.Length >= 4) text.Append(BinaryPrimitives.ReadUInt32LittleEndian(data));
                else HexString(text, data);
                break;
            default:
                return false;
        }
        return Close(text);
    }

    /// <summary>An RTA_* attribute; strace 6.1 names the types up to RTA_NH_ID (30).</summary>
    private bool RouteAttribute(StringBuilder text, int type, ReadOnlySpan<byte> data, byte family)
    {
        var name = NetlinkNames.RouteAttribute.NameOf((ulong)type) ?? $"{CallFormatter.Hex((ulong)type)} /* RTA_??? */";
        text.Append(name).Append('}');
        if (data.IsEmpty) return true;
        text.Append(", ");
        switch (type)
        {
            case 1 or 2 or 5 or 7 or 19: // RTA_DST, RTA_SRC, RTA_GATEWAY, RTA_PREFSRC, RTA_NEWDST
                if (!InetAddress(text, data, family)) return false;
                break;
            case 3 or 4: // RTA_IIF, RTA_OIF
                if (data.Length >= 4) text.Append(InterfaceIndex(BinaryPrimitives.ReadInt32LittleEndian(data)));
                else HexString(text, data);
                break;
            case 6 or 10 or 11 or 14 or 16 or 25 or 30: // u32
                if (data.Length >= 4) text.Append(BinaryPrimitives.ReadUInt32LittleEndian(data));
                else HexString(text, data);
                break;
            case 20 or 26 or 27: // u8
                text.Append(data[0]);
                break;
            case 28 or 29: // u16
                if (data.Length >= 2) text.Append(BinaryPrimitives.ReadUInt16LittleEndian(data));
                else HexString(text, data);
                break;
            case 12: // RTA_CACHEINFO
                if (data.Length < 32) return false;
                var id = BinaryPrimitives.ReadUInt32LittleEndian(data[20..]);
                text.Append("{rta_clntref=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data))
                    .Append(", rta_lastuse=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[4..]))
                    .Append(", rta_expires=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[8..]))
                    .Append(", rta_error=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[12..]))
                    .Append(", rta_used=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[16..]))
                    .Append(", rta_id=").Append(id == 0 ? "0" : "0x" + id.ToString("x"))
                    .Append(", rta_ts=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[24..]))
                    .Append(", rta_tsage=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[28..])).Append('}');
                break;
            case 15: // RTA_TABLE
                if (data.Length < 4) HexString(text, data);
                else if (NetlinkNames.RouteTable.NameOf(BinaryPrimitives.ReadUInt32LittleEndian(data)) is { } table) text.Append(table);
                else return false;
                break;
            case 0 or 13 or 22 or 24 or > 30: // no decoder in strace, or a type it does not know
                HexString(text, data);
                break;
            default:
                return false;
        }
        return Close(text);
    }

    /// <summary>strace's decode_inet_addr: <c>inet_addr("127.0.0.1")</c>, <c>inet_pton(AF_INET6, "::1")</c>; too short: the bytes.</summary>
    private bool InetAddress(StringBuilder text, ReadOnlySpan<byte> data, byte family)
    {
        var addressLength = family switch { 2 => 4, 10 => 16, _ => 0 };
        if (addressLength == 0) return false;
        if (data.Length < addressLength) HexString(text, data);
        else if (family == 2) text.Append("inet_addr(\"").Append(new IPAddress(data[..4])).Append("\")");
        else text.Append("inet_pton(AF_INET6, \"").Append(new IPAddress(data[..16])).Append("\")");
        return true;
    }

    private delegate bool AttributeDecoder(StringBuilder text, int type, ReadOnlySpan<byte> data);

    /// <summary>strace's decode_nlattr: <c>[{nla_len=8, nla_type=IFA_ADDRESS}, inet_addr("127.0.0.1")]</c>, several in brackets.</summary>
    private bool Attributes(StringBuilder text, ReadOnlySpan<byte> b, AttributeDecoder decode)
    {
        if (b.Length < AttributeHeader) { HexString(text, b); return true; }
        var inArray = false;
        for (var element = 1; ; element++)
        {
            if (element > ArrayLimit) { text.Append("..."); break; }
            var length = BinaryPrimitives.ReadUInt16LittleEndian(b);
            var aligned = (length + 3) & ~3;
            var hasNext = length >= AttributeHeader && b.Length > aligned;
            if (!inArray && hasNext) { text.Append('['); inArray = true; }
            var type = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
            // NLA_F_NESTED and NLA_F_NET_BYTEORDER are not decoded here.
            if ((type & 0xc000) != 0) return false;
            var shown = Math.Min(length, b.Length);
            if (shown > AttributeHeader) text.Append('[');
            text.Append("{nla_len=").Append(length).Append(", nla_type=");
            if (!decode(text, type, shown > AttributeHeader ? b[AttributeHeader..shown] : [])) return false;
            if (!hasNext) break;
            text.Append(", ");
            b = b[aligned..];
            if (b.Length < AttributeHeader) { HexString(text, b); break; }
        }
        if (inArray) text.Append(']');
        return true;
    }

    /// <summary>
    /// An IFLA_* attribute: the name, <c>}</c>, and when there is data <c>, value]</c>. strace 6.1 names the types up to
    /// IFLA_ALLMULTI (61): a later one prints as a number and its bytes; a nested or struct-valued one not decoded here: null.
    /// </summary>
    private bool LinkAttribute(StringBuilder text, int type, ReadOnlySpan<byte> data, byte family)
    {
        var name = NetlinkNames.LinkAttribute.NameOf((ulong)type);
        if (name is null && type <= NetlinkNames.LastLinkAttribute) return false;
        text.Append(name ?? $"{CallFormatter.Hex((ulong)type)} /* IFLA_??? */").Append('}');
        if (data.IsEmpty) return true;
        text.Append(", ");
        switch (NetlinkNames.LinkAttributeValue(type))
        {
            case NetlinkNames.Value.Bytes: HexString(text, data); break;
            case NetlinkNames.Value.U8: text.Append(data[0]); break;
            case NetlinkNames.Value.U32 when data.Length >= 4: text.Append(BinaryPrimitives.ReadUInt32LittleEndian(data)); break;
            case NetlinkNames.Value.S32 when data.Length >= 4: text.Append(BinaryPrimitives.ReadInt32LittleEndian(data)); break;
            case NetlinkNames.Value.U32 or NetlinkNames.Value.S32: HexString(text, data); break;
            case NetlinkNames.Value.String:
                if (!String(text, data)) return false;
                break;
            case NetlinkNames.Value.HardwareAddress:
                // strace takes ifi_family for an ARPHRD_* type to size the address: AF_UNSPEC is ARPHRD_NETROM (7 bytes at most),
                // AF_INET and AF_INET6 have no size (all bytes); other families are not decoded here.
                var shown = family switch { 0 => Math.Min(data.Length, 7), 2 or 10 => data.Length, _ => -1 };
                if (shown < 0 || data.Length > 32) return false;
                for (var i = 0; i < shown; i++) text.Append(i > 0 ? ":" : "").Append(data[i].ToString("x2"));
                break;
            case NetlinkNames.Value.ExtMask:
                if (data.Length < 4) HexString(text, data);
                else if (NetlinkNames.KnownBits(NetlinkNames.ExtFilter, BinaryPrimitives.ReadUInt32LittleEndian(data)) is { } mask) text.Append(mask);
                else return false;
                break;
            case NetlinkNames.Value.Stats:
                // struct rtnl_link_stats: 24 u32 (23 in older kernels, without rx_nohandler).
                var count = data.Length >= 96 ? 24 : data.Length == 92 ? 23 : 0;
                if (count == 0) return false;
                Stats(text, data, count, 4);
                break;
            case NetlinkNames.Value.Stats64:
                // struct rtnl_link_stats64 as strace 6.1 knows it: 25 u64 (up to rx_otherhost_dropped), older kernels' 23 or 24.
                var count64 = data.Length >= 200 ? 25 : data.Length is 192 or 184 ? data.Length / 8 : 0;
                if (count64 == 0) return false;
                Stats(text, data, count64, 8);
                break;
            default:
                return false;
        }
        return Close(text);
    }

    private static void Stats(StringBuilder text, ReadOnlySpan<byte> data, int count, int size)
    {
        text.Append('{');
        for (var i = 0; i < count; i++)
        {
            var value = size == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]) : BinaryPrimitives.ReadUInt64LittleEndian(data[(i * 8)..]);
            text.Append(i > 0 ? ", " : "").Append(NetlinkNames.StatsFields[i]).Append('=').Append(value);
        }
        text.Append('}');
    }

    private bool AddressAttribute(StringBuilder text, int type, ReadOnlySpan<byte> data, byte family)
    {
        // strace 6.1 names the types up to IFA_PROTO (11); IFA_UNSPEC and IFA_PROTO have no decoder: their bytes.
        var name = NetlinkNames.AddressAttribute.NameOf((ulong)type) ?? $"{CallFormatter.Hex((ulong)type)} /* IFA_??? */";
        text.Append(name).Append('}');
        if (data.IsEmpty) return true;
        text.Append(", ");
        switch (type)
        {
            case 1 or 2 or 4 or 5 or 7: // IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST, IFA_ANYCAST, IFA_MULTICAST
                if (!InetAddress(text, data, family)) return false;
                break;
            case 3: // IFA_LABEL
                if (!String(text, data)) return false;
                break;
            case 6: // IFA_CACHEINFO
                if (data.Length < 16) { HexString(text, data); break; }
                text.Append("{ifa_prefered=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data))
                    .Append(", ifa_valid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[4..]))
                    .Append(", cstamp=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[8..]))
                    .Append(", tstamp=").Append(BinaryPrimitives.ReadUInt32LittleEndian(data[12..])).Append('}');
                break;
            case 8: // IFA_FLAGS
                if (data.Length < 4) HexString(text, data);
                else if (NetlinkNames.KnownBits(NetlinkNames.AddressFlags, BinaryPrimitives.ReadUInt32LittleEndian(data)) is { } addressFlags) text.Append(addressFlags);
                else return false;
                break;
            case 9 when data.Length >= 4: // IFA_RT_PRIORITY
                text.Append(BinaryPrimitives.ReadUInt32LittleEndian(data));
                break;
            case 10 when data.Length >= 4: // IFA_TARGET_NETNSID
                text.Append(BinaryPrimitives.ReadInt32LittleEndian(data));
                break;
            default: // IFA_UNSPEC, IFA_PROTO, and the types strace 6.1 does not know
                HexString(text, data);
                break;
        }
        return Close(text);
    }

    private static bool Close(StringBuilder text)
    {
        text.Append(']');
        return true;
    }

    /// <summary>A NUL-terminated string attribute, cut at -s (<c>"eth"...</c>); one without its NUL is left undecoded.</summary>
    private bool String(StringBuilder text, ReadOnlySpan<byte> data)
    {
        var nul = data.IndexOf((byte)0);
        if (nul < 0) return false;
        // strace's print of a counted, NUL-terminated string says "..." unless the NUL is within the first -s bytes: "lo"... under -s 2.
        if (nul >= stringLimit)
        {
            StringQuoter.Append(text, data[..stringLimit], hex, stopAtNul: false, truncated: true);
            return true;
        }
        // Under -x/-xx strace's NUL-terminated print sees the NUL as a byte to escape: every byte through it in hex, then "...".
        if (hex != HexMode.None) StringQuoter.Append(text, data[..(nul + 1)], hex, stopAtNul: false, truncated: true, forceHex: true);
        else StringQuoter.Append(text, data[..nul], hex, stopAtNul: false, truncated: false);
        return true;
    }

    /// <summary>strace's printstr_ex(QUOTE_FORCE_HEX): every byte as \xNN, cut at -s.</summary>
    private void HexString(StringBuilder text, ReadOnlySpan<byte> b) =>
        StringQuoter.Append(text, b[..Math.Min(b.Length, stringLimit)], HexMode.None, stopAtNul: false, b.Length > stringLimit, forceHex: true);

    /// <summary>strace's PRINT_FIELD_IFINDEX: <c>if_nametoindex("lo")</c> for an interface of ours (the tracer's namespace), else the number.</summary>
    private string InterfaceIndex(int index) =>
        NetlinkNames.InterfaceName(index) is { } name ? $"if_nametoindex({StringQuoter.Quote(System.Text.Encoding.UTF8.GetBytes(name), hex)})" : index.ToString();

    /// <summary>A control type by name, an unknown one as <c>0 /* NLMSG_??? */</c>; a NETLINK_ROUTE type not in the table here: null.</summary>
    private static string? TypeName(ushort type) =>
        type < NlmsgMinType ? XlatText.Named(XlatStyle.Abbrev, NetlinkNames.ControlType, type, "NLMSG_???") : NetlinkNames.RouteType.NameOf(type);

    /// <summary>The flags: the common ones, then those of the message's kind (get, new, delete, ack), the rest in hex.</summary>
    private static string? FlagNames(ushort type, ushort flags)
    {
        FlagSet? kind = type switch
        {
            NlmsgError => NetlinkNames.AckFlags,
            < NlmsgMinType => null,
            // RTM_DELACTION uses NLM_F_ROOT's flags.
            49 => NetlinkNames.GetFlags,
            _ => (type & 3) switch { 0 => NetlinkNames.NewFlags, 1 => NetlinkNames.DeleteFlags, 2 => NetlinkNames.GetFlags, _ => null },
        };
        var set = kind is null ? NetlinkNames.CommonFlags : new FlagSet("0", [.. NetlinkNames.CommonFlags.Entries, .. kind.Entries]);
        return NetlinkNames.KnownBits(set, flags);
    }
}
