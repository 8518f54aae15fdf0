using System.Buffers.Binary;
using System.Text;
using Sharptrace.Syscalls.Formatting;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// A struct msghdr's ancillary data (msg_control) as strace 6.1 prints it (msghdr.c, decode_msg_control):
/// <c>[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3]}]</c>. Each struct cmsghdr
/// ({u64 len, i32 level, i32 type}, 16 bytes on 64-bit) then its data; the next starts at the length rounded up to 8.
/// A type strace has no printer for shows no cmsg_data, as in 6.1.
/// </summary>
internal sealed class ControlMessageFormatter(DecodeOptions options, Func<int, string> fdText)
{
    /// <summary>Bytes of msg_control copied: strace reads up to net.core.optmem_max; a longer buffer ends in <c>...</c> as strace's beyond that.</summary>
    public const int Max = 4096;

    private const int HeaderSize = 16;

    private static readonly FlagSet SocketTypes = new("0",
        (1, "SCM_RIGHTS"), (2, "SCM_CREDENTIALS"), (3, "SCM_SECURITY"), (41, "SO_WIFI_STATUS"), (61, "SO_TXTIME"), (29, "SO_TIMESTAMP_OLD"),
        (35, "SO_TIMESTAMPNS_OLD"), (37, "SO_TIMESTAMPING_OLD"), (63, "SO_TIMESTAMP_NEW"), (64, "SO_TIMESTAMPNS_NEW"), (65, "SO_TIMESTAMPING_NEW"),
        (0x36, "SCM_TIMESTAMPING_OPT_STATS"), (0x3a, "SCM_TIMESTAMPING_PKTINFO"));

    private static readonly FlagSet IpTypes = new("0",
        (1, "IP_TOS"), (2, "IP_TTL"), (6, "IP_RECVOPTS"), (7, "IP_RETOPTS"), (8, "IP_PKTINFO"), (11, "IP_RECVERR"), (20, "IP_ORIGDSTADDR"),
        (23, "IP_CHECKSUM"), (3, "SCM_SECURITY"));

    private const int SolIp = 0, SolSocket = 1;

    /// <param name="capture">The copy of min(<paramref name="length"/>, <see cref="Max"/>) bytes; null or faulted: the address.</param>
    /// <param name="address">msg_control.</param>
    /// <param name="length">msg_controllen.</param>
    /// <param name="max">The bytes copied at most (<see cref="Max"/>, less for a message of sendmmsg or recvmmsg).</param>
    public string Format(Capture? capture, ulong address, ulong length, int max = Max)
    {
        var controlLength = (int)Math.Min(length, (ulong)max);
        if (controlLength < HeaderSize || capture is null || capture.Faulted || capture.Data.Length < controlLength) return CallFormatter.Pointer(address);
        var data = capture.Data.AsSpan(0, controlLength);
        var text = new StringBuilder("[");
        var left = controlLength;
        var at = 0;
        while (left >= HeaderSize)
        {
            var cmsgLength = BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
            var level = BinaryPrimitives.ReadInt32LittleEndian(data[(at + 8)..]);
            var type = BinaryPrimitives.ReadInt32LittleEndian(data[(at + 12)..]);
            if (at > 0) text.Append(", ");
            text.Append("{cmsg_len=").Append(cmsgLength).Append(", cmsg_level=")
                .Append(Named(Flags.SocketLevel, (uint)level, "SOL_???")).Append(", cmsg_type=");
            var length64 = Math.Min(cmsgLength, (ulong)left);
            var body = length64 > HeaderSize ? data.Slice(at + HeaderSize, (int)length64 - HeaderSize) : default;
            TypeAndData(text, level, type, body);
            text.Append('}');
            if (length64 < HeaderSize)
            {
                left -= HeaderSize;
                break;
            }
            var step = (cmsgLength + 7) & ~7UL;
            if (step >= (ulong)left)
            {
                left = 0;
                break;
            }
            at += (int)step;
            left -= (int)step;
        }
        if (left > 0) text.Append(", ... /* ").Append(CallFormatter.Pointer(address + (ulong)(controlLength - left))).Append(" */");
        else if ((ulong)controlLength < length) text.Append(", ...");
        return text.Append(']').ToString();
    }

