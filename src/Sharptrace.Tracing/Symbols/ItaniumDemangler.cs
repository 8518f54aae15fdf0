using System.Text;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// A small demangler for the Itanium C++ ABI (g++ and clang on Linux), printing names as binutils'
/// c++filt does: nested and local names, templates with substitutions and template parameters,
/// operators, constructors and destructors, lambdas, ABI tags, qualifiers, pointers, references,
/// arrays, function and member pointers, literals, packs, vtables and typeinfo, and GCC clone
/// suffixes. Expressions in template arguments (decltype, X…E) and other rare corners are not
/// covered: <see cref="TryDemangle"/> then returns false and the caller keeps the mangled name.
/// </summary>
public sealed class ItaniumDemangler
{
    private readonly string s;
    private int p;
    private readonly List<Ty> subs = [];
    private List<Ty> templateArgs = [];
    private string lastName = "";
    private int typeDepth;
    private int nesting;

    private ItaniumDemangler(string mangled) => s = mangled;

    /// <summary>Demangles "_Z…" names; false when the name is not mangled or uses what this demangler lacks.</summary>
    public static bool TryDemangle(string mangled, out string demangled)
    {
        demangled = mangled;
        if (!mangled.StartsWith("_Z", StringComparison.Ordinal) || mangled.Length > 4096) return false;
        try
        {
            var d = new ItaniumDemangler(mangled) { p = 2 };
            var text = d.Encoding(topLevel: true);
            var clones = new StringBuilder();
            while (d.p < d.s.Length && d.s[d.p] == '.') clones.Append(" [clone ").Append(d.CloneSuffix()).Append(']');
            if (d.p != d.s.Length) return false;
            demangled = text + clones;
            return true;
        }
        catch (FormatException) { return false; }
        catch (IndexOutOfRangeException) { return false; }
        catch (ArgumentOutOfRangeException) { return false; }
        catch (OverflowException) { return false; }
    }

    // A printed type split around where a declarator goes: "void (*" + ")(int)", "int (*" + ") [10]".
    private readonly record struct Ty(string Left, string Right = "", TyShape Shape = TyShape.Plain, List<Ty>? Pack = null)
    {
        public override string ToString() => Shape == TyShape.Function ? Left + " " + Right : Left + Right;
    }

    private enum TyShape { Plain, Function, Array, Declarator }

    private static FormatException Bad() => new();

    private char Peek(int ahead = 0) => p + ahead < s.Length ? s[p + ahead] : '\0';

    private void Expect(char c)
    {
        if (Peek() != c) throw Bad();
        p++;
    }

    private string CloneSuffix()
    {
        var start = p++;
        if (!(char.IsAsciiLetterLower(Peek()) || Peek() == '_')) throw Bad();
        while (char.IsAsciiLetterLower(Peek()) || Peek() == '_') p++;
        while (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            p++;
            while (char.IsAsciiDigit(Peek())) p++;
        }
        return s[start..p];
    }

    private string Encoding(bool topLevel, bool withReturnType = true)
    {
        var outerDepth = typeDepth;
        typeDepth = 0; // a local name's function, even inside a type, binds its own template parameters
        try { return EncodingCore(topLevel, withReturnType); }
        finally { typeDepth = outerDepth; }
    }

    private string EncodingCore(bool topLevel, bool withReturnType)
    {
        if (Peek() == 'T' || (Peek() == 'G' && Peek(1) == 'V')) return SpecialName();
        var name = Name(encodingLevel: true);
        if (p >= s.Length || Peek() == 'E' || Peek() == '.') return name.Text;
        var saved = templateArgs;
        string returnType = "";
        if (name.HasTemplateArgs && !name.IsCtorDtorConversion) returnType = Type().ToString() + " ";
        if (!withReturnType) returnType = ""; // c++filt leaves it out of the function a local name lives in
        var parameters = ParameterList();
        templateArgs = topLevel ? templateArgs : saved;
        return returnType + name.Text + "(" + parameters + ")" + name.Qualifiers;
    }

