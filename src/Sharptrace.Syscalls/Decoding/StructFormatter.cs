using System.Buffers.Binary;
using System.Net;
using System.Text;
using Sharptrace.Syscalls.Formatting;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>The structures strace prints in braces, from the bytes the kernel copied (x86_64 layouts).</summary>
internal static class StructFormatter
{
    private static ulong U64(ReadOnlySpan<byte> b, int at) => at + 8 <= b.Length ? BinaryPrimitives.ReadUInt64LittleEndian(b[at..]) : 0;
    private static uint U32(ReadOnlySpan<byte> b, int at) => at + 4 <= b.Length ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : 0;

    /// <summary>st_mode as strace prints it: S_IFREG|0644 (-X raw: 0100644).</summary>
    public static string Mode(uint mode, XlatStyle xlat = XlatStyle.Abbrev) => XlatText.Format(xlat, "0" + Convert.ToString(mode, 8), Mode(mode));

    private static string Mode(uint mode)
    {
        // strace: the type, the set-id and sticky bits by name, then the permissions as %#03o.
        var type = Flags.FileType.NameOf(mode & 0xf000);
        if (type is null) return "0" + Convert.ToString(mode, 8);
        var perms = mode & 0x1ff;
        var octal = ("0" + Convert.ToString(perms, 8)).PadLeft(3, '0');
        var special = ((mode & 0x800) != 0 ? "S_ISUID|" : "") + ((mode & 0x400) != 0 ? "S_ISGID|" : "") + ((mode & 0x200) != 0 ? "S_ISVTX|" : "");
        return $"{type}|{special}{octal}";
    }

