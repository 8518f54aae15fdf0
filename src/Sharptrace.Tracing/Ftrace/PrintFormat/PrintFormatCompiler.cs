using System.Globalization;
using System.Text;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tracing.Ftrace.PrintFormat;

/// <summary>
/// Compiles an event's "print fmt" (a C format string and C expressions over <c>REC-&gt;field</c>) into
/// a <see cref="CompiledPrintFormat"/>: the subset of C the kernel's TP_printk uses (casts, arithmetic,
/// ternaries, <c>__print_flags</c>, <c>__print_symbolic</c>, <c>__get_str</c>, …). Anything else makes
/// the compile fail, and the record then prints as <c>field=value</c>: never a wrong rendering.
/// </summary>
public static class PrintFormatCompiler
{
    /// <summary>The compiled format, or null when the print fmt uses something we do not evaluate.</summary>
    public static CompiledPrintFormat? TryCompile(EventFormat format)
    {
        try
        {
            return Compile(format);
        }
        catch (PrintFormatException)
        {
            return null;
        }
    }

    /// <summary>Compiles the print fmt; throws <see cref="PrintFormatException"/> on what it does not understand.</summary>
    public static CompiledPrintFormat Compile(EventFormat format)
    {
        var parser = new Parser(Tokenize(format.PrintFormat), format);
        var text = parser.ExpectString();
        var arguments = new List<PrintExpression>();
        while (!parser.AtEnd)
        {
            parser.Expect(",");
            arguments.Add(parser.ParseExpression());
        }
        var pieces = FormatSpec.ParseAll(text);
        BindBitmaps(pieces, arguments);
        return new CompiledPrintFormat(pieces, arguments);
    }

    /// <summary>
    /// <c>%*pb</c>/<c>%*pbl</c> take a bit count and a pointer to a bitmap field: both become one
    /// <see cref="BitmapExpression"/> printed as <c>%s</c>. Other <c>%p</c> extensions over memory we do
    /// not have (<c>%pI4</c>, <c>%pU</c>…) would print a wrong address, so they fall back to fields.
    /// </summary>
    private static void BindBitmaps(List<FormatSpec> pieces, List<PrintExpression> arguments)
    {
        var next = 0;
        for (var i = 0; i < pieces.Count; i++)
        {
            var piece = pieces[i];
            if (piece.Conversion == 'p' && piece.PointerKind is "b" or "bl")
            {
                if (!piece.WidthFromArgument || next + 1 >= arguments.Count || arguments[next + 1] is not FieldExpression bitmap)
                    throw new PrintFormatException("%pb needs a * bit count and a bitmap field");
                arguments[next] = new BitmapExpression(bitmap.Field, arguments[next], piece.PointerKind == "bl");
                arguments.RemoveAt(next + 1);
                pieces[i] = new FormatSpec("", 's', piece.Flags);
                next++;
                continue;
            }
            next += piece.ArgumentCount;
        }
    }

    private enum TokenKind { Number, String, Identifier, Punctuation }

    private readonly record struct Token(TokenKind Kind, string Text, long Number = 0);

