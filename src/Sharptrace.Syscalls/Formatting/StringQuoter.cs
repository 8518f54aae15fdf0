using System.Text;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>How strings and buffers are escaped: strace's default, <c>-x</c> or <c>-xx</c>.</summary>
public enum HexMode
{
    /// <summary>Printable ASCII as is, C escapes, the rest in octal.</summary>
    None,

    /// <summary><c>-x</c>: the whole string in \x escapes when it holds a non-ASCII byte.</summary>
    NonAscii,

    /// <summary><c>-xx</c>: every byte as \x escapes.</summary>
    All,
}

/// <summary>strace's string quoting (util.c string_quote), byte for byte.</summary>
internal static class StringQuoter
{
    /// <summary>
    /// Appends <paramref name="bytes"/> quoted; <paramref name="stopAtNul"/> ends at the first NUL
    /// (C strings); <paramref name="truncated"/> appends strace's <c>...</c> after the closing quote.
    /// </summary>
    public static void Append(StringBuilder text, ReadOnlySpan<byte> bytes, HexMode mode, bool stopAtNul, bool truncated, bool forceHex = false)
    {
        if (stopAtNul && bytes.IndexOf((byte)0) is var nul and >= 0) bytes = bytes[..nul];
        var useHex = forceHex || mode == HexMode.All;
        if (!useHex && mode == HexMode.NonAscii)
            foreach (var c in bytes)
                if (c > 0x7e || (c < ' ' && (uint)(c - 9) >= 5)) { useHex = true; break; }
        text.Append('"');
        for (var i = 0; i < bytes.Length; i++)
        {
            var c = bytes[i];
            if (useHex) { text.Append("\\x").Append(Hex[c >> 4]).Append(Hex[c & 15]); continue; }
            switch (c)
            {
                case (byte)'"': text.Append("\\\""); break;
                case (byte)'\\': text.Append("\\\\"); break;
                case (byte)'\f': text.Append("\\f"); break;
                case (byte)'\n': text.Append("\\n"); break;
                case (byte)'\r': text.Append("\\r"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case (byte)'\v': text.Append("\\v"); break;
                default:
                    if (c >= ' ' && c <= 0x7e) text.Append((char)c);
                    else if (i + 1 < bytes.Length && bytes[i + 1] >= '0' && bytes[i + 1] <= '7')
                        text.Append('\\').Append((char)('0' + (c >> 6))).Append((char)('0' + ((c >> 3) & 7))).Append((char)('0' + (c & 7)));
                    else
                    {
                        text.Append('\\');
                        if (c >> 6 != 0) text.Append((char)('0' + (c >> 6)));
                        if (c >> 3 != 0) text.Append((char)('0' + ((c >> 3) & 7)));
                        text.Append((char)('0' + (c & 7)));
                    }
                    break;
            }
        }
        text.Append('"');
        if (truncated) text.Append("...");
    }

    /// <summary>Quotes into a new string.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes, HexMode mode = HexMode.None, bool stopAtNul = false, bool truncated = false)
    {
        var text = new StringBuilder(bytes.Length + 8);
        Append(text, bytes, mode, stopAtNul, truncated);
        return text.ToString();
    }

    private const string Hex = "0123456789abcdef";
}
