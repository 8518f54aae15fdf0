using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.Syntax;

/// <summary>
/// Recursive-descent parser for the whole bpftrace grammar, with C operator precedence. It stops at
/// the first error with a <see cref="ScriptException"/> that points at the offending token.
/// </summary>
internal sealed class Parser
{
    /// <summary>Names that start a cast: "(uint32)x", "(struct task_struct *)curtask".</summary>
    private static readonly HashSet<string> TypeWords =
    [
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "int", "char", "short", "long",
        "unsigned", "signed", "void", "bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "size_t",
        "pid_t", "uid_t", "gid_t", "__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64",
    ];

    private const int MaxDepth = 200;

    // Every later pass recurses once per nested block: a bound here keeps them all off the stack's end
    // (and the fuzzer found 3000-deep blocks taking seconds).
    private const int MaxBlockDepth = 100;

    // Chains build trees as deep as they are long (a + b + … is left-deep, else-if right-deep), which
    // the later passes walk recursively: the fuzzer's 200,000-term sum overflowed the stack.
    private const int MaxOperators = 500;
    private const int MaxElseIfs = 500;

    private readonly SourceText source;
    private readonly Lexer lexer;
    private readonly List<Token> lookahead = [];
    private int depth;
    private int blockDepth;
    private int operators; // binary and postfix operators in the current top-level expression

    private Parser(SourceText source)
    {
        this.source = source;
        lexer = new Lexer(source);
    }

    /// <summary>Parses a whole script; errors surface as <see cref="ScriptException"/>.</summary>
    public static ScriptProgram Parse(SourceText source) => new Parser(source).ParseProgram();

    private ScriptProgram ParseProgram()
    {
        var structs = new List<StructDefinition>();
        var probes = new List<Probe>();
        while (true)
        {
            // A look-ahead token read in C mode past a struct definition is re-read as an attach point.
            if (lookahead.Count > 0)
            {
                lexer.Rewind(lookahead[0].Span.Start);
                lookahead.Clear();
            }
            if (lexer.AtEnd) break;
            if (StartsWithWord("struct") || StartsWithWord("union"))
            {
                if (probes.Count > 0) throw Error(Peek().Span, "struct definitions must come before the probes");
                structs.Add(ParseStructDefinition());
                continue;
            }
            probes.Add(ParseProbe());
        }
        if (probes.Count == 0) throw Error(new SourceSpan(source.Text.Length, 0), "no probes: a script needs at least one, e.g. BEGIN { printf(\"hello\\n\"); }");
        return new ScriptProgram(source, structs, probes);
    }

    private bool StartsWithWord(string word)
    {
        var at = lexer.Position;
        var text = source.Text;
        return string.CompareOrdinal(text, at, word, 0, word.Length) == 0
            && (at + word.Length >= text.Length || char.IsWhiteSpace(text[at + word.Length]));
    }

    private StructDefinition ParseStructDefinition()
    {
        var start = Take().Span;
        var name = Expect(TokenKind.Identifier, "a struct name");
        Expect(TokenKind.LeftBrace, "'{'");
        var fields = new List<(TypeName, string)>();
        while (Peek().Kind != TokenKind.RightBrace)
        {
            var type = ParseTypeName(allowArray: false) ?? throw Error(Peek().Span, $"expected a field type, found {Peek()}");
            var fieldName = Expect(TokenKind.Identifier, "a field name");
            int? length = null;
            if (Accept(TokenKind.LeftBracket))
            {
                length = (int)Math.Min(Expect(TokenKind.Integer, "an array length").Value, 1 << 20);
                Expect(TokenKind.RightBracket, "']'");
            }
            Expect(TokenKind.Semicolon, "';'");
            fields.Add((length is null ? type : new TypeName(type.Span, type.Name, type.PointerDepth, length), fieldName.Text));
        }
        var end = Take().Span;
        Accept(TokenKind.Semicolon);
        return new StructDefinition(start.To(end), name.Text, fields);
    }

    private Probe ParseProbe()
    {
        var points = new List<AttachPointNode>();
        while (true)
        {
            var point = lexer.NextAttachPoint();
            points.Add(new AttachPointNode(point.Span, point.Text));
            if (!Accept(TokenKind.Comma)) break;
        }
        Expression? predicate = null;
        if (Accept(TokenKind.Slash))
        {
            predicate = ParseExpression(stopAtSlash: true);
            Expect(TokenKind.Slash, "'/' to close the predicate");
        }
        if (Peek().Kind != TokenKind.LeftBrace)
            throw Error(Peek().Span, $"expected '{{' to start the probe's body, found {Peek()}");
        var body = ParseBlock();
        return new Probe(points[0].Span.To(body.Span), points, predicate, body);
    }