    // Parameters up to the end of the encoding; a lone "v" is "()".
    private string ParameterList()
    {
        var parts = new List<string>();
        while (p < s.Length && Peek() != 'E' && Peek() != '.')
        {
            if (Peek() == 'D' && Peek(1) == 'p')
            {
                p += 2;
                var pack = Type();
                if (pack.Pack is { } items) { parts.AddRange(items.Select(t => t.ToString())); continue; }
                parts.Add(pack.ToString());
                continue;
            }
            var type = Type();
            if (type.Pack is { } expanded) parts.AddRange(expanded.Select(t => t.ToString()));
            else parts.Add(type.ToString());
        }
        if (parts.Count == 1 && parts[0] == "void") return "";
        return string.Join(", ", parts);
    }

    private string SpecialName()
    {
        if (Peek() == 'G')
        {
            p += 2;
            return "guard variable for " + Name(encodingLevel: false).Text;
        }
        p++;
        var kind = s[p++];
        switch (kind)
        {
            case 'V': return "vtable for " + Type();
            case 'T': return "VTT for " + Type();
            case 'I': return "typeinfo for " + Type();
            case 'S': return "typeinfo name for " + Type();
            case 'W': return "TLS wrapper function for " + Name(encodingLevel: false).Text;
            case 'H': return "TLS init function for " + Name(encodingLevel: false).Text;
            case 'h':
                CallOffset();
                return "non-virtual thunk to " + Encoding(topLevel: false);
            case 'v':
                CallOffset();
                CallOffset();
                return "virtual thunk to " + Encoding(topLevel: false);
            default: throw Bad();
        }
    }

    private void CallOffset()
    {
        if (Peek() == 'n') p++;
        if (!char.IsAsciiDigit(Peek())) throw Bad();
        while (char.IsAsciiDigit(Peek())) p++;
        Expect('_');
    }

    private readonly record struct NameResult(string Text, bool HasTemplateArgs, bool IsCtorDtorConversion, string Qualifiers);

    private NameResult Name(bool encodingLevel)
    {
        switch (Peek())
        {
            case 'N': return NestedName(encodingLevel);
            case 'Z': return LocalName(encodingLevel);
        }
        string text;
        var isCtorDtor = false;
        if (Peek() == 'S' && Peek(1) == 't')
        {
            p += 2;
            var unqualified = UnqualifiedName(out isCtorDtor);
            text = "std::" + unqualified;
        }
        else if (Peek() == 'S')
        {
            text = Substitution().ToString();
            if (Peek() != 'I') throw Bad();
        }
        else text = UnqualifiedName(out isCtorDtor);
        if (Peek() != 'I') return new NameResult(text, false, isCtorDtor, "");
        subs.Add(new Ty(text));
        var args = TemplateArgs(encodingLevel);
        return new NameResult(text + (text.EndsWith('<') ? " " : "") + args, true, isCtorDtor, "");
    }

    private NameResult LocalName(bool encodingLevel)
    {
        Expect('Z');
        var function = Encoding(topLevel: false, withReturnType: false);
        Expect('E');
        string entity;
        var qualifiers = "";
        var hasTemplateArgs = false;
        var isCtorDtor = false;
        if (Peek() == 's')
        {
            p++;
            entity = "string literal";
        }
        else
        {
            var inner = Name(encodingLevel);
            (entity, qualifiers, hasTemplateArgs, isCtorDtor) = (inner.Text, inner.Qualifiers, inner.HasTemplateArgs, inner.IsCtorDtorConversion);
        }
        Discriminator();
        return new NameResult(function + "::" + entity, hasTemplateArgs, isCtorDtor, qualifiers);
    }

    private void Discriminator()
    {
        if (Peek() != '_') return;
        p++;
        if (Peek() == '_')
        {
            p++;
            while (char.IsAsciiDigit(Peek())) p++;
            Expect('_');
        }
        else if (char.IsAsciiDigit(Peek())) p++;
        else throw Bad();
    }

