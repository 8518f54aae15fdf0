using System.Globalization;

namespace Sharptrace.Tracing.DynamicEvents;

/// <summary>How a fetched value is stored: an integer, a string read at an address, or a symbol.</summary>
public enum FetchTypeKind
{
    /// <summary>u8..u64, s8..s64, x8..x64, char, bitfields.</summary>
    Integer,

    /// <summary>string: text at an address (kernel or, for uprobes, user memory).</summary>
    String,

    /// <summary>ustring: text at a user address.</summary>
    UserString,

    /// <summary>symbol: an address shown as symbol+offset.</summary>
    Symbol,

    /// <summary>symstr: the symbol+offset text of an address.</summary>
    SymbolString,
}

/// <summary>
/// The type suffix of a fetch arg (<c>:s32</c>, <c>:x64</c>, <c>:string</c>, <c>:b3@2/8</c>, <c>:u8[4]</c>);
/// without one the kernel stores <c>x64</c> (x32 on 32-bit kernels, which sharptrace does not run on).
/// </summary>
/// <param name="Name">The kernel's spelling, as written.</param>
/// <param name="Kind">Integer, string or symbol.</param>
/// <param name="Size">Bytes of the integer (or bitfield container); 0 for strings.</param>
/// <param name="Signed">Whether an integer is signed (s8..s64).</param>
/// <param name="BitWidth">Bits of a bitfield, 0 otherwise.</param>
/// <param name="BitOffset">Lowest bit of a bitfield in its container.</param>
/// <param name="ArrayLength">N of <c>TYPE[N]</c>, 0 for one value.</param>
public sealed record FetchType(string Name, FetchTypeKind Kind, int Size, bool Signed, int BitWidth = 0, int BitOffset = 0, int ArrayLength = 0)
{
    /// <summary>The type of an arg without a suffix.</summary>
    public static readonly FetchType Default = new("x64", FetchTypeKind.Integer, 8, false);

    /// <summary>Whether the value is text.</summary>
    public bool IsString => Kind is FetchTypeKind.String or FetchTypeKind.UserString or FetchTypeKind.SymbolString;

    /// <summary>Parses a type suffix; null when the kernel would not know it.</summary>
    public static FetchType? Parse(string text)
    {
        var array = 0;
        var name = text;
        var bracket = text.IndexOf('[');
        if (bracket > 0 && text.EndsWith(']'))
        {
            if (!int.TryParse(text.AsSpan(bracket + 1, text.Length - bracket - 2), NumberStyles.None, CultureInfo.InvariantCulture, out array) || array <= 0) return null;
            name = text[..bracket];
        }
        var type = name switch
        {
            "string" => new FetchType(text, FetchTypeKind.String, 0, false),
            "ustring" => new FetchType(text, FetchTypeKind.UserString, 0, false),
            "symbol" => new FetchType(text, FetchTypeKind.Symbol, 8, false),
            "symstr" => new FetchType(text, FetchTypeKind.SymbolString, 0, false),
            "char" => new FetchType(text, FetchTypeKind.Integer, 1, false),
            ['b', ..] => Bitfield(text, name),
            ['u' or 's' or 'x', ..] when int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is 8 or 16 or 32 or 64 =>
                new FetchType(text, FetchTypeKind.Integer, bits / 8, name[0] == 's'),
            _ => null,
        };
        return type is null ? null : type with { ArrayLength = array };
    }

    /// <summary><c>bWIDTH@OFFSET/CONTAINER</c>, all in bits.</summary>
    private static FetchType? Bitfield(string text, string name)
    {
        var at = name.IndexOf('@');
        var slash = name.IndexOf('/');
        if (at < 2 || slash < at) return null;
        if (!int.TryParse(name.AsSpan(1, at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(name.AsSpan(at + 1, slash - at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || !int.TryParse(name.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var container)
            || container is not (8 or 16 or 32 or 64) || width <= 0 || offset + width > container) return null;
        return new FetchType(text, FetchTypeKind.Integer, container / 8, false, width, offset);
    }
}
