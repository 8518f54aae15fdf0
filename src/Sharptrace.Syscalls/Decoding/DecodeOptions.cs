using Sharptrace.Syscalls.Formatting;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>-X: how named constants print.</summary>
public enum XlatStyle
{
    /// <summary>Names (strace's default): <c>O_RDWR|O_CLOEXEC</c>.</summary>
    Abbrev,
    /// <summary><c>-X raw</c>: the number only, <c>0x80002</c>.</summary>
    Raw,
    /// <summary><c>-X verbose</c>: both, <c>0x80002 /* O_RDWR|O_CLOEXEC */</c>.</summary>
    Verbose,
}

/// <summary>The options that change how arguments print: -s, -x/-xx, -v, -X, -y.</summary>
/// <param name="StringLimit">-s: bytes of strings and buffers printed before <c>...</c>.</param>
/// <param name="Hex">-x / -xx.</param>
/// <param name="Verbose">-v: unabbreviated structures and environments.</param>
/// <param name="Xlat">-X: names, numbers or both for constants.</param>
/// <param name="FdPaths">-y: descriptors followed by what they refer to, <c>3&lt;/etc/passwd&gt;</c>.</param>
public sealed record DecodeOptions(int StringLimit = 32, HexMode Hex = HexMode.None, bool Verbose = false, XlatStyle Xlat = XlatStyle.Abbrev, bool FdPaths = false);