    private NameResult NestedName(bool encodingLevel)
    {
        Expect('N');
        var qualifiers = CvQualifiers();
        if (Peek() == 'R') { p++; qualifiers += " &"; }
        else if (Peek() == 'O') { p++; qualifiers += " &&"; }
        string? prefix = null;
        var hasTemplateArgs = false;
        var isCtorDtor = false;
        while (Peek() != 'E')
        {
            var fromSubstitution = false;
            string part;
            if (Peek() == 'S' && Peek(1) == 't' && prefix is null)
            {
                p += 2;
                prefix = "std";
                continue;
            }
            if (Peek() == 'S')
            {
                part = Substitution().ToString();
                fromSubstitution = true;
                isCtorDtor = false;
            }
            else if (Peek() == 'T')
            {
                part = TemplateParam().ToString();
                isCtorDtor = false;
            }
            else if (Peek() == 'I')
            {
                if (prefix is null) throw Bad();
                prefix += (prefix.EndsWith('<') ? " " : "") + TemplateArgs(encodingLevel);
                hasTemplateArgs = true;
                if (Peek() != 'E') subs.Add(new Ty(prefix));
                continue;
            }
            else if (Peek() == 'L') { p++; continue; }
            else part = UnqualifiedName(out isCtorDtor);
            hasTemplateArgs = false;
            prefix = prefix is null ? part : prefix + "::" + part;
            if (!fromSubstitution && Peek() != 'E') subs.Add(new Ty(prefix));
        }
        p++;
        if (prefix is null) throw Bad();
        return new NameResult(prefix, hasTemplateArgs, isCtorDtor, qualifiers);
    }

    private string CvQualifiers()
    {
        var restrict = false;
        var isVolatile = false;
        var isConst = false;
        if (Peek() == 'r') { p++; restrict = true; }
        if (Peek() == 'V') { p++; isVolatile = true; }
        if (Peek() == 'K') { p++; isConst = true; }
        return (isConst ? " const" : "") + (isVolatile ? " volatile" : "") + (restrict ? " restrict" : "");
    }

    private string UnqualifiedName(out bool isCtorDtorConversion)
    {
        isCtorDtorConversion = false;
        string name;
        var c = Peek();
        if (c == 'L') { p++; c = Peek(); }
        if (char.IsAsciiDigit(c))
        {
            name = SourceName();
            lastName = name;
        }
        else if (c == 'C' && Peek(1) is '1' or '2' or '3' or '4' or '5')
        {
            p += 2;
            isCtorDtorConversion = true;
            name = lastName;
        }
        else if (c == 'D' && Peek(1) is '0' or '1' or '2' or '4' or '5')
        {
            p += 2;
            isCtorDtorConversion = true;
            name = "~" + lastName;
        }
        else if (c == 'U' && Peek(1) == 't')
        {
            p += 2;
            name = "{unnamed type#" + Number('_') + "}";
        }
        else if (c == 'U' && Peek(1) == 'l')
        {
            p += 2;
            var parameters = ParameterList();
            Expect('E');
            name = "{lambda(" + parameters + ")#" + Number('_') + "}";
        }
        else if (char.IsAsciiLetterLower(c))
        {
            name = OperatorName(out isCtorDtorConversion);
        }
        else throw Bad();
        while (Peek() == 'B')
        {
            p++;
            name += "[abi:" + SourceName() + "]";
        }
        return name;
    }

    // Lambdas and unnamed types count from 1: "_" is #1, "n_" is #(n+2).
    private int Number(char end)
    {
        if (Peek() == end)
        {
            p++;
            return 1;
        }
        var n = 0;
        if (!char.IsAsciiDigit(Peek())) throw Bad();
        while (char.IsAsciiDigit(Peek())) n = checked(n * 10 + (s[p++] - '0'));
        Expect(end);
        return n + 2;
    }

    private string SourceName()
    {
        var length = 0;
        if (!char.IsAsciiDigit(Peek())) throw Bad();
        while (char.IsAsciiDigit(Peek())) length = checked(length * 10 + (s[p++] - '0'));
        if (length <= 0 || p + length > s.Length) throw Bad();
        var name = s.Substring(p, length);
        p += length;
        return name.StartsWith("_GLOBAL__N", StringComparison.Ordinal) ? "(anonymous namespace)" : name;
    }