    private Block ParseBlock()
    {
        var open = Expect(TokenKind.LeftBrace, "'{'");
        if (++blockDepth > MaxBlockDepth) throw Error(open.Span, $"blocks nested too deeply (at most {MaxBlockDepth})");
        try { return ParseBlockBody(open); }
        finally { blockDepth--; }
    }

    private Block ParseBlockBody(Token open)
    {
        var statements = new List<Statement>();
        while (true)
        {
            if (Accept(TokenKind.Semicolon)) continue;
            if (Peek().Kind == TokenKind.RightBrace) break;
            if (Peek().Kind == TokenKind.End) throw Error(open.Span, "unterminated block: missing '}'");
            var statement = ParseStatement();
            statements.Add(statement);
            if (Peek().Kind == TokenKind.End) throw Error(open.Span, "unterminated block: missing '}'");
            if (statement is IfStatement or UnrollStatement or WhileStatement or Block) continue;
            if (Peek().Kind is not (TokenKind.Semicolon or TokenKind.RightBrace))
                throw Error(Peek().Span, $"expected ';' or '}}' after the statement, found {Peek()}");
        }
        var close = Take();
        return new Block(open.Span.To(close.Span), statements);
    }

    private Statement ParseStatement()
    {
        var token = Peek();
        switch (token.Kind)
        {
            case TokenKind.If: return ParseIf();
            case TokenKind.Unroll:
            {
                Take();
                Expect(TokenKind.LeftParen, "'(' after unroll");
                var count = ParseExpression();
                Expect(TokenKind.RightParen, "')'");
                var body = ParseBlock();
                return new UnrollStatement(token.Span.To(body.Span), count, body);
            }
            case TokenKind.While:
            {
                Take();
                Expect(TokenKind.LeftParen, "'(' after while");
                var condition = ParseExpression();
                Expect(TokenKind.RightParen, "')'");
                var body = ParseBlock();
                return new WhileStatement(token.Span.To(body.Span), condition, body);
            }
            case TokenKind.Break or TokenKind.Continue or TokenKind.Return:
                Take();
                return new JumpStatement(token.Span, token.Kind);
            case TokenKind.LeftBrace:
                return ParseBlock();
        }
        var expression = ParseExpression();
        var op = Peek();
        if (op.Kind is TokenKind.Assign or TokenKind.PlusAssign or TokenKind.MinusAssign or TokenKind.StarAssign or TokenKind.SlashAssign
            or TokenKind.PercentAssign or TokenKind.AndAssign or TokenKind.OrAssign or TokenKind.XorAssign or TokenKind.ShlAssign or TokenKind.ShrAssign)
        {
            if (expression is not (MapAccess or Variable))
                throw Error(expression.Span, "only a map (@name) or a variable ($name) can be assigned to");
            Take();
            var value = ParseExpression();
            return new Assignment(expression.Span.To(value.Span), expression, op.Kind == TokenKind.Assign ? null : op.Kind, value);
        }
        return new ExpressionStatement(expression);
    }

    private void CountOperator(Token token)
    {
        if (++operators > MaxOperators) throw Error(token.Span, $"expression too long (more than {MaxOperators} operators)");
    }

    private IfStatement ParseIf(int elseIfs = 0)
    {
        var start = Take();
        if (elseIfs > MaxElseIfs) throw Error(start.Span, $"too many else-if branches (more than {MaxElseIfs})");
        Expect(TokenKind.LeftParen, "'(' after if");
        var condition = ParseExpression();
        Expect(TokenKind.RightParen, "')'");
        var then = ParseBlock();
        Statement? otherwise = null;
        if (Accept(TokenKind.Else))
            otherwise = Peek().Kind == TokenKind.If ? ParseIf(elseIfs + 1) : ParseBlock();
        return new IfStatement(start.Span.To(otherwise?.Span ?? then.Span), condition, then, otherwise);
    }

    // ---- expressions, lowest precedence first ----

    private bool stopAtSlash;

    private Expression ParseExpression(bool stopAtSlash = false)
    {
        var saved = this.stopAtSlash;
        this.stopAtSlash = stopAtSlash;
        if (depth == 0) operators = 0;
        if (++depth > MaxDepth) throw Error(Peek().Span, "expression nested too deeply");
        try { return ParseTernary(); }
        finally
        {
            depth--;
            this.stopAtSlash = saved;
        }
    }

    private Expression ParseTernary()
    {
        var condition = ParseBinary(0);
        if (!Accept(TokenKind.Question)) return condition;
        var whenTrue = ParseExpression(stopAtSlash);
        Expect(TokenKind.Colon, "':' in the conditional expression");
        var whenFalse = ParseExpression(stopAtSlash);
        return new Ternary(condition.Span.To(whenFalse.Span), condition, whenTrue, whenFalse);
    }

