using System.Text;
using Sharptrace.Script.Diagnostics;

namespace Sharptrace.Script.Syntax;

/// <summary>
/// Turns script text into tokens on demand. The parser drives it: attach points ("uprobe:/bin/bash:readline")
/// are not C tokens, so where a probe starts the parser asks for <see cref="NextAttachPoint"/> instead.
/// </summary>
internal sealed class Lexer(SourceText source)
{
    private static readonly Dictionary<string, TokenKind> Keywords = new()
    {
        ["if"] = TokenKind.If, ["else"] = TokenKind.Else, ["unroll"] = TokenKind.Unroll, ["while"] = TokenKind.While,
        ["break"] = TokenKind.Break, ["continue"] = TokenKind.Continue, ["return"] = TokenKind.Return,
        ["struct"] = TokenKind.Struct, ["union"] = TokenKind.Union, ["enum"] = TokenKind.Enum,
        ["sizeof"] = TokenKind.Sizeof, ["offsetof"] = TokenKind.Offsetof,
    };

    // Longest first, so that "<<=" wins over "<<" and "<".
    private static readonly (string Text, TokenKind Kind)[] Operators =
    [
        ("<<=", TokenKind.ShlAssign), (">>=", TokenKind.ShrAssign),
        ("->", TokenKind.Arrow), ("++", TokenKind.PlusPlus), ("--", TokenKind.MinusMinus), ("<<", TokenKind.Shl), (">>", TokenKind.Shr),
        ("<=", TokenKind.LessEqual), (">=", TokenKind.GreaterEqual), ("==", TokenKind.EqualEqual), ("!=", TokenKind.NotEqual),
        ("&&", TokenKind.AndAnd), ("||", TokenKind.OrOr), ("+=", TokenKind.PlusAssign), ("-=", TokenKind.MinusAssign),
        ("*=", TokenKind.StarAssign), ("/=", TokenKind.SlashAssign), ("%=", TokenKind.PercentAssign), ("&=", TokenKind.AndAssign),
        ("|=", TokenKind.OrAssign), ("^=", TokenKind.XorAssign),
        ("{", TokenKind.LeftBrace), ("}", TokenKind.RightBrace), ("(", TokenKind.LeftParen), (")", TokenKind.RightParen),
        ("[", TokenKind.LeftBracket), ("]", TokenKind.RightBracket), (",", TokenKind.Comma), (";", TokenKind.Semicolon),
        (":", TokenKind.Colon), ("?", TokenKind.Question), (".", TokenKind.Dot), ("=", TokenKind.Assign),
        ("+", TokenKind.Plus), ("-", TokenKind.Minus), ("*", TokenKind.Star), ("/", TokenKind.Slash), ("%", TokenKind.Percent),
        ("&", TokenKind.Ampersand), ("|", TokenKind.Pipe), ("^", TokenKind.Caret), ("~", TokenKind.Tilde), ("!", TokenKind.Bang),
        ("<", TokenKind.Less), (">", TokenKind.Greater),
    ];

    private readonly string text = source.Text;
    private int position;

    public int Position => position;

    /// <summary>Goes back to <paramref name="offset"/>, to re-read text in another mode.</summary>
    public void Rewind(int offset) => position = offset;