    private static readonly Dictionary<string, string> Operators = new(StringComparer.Ordinal)
    {
        ["nw"] = "new", ["na"] = "new[]", ["dl"] = "delete", ["da"] = "delete[]", ["ps"] = "+", ["ng"] = "-", ["ad"] = "&",
        ["de"] = "*", ["co"] = "~", ["pl"] = "+", ["mi"] = "-", ["ml"] = "*", ["dv"] = "/", ["rm"] = "%", ["an"] = "&",
        ["or"] = "|", ["eo"] = "^", ["aS"] = "=", ["pL"] = "+=", ["mI"] = "-=", ["mL"] = "*=", ["dV"] = "/=", ["rM"] = "%=",
        ["aN"] = "&=", ["oR"] = "|=", ["eO"] = "^=", ["ls"] = "<<", ["rs"] = ">>", ["lS"] = "<<=", ["rS"] = ">>=", ["eq"] = "==",
        ["ne"] = "!=", ["lt"] = "<", ["gt"] = ">", ["le"] = "<=", ["ge"] = ">=", ["ss"] = "<=>", ["nt"] = "!", ["aa"] = "&&",
        ["oo"] = "||", ["pp"] = "++", ["mm"] = "--", ["cm"] = ",", ["pm"] = "->*", ["pt"] = "->", ["cl"] = "()", ["ix"] = "[]",
        ["qu"] = "?", ["aw"] = "co_await",
    };

    private string OperatorName(out bool isConversion)
    {
        isConversion = false;
        var code = s.Substring(p, 2);
        p += 2;
        if (code == "cv")
        {
            isConversion = true;
            return "operator " + Type();
        }
        if (code == "li") return "operator\"\" " + SourceName();
        if (!Operators.TryGetValue(code, out var op)) throw Bad();
        return char.IsAsciiLetterLower(op[0]) ? "operator " + op : "operator" + op;
    }

    private string TemplateArgs(bool encodingLevel)
    {
        Expect('I');
        var outerName = lastName; // a constructor after the arguments is named after the template, not its last argument
        var args = new List<Ty>();
        while (Peek() != 'E') args.Add(TemplateArg());
        p++;
        lastName = outerName;
        if (encodingLevel && typeDepth == 0) templateArgs = args;
        var printed = string.Join(", ", args.Where(a => a.Pack is not { Count: 0 }).Select(a => a.ToString()));
        // c++filt separates "> >", except after an empty trailing pack.
        var space = printed.EndsWith('>') && args[^1].Pack is not { Count: 0 };
        return "<" + printed + (space ? " >" : ">");
    }

    private Ty TemplateArg()
    {
        switch (Peek())
        {
            case 'L':
                p++;
                var literal = Literal();
                Expect('E');
                return new Ty(literal);
            case 'J':
                p++;
                var pack = new List<Ty>();
                while (Peek() != 'E') pack.Add(TemplateArg());
                p++;
                return new Ty(string.Join(", ", pack.Select(t => t.ToString())), Pack: pack);
            case 'X':
                throw Bad();
            default:
                return Type();
        }
    }

    private string Literal()
    {
        if (Peek() == '_' && Peek(1) == 'Z') throw Bad();
        var type = Type().ToString();
        var negative = Peek() == 'n';
        if (negative) p++;
        var start = p;
        while (char.IsAsciiDigit(Peek())) p++;
        if (p == start) throw Bad();
        var value = (negative ? "-" : "") + s[start..p];
        return type switch
        {
            "bool" => value == "0" ? "false" : value == "1" ? "true" : "(bool)" + value,
            "int" => value,
            "unsigned int" => value + "u",
            "long" => value + "l",
            "unsigned long" => value + "ul",
            "long long" => value + "ll",
            "unsigned long long" => value + "ull",
            _ => "(" + type + ")" + value,
        };
    }

