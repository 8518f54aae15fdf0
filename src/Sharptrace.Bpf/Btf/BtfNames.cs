using System.Text;

namespace Sharptrace.Bpf.Btf;

/// <summary>Compares stored UTF-8 names with .NET strings without decoding them.</summary>
internal static class BtfNames
{
    public static bool Equal(ReadOnlySpan<byte> utf8, ReadOnlySpan<char> name)
    {
        if (Ascii.Equals(utf8, name))
            return true;
        // Ascii.Equals is false for any non-ASCII input; only then is decoding worth it.
        if (Ascii.IsValid(utf8) && Ascii.IsValid(name))
            return false;
        return name.SequenceEqual(Encoding.UTF8.GetString(utf8));
    }
}
