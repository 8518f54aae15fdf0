namespace Sharptrace.Syscalls.Decoding;

/// <summary>Constants of netlink messages as strace names them (its xlat tables netlink_*, nl_route_types, rtnl_*, iffflags, ifaddrflags).</summary>
internal static class NetlinkNames
{
    /// <summary>Control messages below NLMSG_MIN_TYPE.</summary>
    public static readonly FlagSet ControlType = new("0", (1, "NLMSG_NOOP"), (2, "NLMSG_ERROR"), (3, "NLMSG_DONE"), (4, "NLMSG_OVERRUN"));

    /// <summary>The NETLINK_ROUTE message types whose bodies are decoded (a type not here leaves the buffer undecoded).</summary>
    public static readonly FlagSet RouteType = new("0",
        (16, "RTM_NEWLINK"), (17, "RTM_DELLINK"), (18, "RTM_GETLINK"), (19, "RTM_SETLINK"),
        (20, "RTM_NEWADDR"), (21, "RTM_DELADDR"), (22, "RTM_GETADDR"), (24, "RTM_NEWROUTE"), (25, "RTM_DELROUTE"), (26, "RTM_GETROUTE"),
        (28, "RTM_NEWNEIGH"), (29, "RTM_DELNEIGH"), (30, "RTM_GETNEIGH"));

    /// <summary>ndm_state (strace's neighbor_cache_entry_states).</summary>
    public static readonly FlagSet NeighbourState = new("NUD_NONE",
        (0x01, "NUD_INCOMPLETE"), (0x02, "NUD_REACHABLE"), (0x04, "NUD_STALE"), (0x08, "NUD_DELAY"), (0x10, "NUD_PROBE"),
        (0x20, "NUD_FAILED"), (0x40, "NUD_NOARP"), (0x80, "NUD_PERMANENT"));

    /// <summary>ndm_flags (strace's neighbor_cache_entry_flags).</summary>
    public static readonly FlagSet NeighbourFlags = new("0",
        (0x01, "NTF_USE"), (0x02, "NTF_SELF"), (0x04, "NTF_MASTER"), (0x08, "NTF_PROXY"), (0x10, "NTF_EXT_LEARNED"),
        (0x20, "NTF_OFFLOADED"), (0x40, "NTF_STICKY"), (0x80, "NTF_ROUTER"));

    /// <summary>The NDA_* types decoded here (another leaves the buffer undecoded).</summary>
    public static readonly FlagSet NeighbourAttribute = new("0", (1, "NDA_DST"), (2, "NDA_LLADDR"), (3, "NDA_CACHEINFO"), (4, "NDA_PROBES"));

    /// <summary>rtm_table and RTA_TABLE: the reserved tables (another leaves the buffer undecoded).</summary>
    public static readonly FlagSet RouteTable = new("0",
        (0, "RT_TABLE_UNSPEC"), (252, "RT_TABLE_COMPAT"), (253, "RT_TABLE_DEFAULT"), (254, "RT_TABLE_MAIN"), (255, "RT_TABLE_LOCAL"));

    /// <summary>rtm_protocol: the kernel's own and the long-standing daemons' (another leaves the buffer undecoded).</summary>
    public static readonly FlagSet RouteProtocol = new("0",
        (0, "RTPROT_UNSPEC"), (1, "RTPROT_REDIRECT"), (2, "RTPROT_KERNEL"), (3, "RTPROT_BOOT"), (4, "RTPROT_STATIC"), (8, "RTPROT_GATED"),
        (9, "RTPROT_RA"), (10, "RTPROT_MRT"), (11, "RTPROT_ZEBRA"), (12, "RTPROT_BIRD"), (13, "RTPROT_DNROUTED"), (14, "RTPROT_XORP"),
        (15, "RTPROT_NTK"), (16, "RTPROT_DHCP"));

    /// <summary>rtm_flags (strace's routing_flags).</summary>
    public static readonly FlagSet RouteFlags = new("0",
        (0x100, "RTM_F_NOTIFY"), (0x200, "RTM_F_CLONED"), (0x400, "RTM_F_EQUALIZE"), (0x800, "RTM_F_PREFIX"), (0x1000, "RTM_F_LOOKUP_TABLE"),
        (0x2000, "RTM_F_FIB_MATCH"), (0x4000, "RTM_F_OFFLOAD"), (0x8000, "RTM_F_TRAP"), (0x20000000, "RTM_F_OFFLOAD_FAILED"));

