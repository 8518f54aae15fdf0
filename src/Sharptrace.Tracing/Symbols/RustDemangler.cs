using System.Text;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// Rust symbol names, printed as perf and rustfilt's short form do (no hashes, no crate
/// disambiguators): the legacy scheme (Itanium-shaped "_ZN…17h&lt;16 hex&gt;E" with $-escapes) and the
/// basics of v0 ("_R": crate roots, nested paths, closures, inherent and trait impls, generic
/// arguments, basic and reference types, back-references). Punycode identifiers, function
/// pointer and dyn types are not covered: <see cref="TryDemangle"/> returns false for them.
/// </summary>
public sealed class RustDemangler
{
    private readonly string s;
    private int p;

    private RustDemangler(string mangled, int start)
    {
        s = mangled;
        p = start;
    }

    /// <summary>Demangles a legacy or v0 Rust name; false for anything else.</summary>
    public static bool TryDemangle(string mangled, out string demangled)
    {
        demangled = mangled;
        var llvm = mangled.IndexOf(".llvm.", StringComparison.Ordinal);
        var name = llvm > 0 ? mangled[..llvm] : mangled;
        try
        {
            if (name.StartsWith("_ZN", StringComparison.Ordinal)) return TryLegacy(name, ref demangled);
            if (name.StartsWith("_R", StringComparison.Ordinal))
            {
                var d = new RustDemangler(name, 2);
                if (char.IsAsciiDigit(d.Peek())) return false; // a future encoding version
                var text = d.Path(inValue: true);
                if (d.p < d.s.Length && d.Peek() is 'C' or 'N' or 'M' or 'X' or 'Y' or 'I' or 'B') d.Path(inValue: false); // instantiating crate
                if (d.p < d.s.Length && d.Peek() != '.') return false;
                demangled = text;
                return true;
            }
        }
        catch (FormatException) { }
        catch (IndexOutOfRangeException) { }
        catch (ArgumentOutOfRangeException) { }
        catch (OverflowException) { }
        return false;
    }

    private static bool TryLegacy(string name, ref string demangled)
    {
        var parts = new List<string>();
        var at = 3;
        while (at < name.Length && name[at] != 'E')
        {
            var length = 0;
            if (!char.IsAsciiDigit(name[at])) return false;
            while (char.IsAsciiDigit(name[at])) length = checked(length * 10 + (name[at++] - '0'));
            if (at + length > name.Length) return false;
            parts.Add(name.Substring(at, length));
            at += length;
        }
        if (at != name.Length - 1 || parts.Count < 2) return false;
        var hash = parts[^1];
        if (hash.Length != 17 || hash[0] != 'h' || hash.AsSpan(1).ContainsAnyExcept("0123456789abcdef")) return false;
        var text = new StringBuilder();
        for (var i = 0; i < parts.Count - 1; i++)
        {
            if (i > 0) text.Append("::");
            if (!Unescape(parts[i], text)) return false;
        }
        demangled = text.ToString();
        return true;
    }

    private static bool Unescape(string part, StringBuilder text)
    {
        var rest = part.AsSpan();
        if (rest.StartsWith("_$")) rest = rest[1..];
        while (!rest.IsEmpty)
        {
            if (rest[0] == '.')
            {
                if (rest.Length > 1 && rest[1] == '.') { text.Append("::"); rest = rest[2..]; }
                else { text.Append('.'); rest = rest[1..]; }
                continue;
            }
            if (rest[0] != '$')
            {
                text.Append(rest[0]);
                rest = rest[1..];
                continue;
            }
            var end = rest[1..].IndexOf('$');
            if (end < 0) return false;
            var escape = rest[1..(end + 1)];
            rest = rest[(end + 2)..];
            string? replacement = escape switch
            {
                "SP" => "@", "BP" => "*", "RF" => "&", "LT" => "<", "GT" => ">", "LP" => "(", "RP" => ")", "C" => ",",
                _ => null,
            };
            if (replacement is not null) { text.Append(replacement); continue; }
            if (escape.Length < 2 || escape[0] != 'u' || !uint.TryParse(escape[1..], System.Globalization.NumberStyles.HexNumber, null, out var code) || code > 0x10FFFF)
                return false;
            text.Append(char.ConvertFromUtf32((int)code));
        }
        return true;
    }

    private char Peek() => p < s.Length ? s[p] : '\0';

    private static FormatException Bad() => new();