    private static readonly TokenKind[][] BinaryLevels =
    [
        [TokenKind.OrOr], [TokenKind.AndAnd], [TokenKind.Pipe], [TokenKind.Caret], [TokenKind.Ampersand],
        [TokenKind.EqualEqual, TokenKind.NotEqual],
        [TokenKind.Less, TokenKind.LessEqual, TokenKind.Greater, TokenKind.GreaterEqual],
        [TokenKind.Shl, TokenKind.Shr], [TokenKind.Plus, TokenKind.Minus], [TokenKind.Star, TokenKind.Slash, TokenKind.Percent],
    ];

    private Expression ParseBinary(int level)
    {
        if (level == BinaryLevels.Length) return ParseUnary();
        var left = ParseBinary(level + 1);
        while (Array.IndexOf(BinaryLevels[level], Peek().Kind) >= 0 && !(stopAtSlash && Peek().Kind == TokenKind.Slash))
        {
            var op = Take();
            CountOperator(op);
            var right = ParseBinary(level + 1);
            left = new Binary(left.Span.To(right.Span), op.Kind, left, right);
        }
        return left;
    }

    private Expression ParseUnary()
    {
        if (++depth > MaxDepth) throw Error(Peek().Span, "expression nested too deeply");
        try
        {
            var token = Peek();
            switch (token.Kind)
            {
                case TokenKind.Minus or TokenKind.Bang or TokenKind.Tilde or TokenKind.Star or TokenKind.Ampersand:
                {
                    Take();
                    var operand = ParseUnary();
                    return new Unary(token.Span.To(operand.Span), token.Kind, operand);
                }
                case TokenKind.PlusPlus or TokenKind.MinusMinus:
                {
                    Take();
                    var operand = ParseUnary();
                    return new IncrementDecrement(token.Span.To(operand.Span), token.Kind == TokenKind.PlusPlus, prefix: true, operand);
                }
                case TokenKind.LeftParen when IsCastAhead():
                {
                    Take();
                    var type = ParseTypeName(allowArray: true)!;
                    Expect(TokenKind.RightParen, "')' to close the cast");
                    var operand = ParseUnary();
                    return new Cast(token.Span.To(operand.Span), type, operand);
                }
            }
            return ParsePostfix(ParsePrimary());
        }
        finally { depth--; }
    }

    private bool IsCastAhead()
    {
        var next = Peek(1);
        if (next.Kind is TokenKind.Struct or TokenKind.Union or TokenKind.Enum) return true;
        if (next.Kind != TokenKind.Identifier || !TypeWords.Contains(next.Text)) return false;
        // "(uint32)x", "(int8 *)p", "(unsigned long)x", "(uint8[4])x"; not "(pid)" — pid is no type word.
        var i = 2;
        while (Peek(i).Kind == TokenKind.Identifier && TypeWords.Contains(Peek(i).Text)) i++;
        while (Peek(i).Kind == TokenKind.Star) i++;
        if (Peek(i).Kind == TokenKind.LeftBracket) return true;
        return Peek(i).Kind == TokenKind.RightParen;
    }

    private TypeName? ParseTypeName(bool allowArray)
    {
        var start = Peek();
        string name;
        if (start.Kind is TokenKind.Struct or TokenKind.Union or TokenKind.Enum)
        {
            Take();
            name = $"{start.Text} {Expect(TokenKind.Identifier, $"a name after '{start.Text}'").Text}";
        }
        else if (start.Kind == TokenKind.Identifier)
        {
            Take();
            var words = new List<string> { start.Text };
            while (Peek().Kind == TokenKind.Identifier && TypeWords.Contains(Peek().Text) && TypeWords.Contains(words[^1])) words.Add(Take().Text);
            name = string.Join(' ', words);
        }
        else return null;
        var end = start.Span;
        var pointers = 0;
        while (Peek().Kind == TokenKind.Star)
        {
            end = Take().Span;
            pointers++;
        }
        int? length = null;
        if (allowArray && Accept(TokenKind.LeftBracket))
        {
            length = (int)Math.Min(Expect(TokenKind.Integer, "an array length").Value, 1 << 20);
            end = Expect(TokenKind.RightBracket, "']'").Span;
        }
        return new TypeName(start.Span.To(end), name, pointers, length);
    }

