namespace Sharptrace.Tests.Asm;

/// <summary>Bytes as lower-case hex pairs separated by spaces, the way objdump and the kernel docs show instructions.</summary>
internal static class Hex
{
    public static string Format(ReadOnlySpan<byte> bytes) =>
        string.Join(' ', bytes.ToArray().Select(b => b.ToString("x2")));

    public static byte[] Parse(string text) =>
        Convert.FromHexString(text.Replace(" ", ""));
}
