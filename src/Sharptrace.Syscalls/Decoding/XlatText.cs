namespace Sharptrace.Syscalls.Decoding;

/// <summary>-X: a constant as its names, its number, or both (<c>0x2 /* O_RDWR */</c>).</summary>
internal static class XlatText
{
    /// <summary><paramref name="symbolic"/> in the default style, else the number or both.</summary>
    public static string Format(XlatStyle style, string raw, string symbolic)
    {
        if (style == XlatStyle.Abbrev || raw == symbolic) return symbolic;
        return style == XlatStyle.Raw ? raw : $"{raw} /* {symbolic} */";
    }

    /// <summary>A value of <paramref name="set"/> as strace's printxval: its name, or its number with <paramref name="unknown"/> in a comment (<c>0x2a /* SCM_??? */</c>).</summary>
    public static string Named(XlatStyle style, FlagSet set, ulong value, string unknown)
    {
        var raw = CallFormatter.Hex(value);
        return set.NameOf(value) is { } name ? Format(style, raw, name) : style == XlatStyle.Raw ? raw : $"{raw} /* {unknown} */";
    }
}