    private Expression ParsePostfix(Expression expression)
    {
        while (true)
        {
            var token = Peek();
            if (token.Kind is TokenKind.Dot or TokenKind.Arrow or TokenKind.LeftBracket or TokenKind.PlusPlus or TokenKind.MinusMinus) CountOperator(token);
            switch (token.Kind)
            {
                case TokenKind.Dot or TokenKind.Arrow:
                {
                    Take();
                    var field = Peek();
                    // Tuple elements are numbered: $t.0
                    if (field.Kind is not (TokenKind.Identifier or TokenKind.Integer))
                        throw Error(field.Span, $"expected a field name after '{token.Text}', found {field}");
                    Take();
                    expression = new FieldAccess(expression.Span.To(field.Span), expression, field.Text, token.Kind == TokenKind.Arrow);
                    break;
                }
                case TokenKind.LeftBracket:
                {
                    Take();
                    var index = ParseExpression();
                    var close = Expect(TokenKind.RightBracket, "']'");
                    expression = new IndexAccess(expression.Span.To(close.Span), expression, index);
                    break;
                }
                case TokenKind.PlusPlus or TokenKind.MinusMinus:
                    Take();
                    expression = new IncrementDecrement(expression.Span.To(token.Span), token.Kind == TokenKind.PlusPlus, prefix: false, expression);
                    break;
                default:
                    return expression;
            }
        }
    }

    private Expression ParsePrimary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Integer: return new IntegerLiteral(token.Span, token.Value);
            case TokenKind.String: return new StringLiteral(token.Span, token.Text);
            case TokenKind.Variable: return new Variable(token.Span, token.Text);
            case TokenKind.Positional: return new PositionalParameter(token.Span, (int)token.Value, isCount: false);
            case TokenKind.PositionalCount: return new PositionalParameter(token.Span, 0, isCount: true);
            case TokenKind.Map:
            {
                if (!Accept(TokenKind.LeftBracket)) return new MapAccess(token.Span, token.Text, []);
                var keys = new List<Expression>();
                if (Peek().Kind == TokenKind.RightBracket) throw Error(Peek().Span, "a map key cannot be empty: write @name without brackets");
                do keys.Add(ParseExpression()); while (Accept(TokenKind.Comma));
                var close = Expect(TokenKind.RightBracket, "']' to close the map key");
                return new MapAccess(token.Span.To(close.Span), token.Text, keys);
            }
            case TokenKind.Identifier:
            {
                if (Peek().Kind != TokenKind.LeftParen) return new Identifier(token.Span, token.Text);
                Take();
                var arguments = new List<Expression>();
                if (Peek().Kind != TokenKind.RightParen)
                    do arguments.Add(ParseExpression()); while (Accept(TokenKind.Comma));
                var close = Expect(TokenKind.RightParen, $"')' to close the call to {token.Text}");
                return new Call(token.Span.To(close.Span), token.Text, token.Span, arguments);
            }
            case TokenKind.Sizeof:
            {
                Expect(TokenKind.LeftParen, "'(' after sizeof");
                SizeofExpression result;
                if (Peek().Kind is TokenKind.Struct or TokenKind.Union or TokenKind.Enum
                    || (Peek().Kind == TokenKind.Identifier && TypeWords.Contains(Peek().Text)))
                    result = new SizeofExpression(token.Span, ParseTypeName(allowArray: true), null);
                else
                    result = new SizeofExpression(token.Span, null, ParseExpression());
                var close = Expect(TokenKind.RightParen, "')'");
                return new SizeofExpression(token.Span.To(close.Span), result.TypeName, result.Operand);
            }
            case TokenKind.LeftParen:
            {
                var first = ParseExpression();
                if (Accept(TokenKind.RightParen)) return first;
                if (Peek().Kind != TokenKind.Comma) throw Error(Peek().Span, $"expected ')' or ',', found {Peek()}");
                var elements = new List<Expression> { first };
                while (Accept(TokenKind.Comma)) elements.Add(ParseExpression());
                var close = Expect(TokenKind.RightParen, "')' to close the tuple");
                return new TupleExpression(token.Span.To(close.Span), elements);
            }
            case TokenKind.End:
                throw Error(token.Span, "unexpected end of input: an expression is missing");
            default:
                throw Error(token.Span, $"syntax error: unexpected {token}, expected an expression");
        }
    }

    // ---- token plumbing ----

    private Token Peek(int ahead = 0)
    {
        while (lookahead.Count <= ahead) lookahead.Add(lexer.Next());
        return lookahead[ahead];
    }

    private Token Take()
    {
        var token = Peek();
        lookahead.RemoveAt(0);
        return token;
    }

    private bool Accept(TokenKind kind)
    {
        if (Peek().Kind != kind) return false;
        Take();
        return true;
    }

    private Token Expect(TokenKind kind, string what)
    {
        var token = Peek();
        if (token.Kind != kind) throw Error(token.Span, $"syntax error: expected {what}, found {token}");
        return Take();
    }

    private static ScriptException Error(SourceSpan span, string message) => new(new Diagnostic(span, message));
}