    /// <summary>Skips blanks, comments and preprocessor lines (#include, #define: BTF takes their place).</summary>
    public void SkipTrivia()
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (char.IsWhiteSpace(c)) position++;
            else if (c == '/' && Peek(1) == '/') SkipToEndOfLine();
            else if (c == '/' && Peek(1) == '*')
            {
                var close = text.IndexOf("*/", position + 2, StringComparison.Ordinal);
                if (close < 0) throw Error(new SourceSpan(position, 2), "unterminated comment");
                position = close + 2;
            }
            else if (c == '#' && AtLineStart()) SkipToEndOfLine();
            else break;
        }
    }

    public bool AtEnd
    {
        get
        {
            SkipTrivia();
            return position >= text.Length;
        }
    }

    /// <summary>
    /// Reads one attach point: everything up to blank, '{', ',' or a '/' that starts a predicate.
    /// A '/' right after ':' starts a path ("uprobe:/bin/bash:readline") that runs to the next ':'.
    /// Quoted parts keep their blanks ("uprobe:\"/opt/my app\":f").
    /// </summary>
    public Token NextAttachPoint()
    {
        SkipTrivia();
        var start = position;
        var builder = new StringBuilder();
        var inPath = false;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '"')
            {
                var close = text.IndexOf('"', position + 1);
                if (close < 0) throw Error(new SourceSpan(position, 1), "unterminated string in attach point");
                builder.Append(text, position + 1, close - position - 1);
                position = close + 1;
                continue;
            }
            if (char.IsWhiteSpace(c) || c is '{' or ',' or ';' or '}') break;
            if (c == '/' && !inPath)
            {
                if (position > start && text[position - 1] == ':') inPath = true;
                else break;
            }
            if (c == ':') inPath = false;
            builder.Append(c);
            position++;
        }
        if (position == start) throw Error(new SourceSpan(start, 1), $"expected a probe (e.g. BEGIN, tracepoint:syscalls:sys_enter_openat), found {Describe(start)}");
        return new Token(TokenKind.AttachPoint, new SourceSpan(start, position - start), builder.ToString());
    }

    public Token Next()
    {
        SkipTrivia();
        if (position >= text.Length) return new Token(TokenKind.End, new SourceSpan(text.Length, 0), "");
        var start = position;
        var c = text[position];
        if (char.IsAsciiLetter(c) || c == '_') return IdentifierOrKeyword(start);
        if (char.IsAsciiDigit(c)) return Number(start);
        if (c == '"') return StringLiteral(start);
        if (c == '$')
        {
            position++;
            if (Peek(0) == '#')
            {
                position++;
                return new Token(TokenKind.PositionalCount, new SourceSpan(start, 2), "$#");
            }
            if (char.IsAsciiDigit(Peek(0)))
            {
                while (char.IsAsciiDigit(Peek(0))) position++;
                var digits = text[(start + 1)..position];
                if (!ulong.TryParse(digits, out var n) || n is 0 or > 1000) throw Error(new SourceSpan(start, position - start), $"positional parameter ${digits} is out of range");
                return new Token(TokenKind.Positional, new SourceSpan(start, position - start), text[start..position], n);
            }
            if (!IsIdentifierStart(Peek(0))) throw Error(new SourceSpan(start, 1), "expected a variable name after '$'");
            while (IsIdentifierPart(Peek(0))) position++;
            return new Token(TokenKind.Variable, new SourceSpan(start, position - start), text[start..position]);
        }
        if (c == '@')
        {
            position++;
            while (IsIdentifierPart(Peek(0))) position++;
            return new Token(TokenKind.Map, new SourceSpan(start, position - start), text[start..position]);
        }
        foreach (var (op, kind) in Operators)
        {
            if (string.CompareOrdinal(text, position, op, 0, op.Length) == 0)
            {
                position += op.Length;
                return new Token(kind, new SourceSpan(start, op.Length), op);
            }
        }
        throw Error(new SourceSpan(start, 1), $"unexpected character {Describe(start)}");
    }

    private Token IdentifierOrKeyword(int start)
    {
        while (IsIdentifierPart(Peek(0))) position++;
        var word = text[start..position];
        var kind = Keywords.GetValueOrDefault(word, TokenKind.Identifier);
        return new Token(kind, new SourceSpan(start, position - start), word);
    }

    /// <summary>Decimal, hex (0x), octal (leading 0), '_' separators, 1e6 exponents, u/l suffixes.</summary>
    private Token Number(int start)
    {
        while (IsIdentifierPart(Peek(0))) position++;
        var raw = text[start..position];
        var span = new SourceSpan(start, raw.Length);
        var digits = raw.Replace("_", "", StringComparison.Ordinal);
        var isHex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!isHex) digits = digits.TrimEnd('u', 'U', 'l', 'L');
        else digits = digits.TrimEnd('u', 'U', 'l', 'L');
        ulong value;
        bool ok;
        if (isHex)
            ok = ulong.TryParse(digits.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out value) && digits.Length > 2;
        else if (digits.Contains('e') || digits.Contains('E'))
        {
            var parts = digits.Split('e', 'E');
            ok = parts.Length == 2 && ulong.TryParse(parts[0], out var mantissa) & int.TryParse(parts[1], out var exponent) && exponent is >= 0 and <= 19;
            value = 0;
            if (ok)
            {
                var m = ulong.Parse(parts[0]);
                var e = int.Parse(parts[1]);
                try { value = checked(m * (ulong)Math.Pow(10, e)); }
                catch (OverflowException) { ok = false; }
            }
        }
        else if (digits.Length > 1 && digits[0] == '0')
        {
            value = 0;
            ok = true;
            foreach (var d in digits.AsSpan(1))
            {
                if (d is < '0' or > '7' || value > ulong.MaxValue / 8) { ok = false; break; }
                value = value * 8 + (ulong)(d - '0');
            }
        }
        else ok = ulong.TryParse(digits, out value);
        if (!ok) throw Error(span, $"invalid integer literal '{raw}'");
        return new Token(TokenKind.Integer, span, raw, value);
    }

    private Token StringLiteral(int start)
    {
        position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (position >= text.Length || text[position] == '\n') throw Error(new SourceSpan(start, position - start), "unterminated string");
            var c = text[position++];
            if (c == '"') break;
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            builder.Append(Escape(start));
        }
        return new Token(TokenKind.String, new SourceSpan(start, position - start), builder.ToString());
    }

    private char Escape(int start)
    {
        if (position >= text.Length) throw Error(new SourceSpan(start, position - start), "unterminated string");
        var e = text[position++];
        switch (e)
        {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case '\\': return '\\';
            case '"': return '"';
            case '\'': return '\'';
            case 'a': return '\a';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'v': return '\v';
            case 'e': return '\x1b';
            case 'x':
            {
                var value = 0;
                var count = 0;
                while (count < 2 && char.IsAsciiHexDigit(Peek(0)))
                {
                    value = value * 16 + Convert.ToInt32(text[position++].ToString(), 16);
                    count++;
                }
                if (count == 0) throw Error(new SourceSpan(position - 2, 2), "\\x used with no following hex digits");
                return (char)value;
            }
            default:
                if (e is >= '0' and <= '7')
                {
                    var value = e - '0';
                    for (var i = 0; i < 2 && Peek(0) is >= '0' and <= '7'; i++) value = value * 8 + (text[position++] - '0');
                    if (value > 255) throw Error(new SourceSpan(position - 4, 4), "octal escape sequence out of range");
                    return (char)value;
                }
                throw Error(new SourceSpan(position - 2, 2), $"invalid escape sequence '\\{e}'");
        }
    }

    private bool AtLineStart()
    {
        for (var i = position - 1; i >= 0; i--)
        {
            if (text[i] == '\n') return true;
            if (!char.IsWhiteSpace(text[i])) return false;
        }
        return true;
    }

    private void SkipToEndOfLine()
    {
        while (position < text.Length && text[position] != '\n') position++;
    }

    private char Peek(int ahead) => position + ahead < text.Length ? text[position + ahead] : '\0';

    private string Describe(int at) => at >= text.Length ? "end of input" : $"'{text[at]}'";

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static ScriptException Error(SourceSpan span, string message) => new(new Diagnostic(span, message));
}
