using System.Buffers.Binary;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// ioctl's request and argument as strace prints them: the terminal requests with their structs
/// (termios, winsize) or ints (<c>[1]</c>), other known requests by name with the argument in hex,
/// unknown ones as <c>_IOC(_IOC_READ, 0x54, 0x99, 0x4)</c>.
/// </summary>
internal static class IoctlFormatter
{
    private enum ArgShape { Hex, Int, IntIn, IntOut, TermiosIn, TermiosOut, WinsizeIn, WinsizeOut, None, FlushQueue }

    private static readonly Dictionary<uint, (string Name, ArgShape Shape)> Requests = new()
    {
        [0x5401] = ("TCGETS", ArgShape.TermiosOut),
        // strace's table has the sound timer requests on the same numbers and prints both names.
        [0x5402] = ("SNDCTL_TMR_START or TCSETS", ArgShape.TermiosIn),
        [0x5403] = ("SNDCTL_TMR_STOP or TCSETSW", ArgShape.TermiosIn),
        [0x5404] = ("SNDCTL_TMR_CONTINUE or TCSETSF", ArgShape.TermiosIn),
        [0x540b] = ("TCFLSH", ArgShape.FlushQueue),
        [0x540e] = ("TIOCSCTTY", ArgShape.Hex),
        [0x540f] = ("TIOCGPGRP", ArgShape.IntOut),
        [0x5410] = ("TIOCSPGRP", ArgShape.IntIn),
        [0x5413] = ("TIOCGWINSZ", ArgShape.WinsizeOut),
        [0x5414] = ("TIOCSWINSZ", ArgShape.WinsizeIn),
        [0x541b] = ("FIONREAD", ArgShape.IntOut),
        [0x5421] = ("FIONBIO", ArgShape.IntIn),
        [0x5429] = ("TIOCGSID", ArgShape.IntOut),
        [0x5441] = ("TIOCGPTPEER", ArgShape.Hex),
        [0x5450] = ("FIONCLEX", ArgShape.None),
        [0x5451] = ("FIOCLEX", ArgShape.None),
        [0x5452] = ("FIOASYNC", ArgShape.IntIn),
        [0x802c542a] = ("TCGETS2", ArgShape.Hex),
        [0x402c542b] = ("TCSETS2", ArgShape.Hex),
        // cp's reflink attempt: the source descriptor, in decimal.
        [0x40049409] = ("BTRFS_IOC_CLONE or FICLONE", ArgShape.Int),
        [0x80045430] = ("TIOCGPTN", ArgShape.IntOut),
        [0x40045431] = ("TIOCSPTLCK", ArgShape.IntIn),
    };

    /// <summary>The request: its name, or the _IOC() encoding of an unknown one (raw hex when it has no direction or size).</summary>
    public static string Request(ulong value, XlatStyle xlat)
    {
        var code = (uint)value;
        var raw = CallFormatter.Hex(code);
        if (Requests.TryGetValue(code, out var known)) return XlatText.Format(xlat, raw, known.Name);
        var dir = code >> 30;
        var size = (code >> 16) & 0x3fff;
        if (dir == 0 && size == 0) return raw;
        var dirText = dir switch { 1 => "_IOC_WRITE", 2 => "_IOC_READ", 3 => "_IOC_READ|_IOC_WRITE", _ => "_IOC_NONE" };
        return XlatText.Format(xlat, raw, $"_IOC({dirText}, {CallFormatter.Hex((code >> 8) & 0xff)}, {CallFormatter.Hex(code & 0xff)}, {CallFormatter.Hex(size)})");
    }

    /// <summary>Whether the request takes no argument (strace prints two arguments then).</summary>
    public static bool HasNoArgument(ulong request) => Requests.TryGetValue((uint)request, out var known) && known.Shape == ArgShape.None;

    /// <summary>The argument: from the entry copy for requests the call reads, the exit copy for those it fills (null: not copied).</summary>
    public static string Argument(ulong request, ulong value, Capture? atEntry, Capture? atExit, bool succeeded, XlatStyle xlat)
    {
        if (!Requests.TryGetValue((uint)request, out var known)) return CallFormatter.Hex(value);
        var input = known.Shape is ArgShape.IntIn or ArgShape.TermiosIn or ArgShape.WinsizeIn;
        var output = known.Shape is ArgShape.IntOut or ArgShape.TermiosOut or ArgShape.WinsizeOut;
        var copy = input ? atEntry : output && succeeded ? atExit : null;
        if (known.Shape == ArgShape.FlushQueue)
            return XlatText.Format(xlat, value.ToString(), value switch { 0 => "TCIFLUSH", 1 => "TCOFLUSH", 2 => "TCIOFLUSH", _ => value.ToString() });
        if (known.Shape == ArgShape.Int) return ((int)value).ToString();
        if (!input && !output) return CallFormatter.Hex(value);
        if (value == 0) return "NULL";
        if (copy is null || copy.Faulted) return CallFormatter.Pointer(value);
        var b = copy.Data.AsSpan();
        return known.Shape switch
        {
            ArgShape.IntIn or ArgShape.IntOut when b.Length >= 4 => $"[{BinaryPrimitives.ReadInt32LittleEndian(b)}]",
            ArgShape.TermiosIn or ArgShape.TermiosOut when b.Length >= 16 => Termios(b, xlat),
            ArgShape.WinsizeIn or ArgShape.WinsizeOut when b.Length >= 8 =>
                $"{{ws_row={BinaryPrimitives.ReadUInt16LittleEndian(b)}, ws_col={BinaryPrimitives.ReadUInt16LittleEndian(b[2..])}, ws_xpixel={BinaryPrimitives.ReadUInt16LittleEndian(b[4..])}, ws_ypixel={BinaryPrimitives.ReadUInt16LittleEndian(b[6..])}}}",
            _ => CallFormatter.Pointer(value),
        };
    }

    /// <summary>struct termios, abbreviated as strace prints it without -v.</summary>
    private static string Termios(ReadOnlySpan<byte> b, XlatStyle xlat)
    {
        var iflag = BinaryPrimitives.ReadUInt32LittleEndian(b);
        var oflag = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        var cflag = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
        var lflag = BinaryPrimitives.ReadUInt32LittleEndian(b[12..]);
        return $"{{c_iflag={TermiosFlags.Word(xlat, iflag, TermiosFlags.Input)}, "
            + $"c_oflag={TermiosFlags.Output(oflag, xlat)}, "
            + $"c_cflag={TermiosFlags.Control(cflag, xlat)}, "
            + $"c_lflag={TermiosFlags.Word(xlat, lflag, TermiosFlags.Local)}, ...}}";
    }
}
