using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Syntax;

namespace Sharptrace.Tests.Script;

public class LexerTests
{
    private static List<Token> Lex(string text)
    {
        var lexer = new Lexer(new SourceText("t", text));
        var tokens = new List<Token>();
        while (true)
        {
            var token = lexer.Next();
            if (token.Kind == TokenKind.End) return tokens;
            tokens.Add(token);
        }
    }

    [Theory]
    [InlineData("42", 42UL)]
    [InlineData("0x1F", 31UL)]
    [InlineData("010", 8UL)]
    [InlineData("1_000_000", 1000000UL)]
    [InlineData("5u", 5UL)]
    [InlineData("7ULL", 7UL)]
    [InlineData("1e6", 1000000UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void IntegerLiterals(string text, ulong value)
    {
        var token = Assert.Single(Lex(text));
        Assert.Equal(TokenKind.Integer, token.Kind);
        Assert.Equal(value, token.Value);
    }

    [Theory]
    [InlineData("09")]
    [InlineData("0xZZ")]
    [InlineData("18446744073709551616")]
    [InlineData("1e30")]
    public void BadIntegersAreErrors(string text)
    {
        var e = Assert.Throws<ScriptException>(() => Lex(text));
        Assert.Contains("invalid integer literal", e.Message);
    }

    [Fact]
    public void StringEscapes()
    {
        var token = Assert.Single(Lex("\"a\\n\\t\\\"\\\\\\x41\\101\\0\""));
        Assert.Equal("a\n\t\"\\AA\0", token.Text);
    }

    [Theory]
    [InlineData("\"abc", "unterminated string")]
    [InlineData("\"\\q\"", "invalid escape sequence")]
    [InlineData("/* x", "unterminated comment")]
    [InlineData("`", "unexpected character")]
    [InlineData("'A'", "unexpected character")]
    [InlineData("$", "expected a variable name")]
    public void LexicalErrors(string text, string message)
    {
        var e = Assert.Throws<ScriptException>(() => Lex(text));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void OperatorsLongestFirst()
    {
        var kinds = Lex("<<= >>= -> ++ -- << >> <= >= == != && || += -= *= /= %= &= |= ^= < > = ! ~ ? : . ,").Select(t => t.Kind);
        Assert.Equal(
        [
            TokenKind.ShlAssign, TokenKind.ShrAssign, TokenKind.Arrow, TokenKind.PlusPlus, TokenKind.MinusMinus, TokenKind.Shl, TokenKind.Shr,
            TokenKind.LessEqual, TokenKind.GreaterEqual, TokenKind.EqualEqual, TokenKind.NotEqual, TokenKind.AndAnd, TokenKind.OrOr,
            TokenKind.PlusAssign, TokenKind.MinusAssign, TokenKind.StarAssign, TokenKind.SlashAssign, TokenKind.PercentAssign,
            TokenKind.AndAssign, TokenKind.OrAssign, TokenKind.XorAssign, TokenKind.Less, TokenKind.Greater, TokenKind.Assign,
            TokenKind.Bang, TokenKind.Tilde, TokenKind.Question, TokenKind.Colon, TokenKind.Dot, TokenKind.Comma,
        ], kinds);
    }

    [Fact]
    public void VariablesMapsPositionalsAndComments()
    {
        var tokens = Lex("$x @ @name $1 $# // comment\n /* block */ if");
        Assert.Equal([TokenKind.Variable, TokenKind.Map, TokenKind.Map, TokenKind.Positional, TokenKind.PositionalCount, TokenKind.If], tokens.Select(t => t.Kind));
        Assert.Equal("@name", tokens[2].Text);
        Assert.Equal(1UL, tokens[3].Value);
    }

    [Theory]
    [InlineData("uprobe:/bin/bash:readline /pid/", "uprobe:/bin/bash:readline")]
    [InlineData("kprobe:do_sys_open{", "kprobe:do_sys_open")]
    [InlineData("tracepoint:syscalls:sys_enter_*,", "tracepoint:syscalls:sys_enter_*")]
    [InlineData("BEGIN/1/", "BEGIN")]
    [InlineData("uprobe:\"/opt/my app\":f {", "uprobe:/opt/my app:f")]
    [InlineData("kprobe:vfs_read+16 {", "kprobe:vfs_read+16")]
    public void AttachPoints(string text, string expected)
    {
        var lexer = new Lexer(new SourceText("t", text));
        Assert.Equal(expected, lexer.NextAttachPoint().Text);
    }
}
