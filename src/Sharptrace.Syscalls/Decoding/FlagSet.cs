using System.Text;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// Named constants of one kind (open flags, PROT_*, signals…) printed the way strace prints them:
/// a value as its name, a bit set as <c>A|B|0x40</c> (unknown bits in hex at the end).
/// </summary>
internal sealed class FlagSet(string zeroName, params (ulong Value, string Name)[] entries)
{
    /// <summary>Name printed when no bit is set (strace prints <c>0</c> unless the set has a name for it).</summary>
    public string ZeroName { get; } = zeroName;

    public IReadOnlyList<(ulong Value, string Name)> Entries { get; } = entries;

    /// <summary>Bits: every entry whose bits are all set, in table order, then the rest in hex.</summary>
    public string Bits(ulong value)
    {
        if (value == 0) return ZeroName;
        var text = new StringBuilder();
        var rest = value;
        foreach (var (bit, name) in Entries)
        {
            if (bit == 0 || (rest & bit) != bit) continue;
            if (text.Length > 0) text.Append('|');
            text.Append(name);
            rest &= ~bit;
        }
        if (rest != 0)
        {
            if (text.Length > 0) text.Append('|');
            text.Append("0x").Append(rest.ToString("x"));
        }
        return text.ToString();
    }

    /// <summary>The name of <paramref name="value"/>, or null.</summary>
    public string? NameOf(ulong value)
    {
        foreach (var (v, name) in Entries) if (v == value) return name;
        return null;
    }

    /// <summary>An enumerated value: its name, else the number in decimal (or <paramref name="fallback"/>).</summary>
    public string Value(ulong value, Func<ulong, string>? fallback = null) =>
        NameOf(value) ?? (fallback is null ? ((long)value).ToString() : fallback(value));
}