    public static readonly FlagSet RouteKind = new("0",
        (0, "RTN_UNSPEC"), (1, "RTN_UNICAST"), (2, "RTN_LOCAL"), (3, "RTN_BROADCAST"), (4, "RTN_ANYCAST"), (5, "RTN_MULTICAST"),
        (6, "RTN_BLACKHOLE"), (7, "RTN_UNREACHABLE"), (8, "RTN_PROHIBIT"), (9, "RTN_THROW"), (10, "RTN_NAT"), (11, "RTN_XRESOLVE"));

    public static readonly FlagSet RouteAttribute = new("0",
        (0, "RTA_UNSPEC"), (1, "RTA_DST"), (2, "RTA_SRC"), (3, "RTA_IIF"), (4, "RTA_OIF"), (5, "RTA_GATEWAY"), (6, "RTA_PRIORITY"),
        (7, "RTA_PREFSRC"), (8, "RTA_METRICS"), (9, "RTA_MULTIPATH"), (10, "RTA_PROTOINFO"), (11, "RTA_FLOW"), (12, "RTA_CACHEINFO"),
        (13, "RTA_SESSION"), (14, "RTA_MP_ALGO"), (15, "RTA_TABLE"), (16, "RTA_MARK"), (17, "RTA_MFC_STATS"), (18, "RTA_VIA"),
        (19, "RTA_NEWDST"), (20, "RTA_PREF"), (21, "RTA_ENCAP_TYPE"), (22, "RTA_ENCAP"), (23, "RTA_EXPIRES"), (24, "RTA_PAD"),
        (25, "RTA_UID"), (26, "RTA_TTL_PROPAGATE"), (27, "RTA_IP_PROTO"), (28, "RTA_SPORT"), (29, "RTA_DPORT"), (30, "RTA_NH_ID"));

    public static readonly FlagSet CommonFlags = new("0",
        (0x1, "NLM_F_REQUEST"), (0x2, "NLM_F_MULTI"), (0x4, "NLM_F_ACK"), (0x8, "NLM_F_ECHO"), (0x10, "NLM_F_DUMP_INTR"), (0x20, "NLM_F_DUMP_FILTERED"));

    public static readonly FlagSet GetFlags = new("0", (0x300, "NLM_F_DUMP"), (0x100, "NLM_F_ROOT"), (0x200, "NLM_F_MATCH"), (0x400, "NLM_F_ATOMIC"));
    public static readonly FlagSet NewFlags = new("0", (0x100, "NLM_F_REPLACE"), (0x200, "NLM_F_EXCL"), (0x400, "NLM_F_CREATE"), (0x800, "NLM_F_APPEND"));
    public static readonly FlagSet DeleteFlags = new("0", (0x100, "NLM_F_NONREC"), (0x200, "NLM_F_BULK"));
    public static readonly FlagSet AckFlags = new("0", (0x100, "NLM_F_CAPPED"), (0x200, "NLM_F_ACK_TLVS"));

    /// <summary>ifi_type: the common ones (another leaves the buffer undecoded).</summary>
    public static readonly FlagSet HardwareType = new("0",
        (0, "ARPHRD_NETROM"), (1, "ARPHRD_ETHER"), (768, "ARPHRD_TUNNEL"), (769, "ARPHRD_TUNNEL6"), (772, "ARPHRD_LOOPBACK"),
        (776, "ARPHRD_SIT"), (778, "ARPHRD_IPGRE"), (65534, "ARPHRD_NONE"));

    public static readonly FlagSet InterfaceFlags = new("0",
        (1 << 0, "IFF_UP"), (1 << 1, "IFF_BROADCAST"), (1 << 2, "IFF_DEBUG"), (1 << 3, "IFF_LOOPBACK"), (1 << 4, "IFF_POINTOPOINT"),
        (1 << 5, "IFF_NOTRAILERS"), (1 << 6, "IFF_RUNNING"), (1 << 7, "IFF_NOARP"), (1 << 8, "IFF_PROMISC"), (1 << 9, "IFF_ALLMULTI"),
        (1 << 10, "IFF_MASTER"), (1 << 11, "IFF_SLAVE"), (1 << 12, "IFF_MULTICAST"), (1 << 13, "IFF_PORTSEL"), (1 << 14, "IFF_AUTOMEDIA"),
        (1 << 15, "IFF_DYNAMIC"), (1 << 16, "IFF_LOWER_UP"), (1 << 17, "IFF_DORMANT"), (1 << 18, "IFF_ECHO"));

