namespace Sharptrace.Syscalls.Decoding;

/// <summary>struct termios's flag words (asm-generic values, as on x86_64 and arm64), in strace's order.</summary>
internal static class TermiosFlags
{
    public static readonly FlagSet Input = new("0",
        (0x1, "IGNBRK"), (0x2, "BRKINT"), (0x4, "IGNPAR"), (0x8, "PARMRK"), (0x10, "INPCK"), (0x20, "ISTRIP"), (0x40, "INLCR"),
        (0x80, "IGNCR"), (0x100, "ICRNL"), (0x200, "IUCLC"), (0x400, "IXON"), (0x800, "IXANY"), (0x1000, "IXOFF"),
        (0x2000, "IMAXBEL"), (0x4000, "IUTF8"));

    private static readonly FlagSet OutputBits = new("0",
        (0x1, "OPOST"), (0x2, "OLCUC"), (0x4, "ONLCR"), (0x8, "OCRNL"), (0x10, "ONOCR"), (0x20, "ONLRET"), (0x40, "OFILL"), (0x80, "OFDEL"));

    // strace lists IEXTEN after NOFLSH and TOSTOP near the end (the order of the classic headers), not by value.
    public static readonly FlagSet Local = new("0",
        (0x1, "ISIG"), (0x2, "ICANON"), (0x4, "XCASE"), (0x8, "ECHO"), (0x10, "ECHOE"), (0x20, "ECHOK"), (0x40, "ECHONL"),
        (0x80, "NOFLSH"), (0x8000, "IEXTEN"), (0x200, "ECHOCTL"), (0x400, "ECHOPRT"), (0x800, "ECHOKE"), (0x1000, "FLUSHO"),
        (0x4000, "PENDIN"), (0x100, "TOSTOP"), (0x10000, "EXTPROC"));

    private static readonly FlagSet ControlBits = new("0",
        (0x40, "CSTOPB"), (0x80, "CREAD"), (0x100, "PARENB"), (0x200, "PARODD"), (0x400, "HUPCL"), (0x800, "CLOCAL"),
        (0x40000000, "CMSPAR"), (0x80000000, "CRTSCTS"));

    private static readonly string[] Speeds =
        ["B0", "B50", "B75", "B110", "B134", "B150", "B200", "B300", "B600", "B1200", "B1800", "B2400", "B4800", "B9600", "B19200", "B38400"];

    private static readonly string[] HighSpeeds =
        ["BOTHER", "B57600", "B115200", "B230400", "B460800", "B500000", "B576000", "B921600", "B1000000", "B1152000", "B1500000",
         "B2000000", "B2500000", "B3000000", "B3500000", "B4000000"];

    /// <summary>
    /// c_oflag: the delay fields by value (NL0|CR0|TAB0|BS0|VT0|FF0), then the flags. Each is its own
    /// constant (strace's decode_oflag), so -X raw prints <c>0|0|0|0|0|0|0x5</c>.
    /// </summary>
    public static string Output(uint value, XlatStyle xlat = XlatStyle.Abbrev)
    {
        var parts = new List<string>
        {
            Field(xlat, value & 0x100, (value & 0x100) != 0 ? "NL1" : "NL0"),
            Field(xlat, value & 0x600, "CR" + ((value >> 9) & 3)),
            Field(xlat, value & 0x1800, ((value >> 11) & 3) == 3 ? "XTABS" : "TAB" + ((value >> 11) & 3)),
            Field(xlat, value & 0x2000, (value & 0x2000) != 0 ? "BS1" : "BS0"),
            Field(xlat, value & 0x4000, (value & 0x4000) != 0 ? "VT1" : "VT0"),
            Field(xlat, value & 0x8000, (value & 0x8000) != 0 ? "FF1" : "FF0"),
        };
        parts.Add(Word(xlat, value & ~0xff00u, OutputBits));
        return string.Join('|', parts);
    }

    /// <summary>
    /// c_cflag: the speed, the input speed (if set) shifted by IBSHIFT, the character size, then the
    /// flags (strace's decode_cflag), each its own constant: <c>0xf|0x30|0x80</c> under -X raw.
    /// </summary>
    public static string Control(uint value, XlatStyle xlat = XlatStyle.Abbrev)
    {
        var speed = (value & 0x1000) != 0 ? HighSpeeds[value & 0xf] : Speeds[value & 0xf];
        var parts = new List<string> { Field(xlat, value & 0x100f, speed) };
        var input = (value >> 16) & 0x100f;
        if (input != 0)
            parts.Add($"{Field(xlat, input, (input & 0x1000) == 0 ? Speeds[input & 0xf] : HighSpeeds[input & 0xf])}<<{Field(xlat, 16, "IBSHIFT")}");
        parts.Add(Field(xlat, value & 0x30, "CS" + (5 + ((value >> 4) & 3))));
        parts.Add(Word(xlat, value & ~0x100f103fu, ControlBits));
        return string.Join('|', parts);
    }

    /// <summary>
    /// A flag word as strace's printflags with no default prints it: nothing at all for 0, in every -X
    /// style (<c>c_iflag=</c>, and <c>FF0|</c> when c_oflag has no flags beyond its delays).
    /// </summary>
    public static string Word(XlatStyle xlat, ulong value, FlagSet set) => value == 0 ? "" : Field(xlat, value, set.Bits(value));

    private static string Field(XlatStyle xlat, ulong value, string name) => XlatText.Format(xlat, CallFormatter.Hex(value), name);
}
