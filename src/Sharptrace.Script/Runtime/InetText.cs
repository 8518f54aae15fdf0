using System.Globalization;
using System.Text;

namespace Sharptrace.Script.Runtime;

/// <summary>ntop()'s text: an address as glibc's inet_ntop writes it, which is what bpftrace prints.</summary>
internal static class InetText
{
    public const long AfInet = 2;
    public const long AfInet6 = 10;

    /// <summary>The 4 or 16 bytes of an address of family <paramref name="family"/> (AF_INET6 = 10, else IPv4).</summary>
    public static string Format(long family, ReadOnlySpan<byte> address) =>
        family == AfInet6 && address.Length >= 16 ? V6(address[..16]) : V4(address);

    public static string V4(ReadOnlySpan<byte> a) => string.Create(CultureInfo.InvariantCulture, $"{a[0]}.{a[1]}.{a[2]}.{a[3]}");

    /// <summary>
    /// RFC 5952 as glibc does it: lowercase hex without leading zeros, the longest run of two or
    /// more zero groups (the first of equals) as "::", and a dotted IPv4 tail for ::a.b.c.d and
    /// ::ffff:a.b.c.d.
    /// </summary>
    public static string V6(ReadOnlySpan<byte> a)
    {
        Span<int> words = stackalloc int[8];
        for (var i = 0; i < 8; i++) words[i] = (a[2 * i] << 8) | a[2 * i + 1];
        int bestBase = -1, bestLength = 0;
        for (var i = 0; i < 8;)
        {
            if (words[i] != 0) { i++; continue; }
            var start = i;
            while (i < 8 && words[i] == 0) i++;
            if (i - start > bestLength) (bestBase, bestLength) = (start, i - start);
        }
        if (bestLength < 2) bestBase = -1;
        var text = new StringBuilder();
        for (var i = 0; i < 8; i++)
        {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLength)
            {
                if (i == bestBase) text.Append(':');
                continue;
            }
            if (i != 0) text.Append(':');
            if (i == 6 && bestBase == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff)))
            {
                text.Append(V4(a[12..]));
                return text.ToString();
            }
            text.Append(words[i].ToString("x", CultureInfo.InvariantCulture));
        }
        if (bestBase >= 0 && bestBase + bestLength == 8) text.Append(':');
        return text.ToString();
    }
}
