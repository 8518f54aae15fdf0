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

    /// <summary>c_oflag: the delay fields by value (NL0|CR0|TAB0|BS0|VT0|FF0), then the flags.</summary>
    public static string Output(uint value)
    {
        var parts = new List<string>
        {
            (value & 0x100) != 0 ? "NL1" : "NL0",
            "CR" + ((value >> 9) & 3),
            ((value >> 11) & 3) == 3 ? "XTABS" : "TAB" + ((value >> 11) & 3),
            (value & 0x2000) != 0 ? "BS1" : "BS0",
            (value & 0x4000) != 0 ? "VT1" : "VT0",
            (value & 0x8000) != 0 ? "FF1" : "FF0",
        };
        var rest = value & ~0xff00u;
        if (rest != 0) parts.Add(OutputBits.Bits(rest));
        return string.Join('|', parts);
    }

    /// <summary>c_cflag: the speed, the character size, then the flags.</summary>
    public static string Control(uint value)
    {
        var speed = (value & 0x1000) != 0 ? HighSpeeds[value & 0xf] : Speeds[value & 0xf];
        var parts = new List<string> { speed, "CS" + (5 + ((value >> 4) & 3)) };
        if ((value & 0x100f0000) != 0) parts.Add($"{((value >> 16) & 0x1000) switch { 0 => Speeds[(value >> 16) & 0xf], _ => HighSpeeds[(value >> 16) & 0xf] }}<<IBSHIFT");
        var rest = value & ~0x100f103fu;
        if (rest != 0) parts.Add(ControlBits.Bits(rest));
        return string.Join('|', parts);
    }
}
