using System.Net;
using System.Net.Sockets;

namespace Sharptrace.Script.Semantics;

/// <summary>pton()'s parsing: inet_pton(3)'s strict forms only (four decimal parts without leading zeros for IPv4; not "1.2.3" as inet_aton allows).</summary>
internal static class AddressBytes
{
    /// <summary>The 4 or 16 bytes in network order, or null when <paramref name="text"/> is no address.</summary>
    public static byte[]? Parse(string text)
    {
        if (text.Contains(':'))
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 && !text.Contains('%') ? v6.GetAddressBytes() : null;
        var parts = text.Split('.');
        if (parts.Length != 4) return null;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 || (parts[i].Length > 1 && parts[i][0] == '0') || !parts[i].All(char.IsAsciiDigit) || !byte.TryParse(parts[i], out bytes[i])) return null;
        }
        return bytes;
    }
}
