using System.Globalization;

namespace Sharptrace.Tracing.DynamicEvents;

/// <summary>
/// One fetch arg of a kprobe/uprobe event as the kernel lists it (<c>name=+0(%si):string</c>), parsed
/// so that a BPF program can compute the same value from the registers. What cannot be (an array, a
/// uprobe file offset…) keeps <see cref="Problem"/>, said when a script reads it.
/// </summary>
/// <param name="Name">The field name; the kernel names an unnamed arg argN (N its 1-based position).</param>
/// <param name="Text">The fetch as written, after the '='.</param>
/// <param name="Fetch">Where the value comes from; null when <see cref="Problem"/> is set.</param>
/// <param name="Type">The type suffix (x64 when there is none).</param>
/// <param name="Problem">Why the value cannot be computed outside the kernel, else null.</param>
public sealed record FetchArgument(string Name, string Text, FetchNode? Fetch, FetchType Type, string? Problem)
{
    /// <summary>Parses argument <paramref name="position"/> (1-based) of an event.</summary>
    public static FetchArgument Parse(string text, int position, bool isUser, bool isReturn)
    {
        var name = $"arg{position}";
        var body = text;
        var eq = text.IndexOf('=');
        if (eq > 0 && text[..eq].All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            name = text[..eq];
            body = text[(eq + 1)..];
        }
        var fetchText = body;
        var type = FetchType.Default;
        var colon = TypeColon(body);
        if (colon >= 0)
        {
            fetchText = body[..colon];
            var parsed = FetchType.Parse(body[(colon + 1)..]);
            if (parsed is null) return new(name, body, null, type, $"unknown type '{body[(colon + 1)..]}'");
            type = parsed;
        }
        try
        {
            var fetch = new Parser(fetchText, isUser, isReturn).Parse();
            // Without a suffix the kernel stores $comm as a string.
            if (colon < 0 && fetch is CommFetch) type = new FetchType("string", FetchTypeKind.String, 0, false);
            return new(name, body, fetch, type, Check(fetch, type, isUser));
        }
        catch (FormatException e)
        {
            return new(name, body, null, type, e.Message);
        }
    }

    /// <summary>What a BPF program cannot reproduce of a parsed fetch and type, or null.</summary>
    private static string? Check(FetchNode fetch, FetchType type, bool isUser)
    {
        if (type.ArrayLength > 0) return $"arrays ({type.Name}) are not supported";
        if (type.Kind == FetchTypeKind.SymbolString) return "symstr is not supported";
        if (type.Kind == FetchTypeKind.Symbol && isUser) return "symbol needs a kprobe";
        if (type.IsString && fetch is not (MemoryFetch or CommFetch)) return $"{type.Name} needs a memory fetch such as +0(%si)";
        if (!type.IsString && fetch is CommFetch) return "$comm is a string: give it the type string";
        return null;
    }

    /// <summary>The ':' before the type: the last one outside parentheses and quotes, else -1.</summary>
    private static int TypeColon(string body)
    {
        var depth = 0;
        var quoted = false;
        var found = -1;
        for (var i = 0; i < body.Length; i++)
        {
            switch (body[i])
            {
                case '"': quoted = !quoted; break;
                case '(' when !quoted: depth++; break;
                case ')' when !quoted: depth--; break;
                case ':' when !quoted && depth == 0: found = i; break;
            }
        }
        return found;
    }

    /// <summary>Recursive descent over one fetch (kernel's parse_probe_arg).</summary>
    private sealed class Parser(string text, bool isUser, bool isReturn)
    {
        public FetchNode Parse()
        {
            if (text.Length == 0) throw new FormatException("empty fetch");
            return Fetch(text);
        }

        private FetchNode Fetch(string t)
        {
            switch (t[0])
            {
                case '%':
                    if (t.Length < 2 || !t[1..].All(char.IsAsciiLetterOrDigit)) throw new FormatException($"bad register '{t}'");
                    return new RegisterFetch(t[1..]);
                case '$':
                    return Variable(t);
                case '\\':
                    if (t.Length > 1 && t[1] == '"') throw new FormatException("immediate strings are not supported");
                    return new ImmediateFetch(t.Length > 1 && t[1] == '-' ? (ulong)-(long)Number(t[2..], t) : Number(t[1..], t));
                case '@':
                    if (t.Length > 1 && t[1] == '+') throw new FormatException("uprobe file offsets (@+OFFSET) are not supported");
                    if (t.Length > 1 && char.IsAsciiDigit(t[1])) return new MemoryFetch(0, new ImmediateFetch(Number(t[1..], t)), false);
                    if (isUser) throw new FormatException("symbols need a kprobe");
                    return new MemoryFetch(0, Symbol(t[1..]), false);
                case '+' or '-':
                    return Dereference(t);
                default:
                    throw new FormatException($"'{t}' is not supported");
            }
        }

        private FetchNode Variable(string t)
        {
            var v = t[1..];
            if (v == "retval")
                return isReturn ? new ReturnValueFetch() : throw new FormatException("$retval needs a return probe");
            if (v is "comm" or "COMM") return new CommFetch();
            if (v == "stack") return new StackFetch(-1);
            if (v.StartsWith("stack", StringComparison.Ordinal) && int.TryParse(v.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return new StackFetch(n);
            if (v.StartsWith("arg", StringComparison.Ordinal) && int.TryParse(v.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var a) && a >= 1)
                return new FunctionArgumentFetch(a);
            throw new FormatException($"'{t}' is not supported");
        }

        /// <summary><c>+|-[u]OFFS(INNER)</c>.</summary>
        private MemoryFetch Dereference(string t)
        {
            var open = t.IndexOf('(');
            if (open < 0 || !t.EndsWith(')')) throw new FormatException($"bad dereference '{t}'");
            var offsetText = t[1..open];
            var user = offsetText.StartsWith('u');
            if (user) offsetText = offsetText[1..];
            var offset = (long)Number(offsetText, t);
            return new MemoryFetch(t[0] == '-' ? -offset : offset, Fetch(t[(open + 1)..^1]), user);
        }

        private static SymbolFetch Symbol(string t)
        {
            var sign = t.IndexOfAny(['+', '-']);
            if (sign <= 0) return new SymbolFetch(t, 0);
            var offset = (long)Number(t[(sign + 1)..], t);
            return new SymbolFetch(t[..sign], t[sign] == '-' ? -offset : offset);
        }

        private static ulong Number(string digits, string whole)
        {
            var ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
                : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            return ok ? value : throw new FormatException($"bad number in '{whole}'");
        }
    }
}