    public static readonly FlagSet AddressFlags = new("0",
        (0x01, "IFA_F_SECONDARY"), (0x02, "IFA_F_NODAD"), (0x04, "IFA_F_OPTIMISTIC"), (0x08, "IFA_F_DADFAILED"), (0x10, "IFA_F_HOMEADDRESS"),
        (0x20, "IFA_F_DEPRECATED"), (0x40, "IFA_F_TENTATIVE"), (0x80, "IFA_F_PERMANENT"), (0x100, "IFA_F_MANAGETEMPADDR"),
        (0x200, "IFA_F_NOPREFIXROUTE"), (0x400, "IFA_F_MCAUTOJOIN"), (0x800, "IFA_F_STABLE_PRIVACY"));

    public static readonly FlagSet Scope = new("0",
        (0, "RT_SCOPE_UNIVERSE"), (200, "RT_SCOPE_SITE"), (253, "RT_SCOPE_LINK"), (254, "RT_SCOPE_HOST"), (255, "RT_SCOPE_NOWHERE"));

    public static readonly FlagSet AddressAttribute = new("0",
        (0, "IFA_UNSPEC"), (1, "IFA_ADDRESS"), (2, "IFA_LOCAL"), (3, "IFA_LABEL"), (4, "IFA_BROADCAST"), (5, "IFA_ANYCAST"),
        (6, "IFA_CACHEINFO"), (7, "IFA_MULTICAST"), (8, "IFA_FLAGS"), (9, "IFA_RT_PRIORITY"), (10, "IFA_TARGET_NETNSID"), (11, "IFA_PROTO"));

    /// <summary>IFLA_EXT_MASK's bits (rtnl_ifla_ext_filter_flags).</summary>
    public static readonly FlagSet ExtFilter = new("0",
        (1 << 0, "RTEXT_FILTER_VF"), (1 << 1, "RTEXT_FILTER_BRVLAN"), (1 << 2, "RTEXT_FILTER_BRVLAN_COMPRESSED"), (1 << 3, "RTEXT_FILTER_SKIP_STATS"),
        (1 << 4, "RTEXT_FILTER_MRP"), (1 << 5, "RTEXT_FILTER_CFM_CONFIG"), (1 << 6, "RTEXT_FILTER_CFM_STATUS"), (1 << 7, "RTEXT_FILTER_MST"));