    private string Path(bool inValue)
    {
        var tag = s[p++];
        switch (tag)
        {
            case 'C':
                Disambiguator();
                return Identifier();
            case 'N':
            {
                var ns = s[p++];
                var parent = Path(inValue);
                var disambiguator = Disambiguator();
                var name = Identifier();
                if (char.IsAsciiLetterUpper(ns))
                {
                    var kind = ns switch { 'C' => "closure", 'S' => "shim", _ => ns.ToString() };
                    return parent + "::{" + kind + (name.Length > 0 ? ":" + name : "") + "#" + disambiguator + "}";
                }
                return name.Length > 0 ? parent + "::" + name : parent;
            }
            case 'M':
                Disambiguator();
                Path(inValue: false);
                return "<" + Type() + ">";
            case 'X':
            {
                Disambiguator();
                Path(inValue: false);
                var self = Type();
                return "<" + self + " as " + Path(inValue: false) + ">";
            }
            case 'Y':
            {
                var self = Type();
                return "<" + self + " as " + Path(inValue: false) + ">";
            }
            case 'I':
            {
                var path = Path(inValue);
                var args = new List<string>();
                while (Peek() != 'E') args.Add(GenericArg());
                p++;
                return path + (inValue ? "::<" : "<") + string.Join(", ", args) + ">";
            }
            case 'B':
                return BackRef(() => Path(inValue));
            default:
                throw Bad();
        }
    }

    private string GenericArg()
    {
        if (Peek() == 'L')
        {
            p++;
            Base62();
            return "'_";
        }
        if (Peek() == 'K')
        {
            p++;
            return Const();
        }
        return Type();
    }

    private string Const()
    {
        if (Peek() == 'p') { p++; return "_"; }
        if (Peek() == 'B') { p++; return BackRef(Const); }
        var type = s[p++];
        var negative = Peek() == 'n';
        if (negative) p++;
        var start = p;
        while (Peek() != '_') p++;
        var hex = s[start..p];
        p++;
        var value = hex.Length == 0 ? 0UL : ulong.Parse(hex, System.Globalization.NumberStyles.HexNumber, null);
        return type switch
        {
            'b' => value == 0 ? "false" : "true",
            'c' => "'" + char.ConvertFromUtf32((int)value) + "'",
            _ => (negative ? "-" : "") + value,
        };
    }

    private string Type()
    {
        var c = s[p];
        string? basic = c switch
        {
            'a' => "i8", 'b' => "bool", 'c' => "char", 'd' => "f64", 'e' => "str", 'f' => "f32", 'h' => "u8", 'i' => "isize",
            'j' => "usize", 'l' => "i32", 'm' => "u32", 'n' => "i128", 'o' => "u128", 's' => "i16", 't' => "u16", 'u' => "()",
            'v' => "...", 'x' => "i64", 'y' => "u64", 'z' => "!", 'p' => "_",
            _ => null,
        };
        if (basic is not null)
        {
            p++;
            return basic;
        }
        p++;
        switch (c)
        {
            case 'A':
            {
                var element = Type();
                return "[" + element + "; " + Const() + "]";
            }
            case 'S':
                return "[" + Type() + "]";
            case 'T':
            {
                var items = new List<string>();
                while (Peek() != 'E') items.Add(Type());
                p++;
                return "(" + string.Join(", ", items) + (items.Count == 1 ? ",)" : ")");
            }
            case 'R' or 'Q':
            {
                if (Peek() == 'L') { p++; Base62(); }
                return (c == 'R' ? "&" : "&mut ") + Type();
            }
            case 'P':
                return "*const " + Type();
            case 'O':
                return "*mut " + Type();
            case 'B':
                return BackRef(Type);
            case 'C' or 'N' or 'M' or 'X' or 'Y' or 'I':
                p--;
                return Path(inValue: false);
            default:
                throw Bad();
        }
    }

    private string BackRef(Func<string> parse)
    {
        var target = Base62();
        if (target >= (ulong)p - 1 || target + 2 > (ulong)s.Length) throw Bad();
        var saved = p;
        p = (int)target + 2; // offsets count from after "_R"
        try { return parse(); }
        finally { p = saved; }
    }

    // "s<base62>_" before identifiers and impls; its value numbers closures.
    private ulong Disambiguator()
    {
        if (Peek() != 's') return 0;
        p++;
        return Base62() + 1;
    }

    private ulong Base62()
    {
        if (Peek() == '_')
        {
            p++;
            return 0;
        }
        ulong value = 0;
        while (Peek() != '_')
        {
            var c = s[p++];
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetterLower(c) ? c - 'a' + 10 : char.IsAsciiLetterUpper(c) ? c - 'A' + 36 : throw Bad();
            value = checked(value * 62 + (ulong)digit);
        }
        p++;
        return value + 1;
    }

    private string Identifier()
    {
        if (Peek() == 'u') throw Bad(); // punycode
        var length = 0;
        if (!char.IsAsciiDigit(Peek())) throw Bad();
        while (char.IsAsciiDigit(Peek())) length = checked(length * 10 + (s[p++] - '0'));
        if (Peek() == '_') p++;
        if (p + length > s.Length) throw Bad();
        var name = s.Substring(p, length);
        p += length;
        return name;
    }
}