    private void TypeAndData(StringBuilder text, int level, int type, ReadOnlySpan<byte> body)
    {
        string? shown;
        switch (level)
        {
            case SolSocket:
                text.Append(Named(SocketTypes, (uint)type, "SCM_???"));
                shown = type switch
                {
                    1 when body.Length >= 4 => Array(body, 4, b => fdText(BinaryPrimitives.ReadInt32LittleEndian(b))),
                    2 when body.Length >= 12 => $"{{pid={BinaryPrimitives.ReadInt32LittleEndian(body)}, uid={BinaryPrimitives.ReadUInt32LittleEndian(body[4..])}, "
                        + $"gid={BinaryPrimitives.ReadUInt32LittleEndian(body[8..])}}}",
                    3 when body.Length >= 1 => Quoted(body),
                    29 or 63 when body.Length >= 1 => body.Length >= 16 ? StructFormatter.Timeval(body) : "???",
                    35 or 64 when body.Length >= 1 => body.Length >= 16 ? StructFormatter.Timespec(body) : "???",
                    37 or 65 when body.Length >= 1 => body.Length >= 48
                        ? $"[{StructFormatter.Timespec(body)}, {StructFormatter.Timespec(body[16..])}, {StructFormatter.Timespec(body[32..])}]" : "???",
                    _ => null,
                };
                break;
            case SolIp:
                text.Append(Named(IpTypes, (uint)type, "IP_???"));
                shown = type switch
                {
                    2 or 23 when body.Length >= 4 => Array(body, 4, b => BinaryPrimitives.ReadUInt32LittleEndian(b).ToString()),
                    1 or 6 or 7 when body.Length >= 1 => Array(body, 1, b => CallFormatter.Hex(b[0])),
                    20 when body.Length >= 16 => StructFormatter.Sockaddr(body, Math.Min(body.Length, CapturePlan.SockaddrSize), options.Xlat),
                    8 when body.Length >= 12 => $"{{ipi_ifindex={InterfaceIndex(BinaryPrimitives.ReadUInt32LittleEndian(body))}, "
                        + $"ipi_spec_dst={StructFormatter.InetAddr(body[4..], options.Xlat)}, ipi_addr={StructFormatter.InetAddr(body[8..], options.Xlat)}}}",
                    11 when body.Length >= 32 => $"{{ee_errno={BinaryPrimitives.ReadUInt32LittleEndian(body)}, ee_origin={body[4]}, ee_type={body[5]}, "
                        + $"ee_code={body[6]}, ee_info={BinaryPrimitives.ReadUInt32LittleEndian(body[8..])}, ee_data={BinaryPrimitives.ReadUInt32LittleEndian(body[12..])}, "
                        + $"offender={StructFormatter.Sockaddr(body[16..], 16, options.Xlat)}}}",
                    3 when body.Length >= 1 => Quoted(body),
                    _ => null,
                };
                break;
            default:
                text.Append(CallFormatter.Hex((uint)type));
                shown = null;
                break;
        }
        if (shown is not null) text.Append(", cmsg_data=").Append(shown);
    }

    /// <summary>A network interface's index as strace's print_ifindex: <c>if_nametoindex("lo")</c> when this machine has it (-X raw: the number).</summary>
    private string InterfaceIndex(uint index)
    {
        string? name = null;
        try
        {
            foreach (var device in Directory.EnumerateDirectories("/sys/class/net"))
                if (uint.TryParse(File.ReadAllText(Path.Combine(device, "ifindex")).Trim(), out var i) && i == index) name = Path.GetFileName(device);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return name is null ? index.ToString() : XlatText.Format(options.Xlat, index.ToString(), $"if_nametoindex(\"{name}\")");
    }

    private string Named(FlagSet set, uint value, string unknown) => XlatText.Named(options.Xlat, set, value, unknown);

    /// <summary>An array of <paramref name="size"/>-byte items: the first -s, then <c>...</c> (all with -v), as strace's print_local_array.</summary>
    private string Array(ReadOnlySpan<byte> body, int size, Func<byte[], string> item)
    {
        var items = new List<string>(body.Length / size);
        for (var i = 0; (i + 1) * size <= body.Length; i++) items.Add(item(body.Slice(i * size, size).ToArray()));
        return StructFormatter.Items(items, options.Verbose ? int.MaxValue : options.StringLimit);
    }

    private string Quoted(ReadOnlySpan<byte> body)
    {
        var text = new StringBuilder(body.Length + 8);
        StringQuoter.Append(text, body, options.Hex, stopAtNul: false, truncated: false);
        return text.ToString();
    }
}