    private static string? Builtin(char c) => c switch
    {
        'v' => "void", 'w' => "wchar_t", 'b' => "bool", 'c' => "char", 'a' => "signed char", 'h' => "unsigned char",
        's' => "short", 't' => "unsigned short", 'i' => "int", 'j' => "unsigned int", 'l' => "long", 'm' => "unsigned long",
        'x' => "long long", 'y' => "unsigned long long", 'n' => "__int128", 'o' => "unsigned __int128", 'f' => "float",
        'd' => "double", 'e' => "long double", 'g' => "__float128", 'z' => "...",
        _ => null,
    };

    private static string? DBuiltin(char c) => c switch
    {
        'd' => "decimal64", 'e' => "decimal128", 'f' => "decimal32", 'h' => "half", 'i' => "char32_t", 's' => "char16_t",
        'u' => "char8_t", 'a' => "auto", 'c' => "decltype(auto)", 'n' => "decltype(nullptr)",
        _ => null,
    };

    private Ty Type()
    {
        // Nesting is bounded so that a hostile name cannot exhaust the stack.
        if (++nesting > 256) throw Bad();
        typeDepth++;
        try { return TypeCore(); }
        finally { typeDepth--; nesting--; }
    }

    private Ty TypeCore()
    {
        var c = Peek();
        if (Builtin(c) is { } builtin)
        {
            p++;
            return new Ty(builtin);
        }
        Ty result;
        switch (c)
        {
            case 'D' when DBuiltin(Peek(1)) is { } dbuiltin:
                p += 2;
                return new Ty(dbuiltin);
            case 'D' when Peek(1) == 'F':
            {
                p += 2;
                var start = p;
                while (char.IsAsciiDigit(Peek())) p++;
                var bits = s[start..p];
                Expect('_');
                return new Ty("_Float" + bits);
            }
            case 'D' when Peek(1) == 'p':
                p += 2;
                result = Type();
                break;
            case 'u':
                p++;
                return new Ty(SourceName());
            case 'r' or 'V' or 'K':
            {
                var qualifiers = CvQualifiers();
                result = EachOfPack(Type(), inner => inner.Shape == TyShape.Function ? inner with { Right = inner.Right + qualifiers }
                    : inner.Left.EndsWith(qualifiers, StringComparison.Ordinal) ? inner // a T_ that is already const stays "T const"
                    : inner with { Left = inner.Left + qualifiers });
                break;
            }
            case 'P':
                p++;
                result = EachOfPack(Type(), inner => Declarator(inner, "*"));
                break;
            case 'R':
                p++;
                result = EachOfPack(Type(), inner => Declarator(inner, "&"));
                break;
            case 'O':
                p++;
                result = EachOfPack(Type(), inner => Declarator(inner, "&&"));
                break;
            case 'F':
                result = FunctionType();
                break;
            case 'A':
                result = ArrayType();
                break;
            case 'M':
            {
                p++;
                var owner = Type().ToString();
                var member = Type();
                result = member.Shape == TyShape.Function
                    ? new Ty(member.Left + " (" + owner + "::*", ")" + member.Right, TyShape.Declarator)
                    : new Ty(member + " " + owner + "::*");
                break;
            }
            case 'T':
                result = TemplateParam();
                subs.Add(result);
                if (Peek() == 'I')
                {
                    result = new Ty(result + TemplateArgs(encodingLevel: false));
                    subs.Add(result);
                }
                return result;
            case 'S' when Peek(1) != 't':
                result = Substitution();
                if (Peek() != 'I') return result;
                result = new Ty(result + TemplateArgs(encodingLevel: false));
                break;
            default:
                result = new Ty(Name(encodingLevel: false).Text);
                break;
        }
        subs.Add(result);
        return result;
    }

    // A modifier of a pack expansion ("DpRKT_") applies to every element of the pack.
    private static Ty EachOfPack(Ty type, Func<Ty, Ty> modify)
    {
        if (type.Pack is not { } pack) return modify(type);
        var items = pack.Select(modify).ToList();
        return new Ty(string.Join(", ", items.Select(t => t.ToString())), Pack: items);
    }