    /// <summary>IFLA_* names as strace 6.1 has them (rtnl_link_attrs, up to IFLA_ALLMULTI).</summary>
    public static readonly FlagSet LinkAttribute = new("0",
        (0, "IFLA_UNSPEC"), (1, "IFLA_ADDRESS"), (2, "IFLA_BROADCAST"), (3, "IFLA_IFNAME"), (4, "IFLA_MTU"), (5, "IFLA_LINK"), (6,
        "IFLA_QDISC"), (7, "IFLA_STATS"), (8, "IFLA_COST"), (9, "IFLA_PRIORITY"), (10, "IFLA_MASTER"), (11, "IFLA_WIRELESS"), (12,
        "IFLA_PROTINFO"), (13, "IFLA_TXQLEN"), (14, "IFLA_MAP"), (15, "IFLA_WEIGHT"), (16, "IFLA_OPERSTATE"), (17, "IFLA_LINKMODE"), (18,
        "IFLA_LINKINFO"), (19, "IFLA_NET_NS_PID"), (20, "IFLA_IFALIAS"), (21, "IFLA_NUM_VF"), (22, "IFLA_VFINFO_LIST"), (23,
        "IFLA_STATS64"), (24, "IFLA_VF_PORTS"), (25, "IFLA_PORT_SELF"), (26, "IFLA_AF_SPEC"), (27, "IFLA_GROUP"), (28, "IFLA_NET_NS_FD"),
        (29, "IFLA_EXT_MASK"), (30, "IFLA_PROMISCUITY"), (31, "IFLA_NUM_TX_QUEUES"), (32, "IFLA_NUM_RX_QUEUES"), (33, "IFLA_CARRIER"), (34,
        "IFLA_PHYS_PORT_ID"), (35, "IFLA_CARRIER_CHANGES"), (36, "IFLA_PHYS_SWITCH_ID"), (37, "IFLA_LINK_NETNSID"), (38,
        "IFLA_PHYS_PORT_NAME"), (39, "IFLA_PROTO_DOWN"), (40, "IFLA_GSO_MAX_SEGS"), (41, "IFLA_GSO_MAX_SIZE"), (42, "IFLA_PAD"), (43,
        "IFLA_XDP"), (44, "IFLA_EVENT"), (45, "IFLA_NEW_NETNSID"), (46, "IFLA_IF_NETNSID"), (47, "IFLA_CARRIER_UP_COUNT"), (48,
        "IFLA_CARRIER_DOWN_COUNT"), (49, "IFLA_NEW_IFINDEX"), (50, "IFLA_MIN_MTU"), (51, "IFLA_MAX_MTU"), (52, "IFLA_PROP_LIST"), (53,
        "IFLA_ALT_IFNAME"), (54, "IFLA_PERM_ADDRESS"), (55, "IFLA_PROTO_DOWN_REASON"), (56, "IFLA_PARENT_DEV_NAME"), (57,
        "IFLA_PARENT_DEV_BUS_NAME"), (58, "IFLA_GRO_MAX_SIZE"), (59, "IFLA_TSO_MAX_SIZE"), (60, "IFLA_TSO_MAX_SEGS"), (61, "IFLA_ALLMULTI"));

    public const int LastLinkAttribute = 61;

    /// <summary>How an attribute's value prints.</summary>
    public enum Value { None, Bytes, U8, U32, S32, String, HardwareAddress, ExtMask, Stats, Stats64 }

    /// <summary>The value of IFLA attribute <paramref name="type"/> as strace's ifinfomsg_nla_decoders print it (None: not decoded here).</summary>
    public static Value LinkAttributeValue(int type) => type switch
    {
        1 or 2 or 54 => Value.HardwareAddress,
        3 or 6 or 20 or 38 or 53 or 56 or 57 => Value.String,
        4 or 5 or 10 or 13 or 15 or 19 or 21 or 27 or 30 or 31 or 32 or 35 or 40 or 41 or 47 or 48 or 50 or 51 or 58 or 59 or 60 or 61 => Value.U32,
        16 or 17 or 33 or 39 => Value.U8,
        37 or 45 or 46 => Value.S32,
        7 => Value.Stats,
        23 => Value.Stats64,
        29 => Value.ExtMask,
        // No decoder in strace (IFLA_COST, IFLA_PRIORITY, IFLA_WIRELESS, IFLA_PHYS_PORT_ID, IFLA_PHYS_SWITCH_ID, IFLA_PAD), or a type it does not know.
        0 or 8 or 9 or 11 or 34 or 36 or 42 or > LastLinkAttribute => Value.Bytes,
        _ => Value.None,
    };

    /// <summary>The fields of struct rtnl_link_stats and rtnl_link_stats64, in order.</summary>
    public static readonly string[] StatsFields =
    [
        "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped", "multicast", "collisions",
        "rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors", "rx_missed_errors",
        "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors", "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed",
        "rx_nohandler", "rx_otherhost_dropped",
    ];

    /// <summary>Every bit of <paramref name="value"/> by name (<c>A|B</c>, <c>0</c>), or null when a bit has none here.</summary>
    public static string? KnownBits(FlagSet set, ulong value)
    {
        var text = set.Bits(value);
        return text.Contains("0x", StringComparison.Ordinal) ? null : text;
    }

    /// <summary>The name of interface <paramref name="index"/> in our network namespace (strace's if_indextoname), or null.</summary>
    public static string? InterfaceName(int index)
    {
        if (index <= 0) return null;
        try
        {
            foreach (var dir in Directory.GetDirectories("/sys/class/net"))
                if (File.ReadAllText(Path.Combine(dir, "ifindex")).Trim() == index.ToString()) return Path.GetFileName(dir);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