    /// <summary>makedev(0x1, 0x3) from a kernel dev_t (new encoding).</summary>
    public static string Makedev(ulong dev, XlatStyle xlat = XlatStyle.Abbrev)
    {
        var major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL);
        var minor = (dev & 0xff) | ((dev >> 12) & ~0xffUL);
        return XlatText.Format(xlat, CallFormatter.Hex(dev), $"makedev({CallFormatter.Hex(major)}, {CallFormatter.Hex(minor)})");
    }

    /// <summary>struct stat (x86_64): the type and size, or with -v every field as strace -v prints them.</summary>
    public static string Stat(ReadOnlySpan<byte> b, bool verbose = false, XlatStyle xlat = XlatStyle.Abbrev)
    {
        var mode = U32(b, 24);
        var type = mode & 0xf000;
        var tail = type is 0x2000 or 0x6000 ? $"st_rdev={Makedev(U64(b, 40), xlat)}" : $"st_size={(long)U64(b, 48)}";
        if (!verbose) return $"{{st_mode={Mode(mode, xlat)}, {tail}, ...}}";
        var text = new StringBuilder("{st_dev=").Append(Makedev(U64(b, 0), xlat)).Append(", st_ino=").Append(U64(b, 8))
            .Append(", st_mode=").Append(Mode(mode, xlat)).Append(", st_nlink=").Append(U64(b, 16))
            .Append(", st_uid=").Append(U32(b, 28)).Append(", st_gid=").Append(U32(b, 32))
            .Append(", st_blksize=").Append((long)U64(b, 56)).Append(", st_blocks=").Append((long)U64(b, 64)).Append(", ").Append(tail);
        foreach (var (name, at) in (ReadOnlySpan<(string, int)>)[("atime", 72), ("mtime", 88), ("ctime", 104)])
        {
            var seconds = (long)U64(b, at);
            var nanos = (long)U64(b, at + 8);
            text.Append(", st_").Append(name).Append('=').Append(seconds);
            if (xlat != XlatStyle.Raw) text.Append(" /* ").Append(IsoTime(seconds, nanos)).Append(" */");
            text.Append(", st_").Append(name).Append("_nsec=").Append(nanos);
        }
        return text.Append('}').ToString();
    }

    /// <summary>strace's comment after a time in seconds: 2026-11-26T08:14:16.592043438+0000, in local time.</summary>
    internal static string IsoTime(long seconds, long nanos)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).ToLocalTime();
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        var fraction = nanos != 0 ? $".{nanos:D9}" : "";
        return $"{time:yyyy-MM-ddTHH:mm:ss}{fraction}{sign}{offset.Hours:D2}{offset.Minutes:D2}";
    }

    /// <summary>struct statx: the mask, attributes, mode and size, or with -v every field as strace -v prints them.</summary>
    public static string Statx(ReadOnlySpan<byte> b, bool verbose = false, XlatStyle xlat = XlatStyle.Abbrev)
    {
        var mask = U32(b, 0);
        var attributes = U64(b, 8);
        var mode = (uint)BinaryPrimitives.ReadUInt16LittleEndian(b[28..]);
        var maskText = XlatText.Format(xlat, CallFormatter.Hex(mask), Flags.StatxMask.Bits(mask));
        if (!verbose)
        {
            var attrText = attributes == 0 ? "0" : $"0x{attributes:x}";
            return $"{{stx_mask={maskText}, stx_attributes={attrText}, stx_mode={Mode(mode, xlat)}, stx_size={U64(b, 40)}, ...}}";
        }
        var text = new StringBuilder("{stx_mask=").Append(maskText).Append(", stx_blksize=").Append(U32(b, 4))
            .Append(", stx_attributes=").Append(XlatText.Format(xlat, CallFormatter.Hex(attributes), Flags.StatxAttributes.Bits(attributes)))
            .Append(", stx_nlink=").Append(U32(b, 16)).Append(", stx_uid=").Append(U32(b, 20)).Append(", stx_gid=").Append(U32(b, 24))
            .Append(", stx_mode=").Append(Mode(mode, xlat)).Append(", stx_ino=").Append(U64(b, 32)).Append(", stx_size=").Append(U64(b, 40))
            .Append(", stx_blocks=").Append(U64(b, 48))
            .Append(", stx_attributes_mask=").Append(XlatText.Format(xlat, CallFormatter.Hex(U64(b, 56)), Flags.StatxAttributes.Bits(U64(b, 56))));
        // strace's order: atime, btime (when the kernel filled it), ctime, mtime.
        foreach (var (name, at) in (ReadOnlySpan<(string, int)>)[("atime", 64), ("btime", 80), ("ctime", 96), ("mtime", 112)])
        {
            if (name == "btime" && (mask & 0x800) == 0) continue;
            var seconds = (long)U64(b, at);
            var nanos = U32(b, at + 8);
            text.Append(", stx_").Append(name).Append("={tv_sec=").Append(seconds).Append(", tv_nsec=").Append(nanos).Append('}');
            if (xlat != XlatStyle.Raw) text.Append(" /* ").Append(IsoTime(seconds, nanos)).Append(" */");
        }
        text.Append(", stx_rdev_major=").Append(U32(b, 128)).Append(", stx_rdev_minor=").Append(U32(b, 132))
            .Append(", stx_dev_major=").Append(U32(b, 136)).Append(", stx_dev_minor=").Append(U32(b, 140));
        if ((mask & 0x1000) != 0) text.Append(", stx_mnt_id=").Append(CallFormatter.Hex(U64(b, 144)));
        return text.Append('}').ToString();
    }

    public static string Timespec(ReadOnlySpan<byte> b) => $"{{tv_sec={(long)U64(b, 0)}, tv_nsec={(long)U64(b, 8)}}}";

    public static string Timeval(ReadOnlySpan<byte> b) => $"{{tv_sec={(long)U64(b, 0)}, tv_usec={(long)U64(b, 8)}}}";

    /// <summary>struct itimerspec (timerfd_settime): two timespecs.</summary>
    public static string Itimerspec(ReadOnlySpan<byte> b) => $"{{it_interval={Timespec(b)}, it_value={Timespec(b[16..])}}}";

    /// <summary>struct itimerval (setitimer): two timevals.</summary>
    public static string Itimerval(ReadOnlySpan<byte> b) => $"{{it_interval={Timeval(b)}, it_value={Timeval(b[16..])}}}";

    public static string Tms(ReadOnlySpan<byte> b, XlatStyle xlat = XlatStyle.Abbrev) =>
        $"{{tms_utime={ClockTicks(U64(b, 0), xlat)}, tms_stime={ClockTicks(U64(b, 8), xlat)}, tms_cutime={ClockTicks(U64(b, 16), xlat)}, tms_cstime={ClockTicks(U64(b, 24), xlat)}}}";

    /// <summary>Linux's USER_HZ, the clock_t unit of times() and siginfo, 100 on every architecture we trace.</summary>
    private const ulong ClockTicksPerSecond = 100;

    /// <summary>A clock_t as strace prints it: the ticks, and when nonzero the seconds in a comment, <c>4 /* 0.04 s */</c> (none under -X raw).</summary>
    public static string ClockTicks(ulong ticks, XlatStyle xlat = XlatStyle.Abbrev) =>
        ticks == 0 || xlat == XlatStyle.Raw ? ticks.ToString()
            : $"{ticks} /* {ticks / ClockTicksPerSecond}.{ticks % ClockTicksPerSecond:D2} s */";

    /// <summary>struct rusage without -v: the user and system times, then "...".</summary>
    public static string Rusage(ReadOnlySpan<byte> b) => $"{{ru_utime={Timeval(b)}, ru_stime={Timeval(b[16..])}, ...}}";

    /// <summary>capget/capset's __user_cap_header_struct.</summary>
    public static string CapHeader(ReadOnlySpan<byte> b, XlatStyle xlat) =>
        $"{{version={XlatText.Format(xlat, CallFormatter.Hex(U32(b, 0)), MoreFlags.CapVersion.Value(U32(b, 0), v => CallFormatter.Hex(v)))}, pid={(int)U32(b, 4)}}}";

    /// <summary>Capability data (version 2 and 3: the low 32 capabilities, then the high).</summary>
    public static string CapData(ReadOnlySpan<byte> b, XlatStyle xlat)
        => $"{{effective={CapSet(b, 0, xlat)}, permitted={CapSet(b, 4, xlat)}, inheritable={CapSet(b, 8, xlat)}}}";

    private static string CapSet(ReadOnlySpan<byte> b, int at, XlatStyle xlat)
    {
        // Without -X abbrev strace shows the two 32-bit halves the kernel keeps, each with its names: 0xfeffffff /* … */|0x1ff /* … */.
        var low = (ulong)U32(b, at);
        var high = (ulong)U32(b, at + 12) << 32;
        if (xlat == XlatStyle.Abbrev) return MoreFlags.Capabilities.Bits(low | high);
        var text = XlatText.Format(xlat, CallFormatter.Hex(low), MoreFlags.Capabilities.Bits(low));
        return high == 0 ? text : $"{text}|{XlatText.Format(xlat, CallFormatter.Hex(high >> 32), MoreFlags.Capabilities.Bits(high))}";
    }

    /// <summary>mincore's vector: a number a page, the first <paramref name="limit"/> then "...".</summary>
    public static string PageVector(ReadOnlySpan<byte> b, ulong pages, int limit)
    {
        var text = new StringBuilder("[");
        for (var i = 0; (ulong)i < pages; i++)
        {
            if (i > 0) text.Append(", ");
            if (i >= limit || i >= b.Length) { text.Append("..."); break; }
            text.Append(b[i]);
        }
        return text.Append(']').ToString();
    }

    /// <summary>An array of gids: <c>[0, 4]</c>, cut after <paramref name="limit"/> entries with "..." as strace cuts arrays at -s.</summary>
    public static string Gids(ReadOnlySpan<byte> b, int count, int limit)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < count && i * 4 + 4 <= b.Length; i++)
        {
            if (i > 0) text.Append(", ");
            if (i >= limit) { text.Append("..."); break; }
            text.Append(U32(b, i * 4));
        }
        return text.Append(']').ToString();
    }

    public static string Rlimit(ReadOnlySpan<byte> b, XlatStyle xlat = XlatStyle.Abbrev) =>
        $"{{rlim_cur={RlimitValue(U64(b, 0), xlat)}, rlim_max={RlimitValue(U64(b, 8), xlat)}}}";

    private static string RlimitValue(ulong v, XlatStyle xlat) =>
        XlatText.Format(xlat, v.ToString(), v == ulong.MaxValue ? "RLIM64_INFINITY" : v > 0 && v % 1024 == 0 ? $"{v / 1024}*1024" : v.ToString());

    /// <summary>A signal set: [INT TERM], or ~[...] of the missing ones when more than half are set.</summary>
    public static string Sigset(ulong set, int bytes = 8, XlatStyle xlat = XlatStyle.Abbrev)
    {
        var bits = Math.Min(bytes * 8, 64);
        var count = System.Numerics.BitOperations.PopCount(bits == 64 ? set : set & ((1UL << bits) - 1));
        var invert = count * 2 > bits;
        var text = new StringBuilder(invert ? "~[" : "[");
        var first = true;
        for (var i = 0; i < bits; i++)
        {
            var isSet = (set & (1UL << i)) != 0;
            if (isSet == invert) continue;
            if (!first) text.Append(' ');
            first = false;
            var name = Flags.Signal(i + 1);
            text.Append(XlatText.Format(xlat, (i + 1).ToString(), name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name));
        }
        return text.Append(']').ToString();
    }

    public static string Sigaction(ReadOnlySpan<byte> b, XlatStyle xlat = XlatStyle.Abbrev)
    {
        var handler = U64(b, 0);
        var flags = U64(b, 8);
        var handlerText = handler switch { 0 => XlatText.Format(xlat, "0", "SIG_DFL"), 1 => XlatText.Format(xlat, "0x1", "SIG_IGN"), _ => $"0x{handler:x}" };
        var text = $"{{sa_handler={handlerText}, sa_mask={Sigset(U64(b, 24), xlat: xlat)}, sa_flags={XlatText.Format(xlat, CallFormatter.Hex(flags), Flags.SaFlags.Bits(flags))}";
        if ((flags & Flags.SaRestorer) != 0) text += $", sa_restorer=0x{U64(b, 16):x}";
        return text + "}";
    }

    /// <summary>A cpu mask: the numbers of the cpus in it, <c>[0 1]</c>.</summary>
    public static string CpuSet(ReadOnlySpan<byte> b)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < b.Length * 8; i++)
        {
            if ((b[i / 8] & (1 << (i % 8))) == 0) continue;
            if (text.Length > 1) text.Append(' ');
            text.Append(i);
        }
        return text.Append(']').ToString();
    }

    /// <summary>struct sysinfo (x86_64/arm64 layout).</summary>
    public static string Sysinfo(ReadOnlySpan<byte> b) =>
        $"{{uptime={(long)U64(b, 0)}, loads=[{U64(b, 8)}, {U64(b, 16)}, {U64(b, 24)}], totalram={U64(b, 32)}, freeram={U64(b, 40)}, "
        + $"sharedram={U64(b, 48)}, bufferram={U64(b, 56)}, totalswap={U64(b, 64)}, freeswap={U64(b, 72)}, "
        + $"procs={BinaryPrimitives.ReadUInt16LittleEndian(b[80..])}, totalhigh={U64(b, 88)}, freehigh={U64(b, 96)}, mem_unit={U32(b, 104)}}}";

    private static readonly string[] DirentTypes =
        ["DT_UNKNOWN", "DT_FIFO", "DT_CHR", "3", "DT_DIR", "5", "DT_BLK", "7", "DT_REG", "9", "DT_LNK", "11", "DT_SOCK", "13", "DT_WHT"];

    /// <summary>-v: every linux_dirent64 record, <c>[{d_ino=…, d_off=…, d_reclen=24, d_type=DT_DIR, d_name="."}, …]</c>; null if malformed.</summary>
    public static string? Dirents(ReadOnlySpan<byte> b)
    {
        var text = new StringBuilder("[");
        for (var at = 0; at < b.Length;)
        {
            if (at + 19 > b.Length) return null;
            var length = BinaryPrimitives.ReadUInt16LittleEndian(b[(at + 16)..]);
            if (length < 19 || at + length > b.Length) return null;
            if (at > 0) text.Append(", ");
            var type = b[at + 18];
            text.Append("{d_ino=").Append(U64(b, at)).Append(", d_off=").Append(U64(b, at + 8)).Append(", d_reclen=").Append(length)
                .Append(", d_type=").Append(type < DirentTypes.Length ? DirentTypes[type] : type.ToString()).Append(", d_name=")
                .Append(StringQuoter.Quote(b.Slice(at + 19, length - 19), stopAtNul: true)).Append('}');
            at += length;
        }
        return text.Append(']').ToString();
    }

    /// <summary>How many linux_dirent64 records <paramref name="b"/> holds (each says its length at offset 16); null if malformed.</summary>
    public static int? DirentCount(ReadOnlySpan<byte> b)
    {
        var count = 0;
        for (var at = 0; at < b.Length; count++)
        {
            if (at + 18 > b.Length) return null;
            var length = BinaryPrimitives.ReadUInt16LittleEndian(b[(at + 16)..]);
            if (length < 19) return null;
            at += length;
        }
        return count;
    }

    /// <summary>An array as strace's print_array shows it: <c>[a, b]</c>, the first <paramref name="limit"/> then <c>...</c>.</summary>
    public static string Items(IEnumerable<string> items, int limit)
    {
        var text = new StringBuilder("[");
        var i = 0;
        foreach (var item in items)
        {
            if (i > 0) text.Append(", ");
            if (i++ >= limit) { text.Append("..."); break; }
            text.Append(item);
        }
        return text.Append(']').ToString();
    }

    public static string WaitStatus(ReadOnlySpan<byte> b)
    {
        var s = U32(b, 0);
        if ((s & 0x7f) == 0) return $"[{{WIFEXITED(s) && WEXITSTATUS(s) == {(s >> 8) & 0xff}}}]";
        if ((s & 0xff) == 0x7f) return $"[{{WIFSTOPPED(s) && WSTOPSIG(s) == {Flags.Signal((s >> 8) & 0xff)}}}]";
        if (s == 0xffff) return "[{WIFCONTINUED(s)}]";
        var core = (s & 0x80) != 0 ? " && WCOREDUMP(s)" : "";
        return $"[{{WIFSIGNALED(s) && WTERMSIG(s) == {Flags.Signal(s & 0x7f)}{core}}}]";
    }

    public static string Utsname(ReadOnlySpan<byte> b)
    {
        var sysname = StringQuoter.Quote(b[..Math.Min(65, b.Length)], stopAtNul: true);
        var nodename = b.Length > 65 ? StringQuoter.Quote(b.Slice(65, Math.Min(65, b.Length - 65)), stopAtNul: true) : "\"\"";
        return $"{{sysname={sysname}, nodename={nodename}, ...}}";
    }

    /// <summary>A network-order field: its conversion call, or under -X raw/verbose its bytes (and the call in a comment).</summary>
    internal static string Net(XlatStyle xlat, ReadOnlySpan<byte> bytes, string symbolic)
    {
        if (xlat == XlatStyle.Abbrev) return symbolic;
        var raw = new StringBuilder(2 + 4 * bytes.Length).Append('"');
        foreach (var x in bytes) raw.Append("\\x").Append(x.ToString("x2"));
        return XlatText.Format(xlat, raw.Append('"').ToString(), symbolic);
    }

    /// <summary>An IPv4 address field as strace's print_inet_addr: <c>inet_addr("127.0.0.1")</c> (-X raw: its bytes).</summary>
    public static string InetAddr(ReadOnlySpan<byte> b, XlatStyle xlat) => Net(xlat, b[..4], $"inet_addr(\"{new IPAddress(b[..4])}\")");

    /// <summary>
    /// struct sockaddr_ll's fields after the family, as strace prints them: <c>sll_protocol=htons(ETH_P_ALL), sll_ifindex=if_nametoindex("lo"),
    /// sll_hatype=ARPHRD_NETROM, sll_pkttype=PACKET_HOST, sll_halen=0</c>, the address bytes as <c>[00, 0x1a, …]</c> (<c>...</c> past the length
    /// given); null (printed as bytes) for a protocol or hardware type not named here.
    /// </summary>
    private static string? PacketAddress(ReadOnlySpan<byte> b)
    {
        if (Flags.EthernetProtocol.NameOf(BinaryPrimitives.ReadUInt16BigEndian(b[2..])) is not { } protocol
            || NetlinkNames.HardwareType.NameOf(BinaryPrimitives.ReadUInt16LittleEndian(b[8..])) is not { } hardware
            || Flags.PacketType.NameOf(b[10]) is not { } packetType) return null;
        var index = BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
        var name = NetlinkNames.InterfaceName(index);
        var text = new StringBuilder($"sll_protocol=htons({protocol}), sll_ifindex={(name is null ? index.ToString() : $"if_nametoindex(\"{name}\")")}, "
            + $"sll_hatype={hardware}, sll_pkttype={packetType}, sll_halen={b[11]}");
        if (b[11] == 0) return text.ToString();
        text.Append(", sll_addr=[");
        for (var i = 0; i < b[11]; i++)
        {
            if (i > 0) text.Append(", ");
            if (12 + i >= b.Length) { text.Append("..."); break; }
            text.Append(b[12 + i] == 0 ? "00" : "0x" + b[12 + i].ToString("x"));
        }
        return text.Append(']').ToString();
    }

    private static string Hex0x(ulong value) => value == 0 ? "0" : "0x" + value.ToString("x");

    public static string Sockaddr(ReadOnlySpan<byte> b, int length, XlatStyle xlat = XlatStyle.Abbrev)
    {
        if (length < 2 || b.Length < 2) return "{sa_family=AF_UNSPEC}";
        b = b[..Math.Min(length, b.Length)];
        var family = BinaryPrimitives.ReadUInt16LittleEndian(b);
        var familyName = Flags.AddressFamily.Value(family);
        // -X verbose/raw print the family as a number too, like every other constant.
        var fam = XlatText.Format(xlat, $"0x{family:x}", familyName);
        switch (family)
        {
            case 2 when b.Length >= 8:
                var port = BinaryPrimitives.ReadUInt16BigEndian(b[2..]);
                return $"{{sa_family={fam}, sin_port={Net(xlat, b.Slice(2, 2), $"htons({port})")}, "
                    + $"sin_addr={InetAddr(b[4..], xlat)}}}";
            case 10 when b.Length >= 24:
                var port6 = BinaryPrimitives.ReadUInt16BigEndian(b[2..]);
                var flow = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
                var scope = b.Length >= 28 ? BinaryPrimitives.ReadUInt32LittleEndian(b[24..]) : 0;
                var address = $"inet_pton(AF_INET6, \"{new IPAddress(b.Slice(8, 16))}\"";
                // The default style names the field inside the call: inet_pton(AF_INET6, "::1", &sin6_addr).
                var sin6Addr = xlat == XlatStyle.Abbrev ? $"{address}, &sin6_addr)" : $"sin6_addr={Net(xlat, b.Slice(8, 16), address + ")")}";
                return $"{{sa_family={fam}, sin6_port={Net(xlat, b.Slice(2, 2), $"htons({port6})")}, "
                    + $"sin6_flowinfo={Net(xlat, b.Slice(4, 4), $"htonl({flow})")}, {sin6Addr}, sin6_scope_id={scope}}}";
            case 1:
                var path = b[2..];
                if (path.Length == 0) return $"{{sa_family={fam}}}";
                if (path[0] == 0) return $"{{sa_family={fam}, sun_path=@{StringQuoter.Quote(path[1..], stopAtNul: false)}}}";
                return $"{{sa_family={fam}, sun_path={StringQuoter.Quote(path, stopAtNul: true)}}}";
            case 16 when b.Length >= 12:
                // struct sockaddr_nl: nl_pad shown only when set; nl_groups as C's %#08x.
                var pad = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
                var groups = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
                return $"{{sa_family={fam}, {(pad != 0 ? $"nl_pad={Hex0x(pad)}, " : "")}nl_pid={BinaryPrimitives.ReadInt32LittleEndian(b[4..])}, "
                    + $"nl_groups={(groups == 0 ? "00000000" : "0x" + groups.ToString("x6"))}}}";
            case 17 when b.Length >= 20 && xlat == XlatStyle.Abbrev && PacketAddress(b) is { } packet:
                return $"{{sa_family={fam}, {packet}}}";
            default:
                return $"{{sa_family={fam}, sa_data={StringQuoter.Quote(b[2..])}}}";
        }
    }
}