    // Puts "*", "&" or "&&" where the declarator goes: inside "(…)" for functions and arrays.
    private static Ty Declarator(Ty inner, string symbol)
    {
        // Reference collapsing (a T_ or substitution that already is a reference): & && is &, && && is &&.
        if (symbol[0] == '&' && inner.Left.EndsWith('&'))
            return symbol == "&" && inner.Left.EndsWith("&&", StringComparison.Ordinal) ? inner with { Left = inner.Left[..^1] } : inner;
        return PlaceDeclarator(inner, symbol);
    }

    private static Ty PlaceDeclarator(Ty inner, string symbol) => inner.Shape switch
    {
        TyShape.Function or TyShape.Array => new Ty(inner.Left + " (" + symbol, ")" + inner.Right, TyShape.Declarator),
        TyShape.Declarator => inner with { Left = inner.Left + symbol },
        _ => inner with { Left = inner.Left + symbol },
    };

    private Ty FunctionType()
    {
        Expect('F');
        if (Peek() == 'Y') p++;
        var returnType = Type().ToString();
        var parameters = new List<string>();
        var reference = "";
        while (Peek() != 'E')
        {
            if (Peek() is 'R' or 'O' && Peek(1) == 'E')
            {
                reference = s[p++] == 'R' ? " &" : " &&";
                continue;
            }
            var type = Type();
            if (type.Pack is { } pack) parameters.AddRange(pack.Select(t => t.ToString()));
            else parameters.Add(type.ToString());
        }
        p++;
        if (parameters.Count == 1 && parameters[0] == "void") parameters.Clear();
        return new Ty(returnType, "(" + string.Join(", ", parameters) + ")" + reference, TyShape.Function);
    }

    private Ty ArrayType()
    {
        Expect('A');
        var start = p;
        while (char.IsAsciiDigit(Peek())) p++;
        var bound = s[start..p];
        Expect('_');
        var element = Type();
        var dimensions = "[" + bound + "]" + (element.Shape == TyShape.Array ? element.Right.TrimStart() : "");
        return element.Shape == TyShape.Array
            ? new Ty(element.Left, " " + dimensions, TyShape.Array)
            : new Ty(element.ToString(), " " + dimensions, TyShape.Array);
    }

    private Ty TemplateParam()
    {
        Expect('T');
        var index = 0;
        if (Peek() != '_')
        {
            while (char.IsAsciiDigit(Peek())) index = checked(index * 10 + (s[p++] - '0'));
            index++;
        }
        Expect('_');
        if (index >= templateArgs.Count) throw Bad();
        return templateArgs[index];
    }

    private Ty Substitution()
    {
        Expect('S');
        var c = Peek();
        string? standard = c switch
        {
            't' => "std",
            'a' => "std::allocator",
            'b' => "std::basic_string",
            's' => "std::basic_string<char, std::char_traits<char>, std::allocator<char> >",
            'i' => "std::basic_istream<char, std::char_traits<char> >",
            'o' => "std::basic_ostream<char, std::char_traits<char> >",
            'd' => "std::basic_iostream<char, std::char_traits<char> >",
            _ => null,
        };
        if (standard is not null)
        {
            p++;
            lastName = c switch
            {
                'a' => "allocator", 'b' or 's' => "basic_string", 'i' => "basic_istream", 'o' => "basic_ostream", 'd' => "basic_iostream", _ => lastName,
            };
            return new Ty(standard);
        }
        var index = 0;
        if (c != '_')
        {
            while (Peek() != '_')
            {
                var d = Peek();
                var digit = char.IsAsciiDigit(d) ? d - '0' : char.IsAsciiLetterUpper(d) ? d - 'A' + 10 : throw Bad();
                index = checked(index * 36 + digit);
                p++;
            }
            index++;
        }
        p++;
        if (index >= subs.Count) throw Bad();
        return subs[index];
    }
}