    private static List<Token> Tokenize(string source)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '"')
            {
                var text = new StringBuilder();
                i++;
                while (i < source.Length && source[i] != '"')
                {
                    if (source[i] == '\\' && i + 1 < source.Length)
                    {
                        i++;
                        text.Append(source[i] switch { 'n' => '\n', 't' => '\t', '0' => '\0', var other => other });
                    }
                    else text.Append(source[i]);
                    i++;
                }
                if (i >= source.Length) throw new PrintFormatException("unterminated string");
                i++;
                // Adjacent literals concatenate, as in C.
                if (tokens.Count > 0 && tokens[^1].Kind == TokenKind.String) tokens[^1] = tokens[^1] with { Text = tokens[^1].Text + text };
                else tokens.Add(new Token(TokenKind.String, text.ToString()));
                continue;
            }
            if (c == '\'' && i + 2 < source.Length && source[i + 2] == '\'')
            {
                tokens.Add(new Token(TokenKind.Number, source.Substring(i, 3), source[i + 1]));
                i += 3;
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]))) i++;
                var literal = source[start..i].TrimEnd('u', 'U', 'l', 'L');
                long value;
                bool ok;
                if (literal.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                {
                    ok = ulong.TryParse(literal.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var u);
                    value = (long)u;
                }
                else if (literal.Length > 1 && literal[0] == '0')
                {
                    value = 0;
                    ok = true;
                    foreach (var d in literal.AsSpan(1))
                    {
                        if (d is < '0' or > '7') { ok = false; break; }
                        value = value * 8 + (d - '0');
                    }
                }
                else
                {
                    ok = ulong.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out var u);
                    value = (long)u;
                }
                if (!ok) throw new PrintFormatException($"bad number '{source[start..i]}'");
                tokens.Add(new Token(TokenKind.Number, source[start..i], value));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Identifier, source[start..i]));
                continue;
            }
            var two = i + 1 < source.Length ? source.Substring(i, 2) : "";
            if (two is "->" or "<<" or ">>" or "==" or "!=" or "<=" or ">=" or "&&" or "||")
            {
                tokens.Add(new Token(TokenKind.Punctuation, two));
                i += 2;
                continue;
            }
            if ("(){}[],?:+-*/%&|^!~<>.".Contains(c))
            {
                tokens.Add(new Token(TokenKind.Punctuation, c.ToString()));
                i++;
                continue;
            }
            throw new PrintFormatException($"unexpected character '{c}'");
        }
        return tokens;
    }

    private static readonly HashSet<string> TypeWords =
    [
        "unsigned", "signed", "int", "long", "short", "char", "void", "const", "volatile", "bool", "_Bool", "struct",
        "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64",
        "size_t", "ssize_t", "pid_t", "gfp_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t", "int16_t", "int32_t", "int64_t",
        "uintptr_t", "loff_t", "dev_t", "sector_t", "umode_t", "uint", "ulong", "ushort", "u_int", "u_long", "__kernel_rwf_t",
    ];

    private sealed class Parser(List<Token> tokens, EventFormat format)
    {
        private int position;

        public bool AtEnd => position >= tokens.Count;

        private Token Peek(int ahead = 0) => position + ahead < tokens.Count ? tokens[position + ahead] : new Token(TokenKind.Punctuation, "");

        private bool IsPunctuation(string text, int ahead = 0) => Peek(ahead) is { Kind: TokenKind.Punctuation } t && t.Text == text;

        public void Expect(string text)
        {
            if (!IsPunctuation(text)) throw new PrintFormatException($"expected '{text}', got '{Peek().Text}'");
            position++;
        }

        public string ExpectString()
        {
            var token = Peek();
            if (token.Kind != TokenKind.String) throw new PrintFormatException("expected a string");
            position++;
            return token.Text;
        }

        private string ExpectIdentifier()
        {
            var token = Peek();
            if (token.Kind != TokenKind.Identifier) throw new PrintFormatException($"expected a name, got '{token.Text}'");
            position++;
            return token.Text;
        }

        public PrintExpression ParseExpression() => ParseConditional();

        private PrintExpression ParseConditional()
        {
            var condition = ParseBinary(0);
            if (!IsPunctuation("?")) return condition;
            position++;
            var whenTrue = ParseExpression();
            Expect(":");
            var whenFalse = ParseConditional();
            return Fold(new ConditionalExpression(condition, whenTrue, whenFalse), condition, whenTrue, whenFalse);
        }

        private static readonly string[][] Precedence =
        [
            ["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", ">", "<=", ">="], ["<<", ">>"], ["+", "-"], ["*", "/", "%"],
        ];

        private PrintExpression ParseBinary(int level)
        {
            if (level == Precedence.Length) return ParseUnary();
            var left = ParseBinary(level + 1);
            while (Peek() is { Kind: TokenKind.Punctuation } t && Precedence[level].Contains(t.Text))
            {
                position++;
                var right = ParseBinary(level + 1);
                left = Fold(new BinaryExpression(t.Text, left, right), left, right);
            }
            return left;
        }

        private PrintExpression ParseUnary()
        {
            var token = Peek();
            if (token.Kind == TokenKind.Punctuation && token.Text is "-" or "!" or "~" or "+")
            {
                position++;
                var operand = ParseUnary();
                return token.Text == "+" ? operand : Fold(new UnaryExpression(token.Text[0], operand), operand);
            }
            if (token.Kind == TokenKind.Punctuation && token.Text == "&")
                throw new PrintFormatException("address-of is not evaluated");
            if (IsPunctuation("(") && IsCast())
            {
                position++;
                var words = new List<string>();
                var pointer = false;
                while (!IsPunctuation(")"))
                {
                    if (IsPunctuation("*")) pointer = true;
                    else words.Add(Peek().Text);
                    position++;
                }
                position++;
                var operand = ParseUnary();
                var (size, signed) = pointer ? (8, false) : CastType(words);
                return Fold(new CastExpression(operand, size, signed), operand);
            }
            return ParsePostfix();
        }

        /// <summary>
        /// An expression over constants only becomes a constant: flag tables key on <c>(1UL &lt;&lt; 3)</c>
        /// or <c>-1</c>, and those keys must be known when the table is built.
        /// </summary>
        private static PrintExpression Fold(PrintExpression expression, params PrintExpression[] operands) =>
            operands.All(o => o is ConstantExpression) ? new ConstantExpression(expression.Evaluate(default, PrintContext.Default)) : expression;

        /// <summary>"(" type-words and "*" ")" is a cast; "(REC->x)" or "(1 + 2)" is not.</summary>
        private bool IsCast()
        {
            var i = 1;
            var sawType = false;
            while (Peek(i) is var t && t.Text != ")")
            {
                if (t.Kind == TokenKind.Identifier && TypeWords.Contains(t.Text)) sawType = true;
                else if (t.Kind == TokenKind.Identifier && i > 1 && Peek(i - 1).Text == "struct") { }
                else if (!(t.Kind == TokenKind.Punctuation && t.Text == "*")) return false;
                i++;
                if (t.Text.Length == 0) return false;
            }
            return sawType;
        }

        private static (int Size, bool Signed) CastType(List<string> words)
        {
            var unsigned = words.Contains("unsigned") || words.Any(w => w.StartsWith('u') || w.StartsWith("__u", StringComparison.Ordinal) || w == "size_t" || w == "bool");
            var joined = string.Join(' ', words.Where(w => w is not ("const" or "volatile" or "signed" or "unsigned")));
            var size = joined switch
            {
                "char" or "u8" or "s8" or "__u8" or "__s8" or "bool" or "_Bool" or "uint8_t" or "int8_t" => 1,
                "short" or "short int" or "u16" or "s16" or "__u16" or "__s16" or "uint16_t" or "int16_t" or "umode_t" => 2,
                "" or "int" or "u32" or "s32" or "__u32" or "__s32" or "uint32_t" or "int32_t" or "pid_t" or "gfp_t" or "dev_t" => 4,
                _ => 8,
            };
            return (size, !unsigned);
        }

        private PrintExpression ParsePostfix()
        {
            var primary = ParsePrimary(out var field);
            while (IsPunctuation("["))
            {
                position++;
                var index = ParseExpression();
                Expect("]");
                if (field is null) throw new PrintFormatException("indexing is only evaluated on REC fields");
                primary = new IndexExpression(field, index);
                field = null;
            }
            return primary;
        }

        private PrintExpression ParsePrimary(out EventField? field)
        {
            field = null;
            var token = Peek();
            switch (token.Kind)
            {
                case TokenKind.Number:
                    position++;
                    return new ConstantExpression(PrintValue.Of(token.Number));
                case TokenKind.String:
                    position++;
                    return new ConstantExpression(PrintValue.Of(token.Text));
                case TokenKind.Punctuation when token.Text == "(" && Peek(1).Text == "REC" && IsPunctuation(")", 2) && IsPunctuation("->", 3):
                    // "(REC)->field", as the kernel's macros sometimes expand.
                    position += 4;
                    field = Field(ExpectIdentifier());
                    return new FieldExpression(field);
                case TokenKind.Punctuation when token.Text == "(":
                    {
                        position++;
                        var inner = ParseExpression();
                        Expect(")");
                        return inner;
                    }
                case TokenKind.Identifier when token.Text == "REC":
                    position++;
                    Expect("->");
                    field = Field(ExpectIdentifier());
                    return new FieldExpression(field);
                case TokenKind.Identifier when IsPunctuation("(", 1):
                    position += 2;
                    return ParseCall(token.Text);
                default:
                    throw new PrintFormatException($"cannot evaluate '{token.Text}'");
            }
        }

        private EventField Field(string name) =>
            format.Field(name) ?? throw new PrintFormatException($"no field '{name}'");

        private EventField FieldArgument()
        {
            // __get_str(name) and friends take a bare field name; some kernels write REC->name.
            if (Peek().Text == "REC") { position++; Expect("->"); }
            return Field(ExpectIdentifier());
        }

        private PrintExpression ParseCall(string function)
        {
            PrintExpression result;
            switch (function)
            {
                case "sizeof":
                    {
                        // sizeof(type): the array element sizes of __print_array and friends.
                        var words = new List<string>();
                        var pointer = false;
                        while (!IsPunctuation(")") && !AtEnd)
                        {
                            var word = Peek();
                            if (word.Text == "*") pointer = true;
                            else if (word.Kind != TokenKind.Identifier || !TypeWords.Contains(word.Text)) throw new PrintFormatException($"cannot evaluate sizeof({word.Text})");
                            else words.Add(word.Text);
                            position++;
                        }
                        result = new ConstantExpression(PrintValue.Of(pointer ? 8 : CastType(words).Size));
                        break;
                    }
                case "__get_bitmask" or "__get_rel_bitmask" or "__get_cpumask" or "__get_rel_cpumask":
                    result = new BitmapExpression(FieldArgument(), null, asList: false);
                    break;
                case "__get_str" or "__get_rel_str":
                    result = new StringFieldExpression(FieldArgument());
                    break;
                case "__get_dynamic_array_len" or "__get_rel_dynamic_array_len":
                    result = new DynamicLengthExpression(FieldArgument());
                    break;
                case "__print_flags" or "__print_symbolic" or "__print_flags_u64" or "__print_symbolic_u64":
                    {
                        var value = ParseExpression();
                        string? delimiter = null;
                        Expect(",");
                        if (function.StartsWith("__print_flags", StringComparison.Ordinal))
                        {
                            delimiter = ExpectString();
                            if (IsPunctuation(",")) position++;
                        }
                        var table = new List<(long, string)>();
                        while (IsPunctuation("{"))
                        {
                            position++;
                            var key = ParseExpression();
                            Expect(",");
                            var name = TableName();
                            Expect("}");
                            if (key is not ConstantExpression { Value.IsText: false } constant) throw new PrintFormatException("non-constant flag value");
                            if (name is not null) table.Add((constant.Value.Integer, name));
                            if (IsPunctuation(",")) position++;
                        }
                        result = new FlagsExpression(value, delimiter, table);
                        break;
                    }
                case "__print_hex" or "__print_hex_str":
                    {
                        var field = ArrayFieldArgument();
                        Expect(",");
                        result = new HexBytesExpression(field, ParseExpression());
                        break;
                    }
                case "__print_array":
                    {
                        var field = ArrayFieldArgument();
                        Expect(",");
                        ParseExpression();
                        Expect(",");
                        ParseExpression();
                        result = new ArrayExpression(field);
                        break;
                    }
                default:
                    throw new PrintFormatException($"cannot evaluate {function}()");
            }
            Expect(")");
            return result;
        }

        /// <summary>
        /// The name of a flag or symbol table entry: a string; a macro the kernel left unexpanded, shown
        /// by its own name; or NULL (<c>0</c>, <c>((void *)0)</c>), which ends the table and names nothing.
        /// </summary>
        private string? TableName()
        {
            if (Peek().Kind == TokenKind.String) return ExpectString();
            if (Peek().Kind == TokenKind.Identifier && IsPunctuation("}", 1)) return ExpectIdentifier();
            if (ParseExpression() is ConstantExpression { Value: { IsText: false, Integer: 0 } }) return null;
            throw new PrintFormatException("a table entry's name is not a string");
        }

        /// <summary>The array of __print_hex/__print_array: __get_dynamic_array(f) or REC->f.</summary>
        private EventField ArrayFieldArgument()
        {
            if (Peek().Text is "__get_dynamic_array" or "__get_rel_dynamic_array")
            {
                position++;
                Expect("(");
                var f = FieldArgument();
                Expect(")");
                return f;
            }
            if (Peek().Text == "REC") { position++; Expect("->"); return Field(ExpectIdentifier()); }
            throw new PrintFormatException("expected an array field");
        }
    }
}

/// <summary>A print fmt that the compiler does not evaluate (internal: it only selects the field=value fallback).</summary>
public sealed class PrintFormatException(string message) : FormatException(message);
