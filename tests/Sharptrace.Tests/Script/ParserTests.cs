using Sharptrace.Script;
using Sharptrace.Script.Syntax;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Tests.Script;

public class ParserTests
{
    private static ScriptProgram Parse(string text)
    {
        var (program, error) = ScriptCompiler.Parse(new SourceText("stdin", text));
        Assert.True(program is not null, error);
        return program;
    }

    private static Expression Expr(string text)
    {
        var probe = Assert.Single(Parse($"BEGIN {{ {text}; }}").Probes);
        return Assert.IsType<ExpressionStatement>(Assert.Single(probe.Body.Statements)).Expression;
    }

    /// <summary>Fully parenthesised rendering, to check precedence and associativity.</summary>
    private static string Show(Expression e) => e switch
    {
        IntegerLiteral i => i.Value.ToString(),
        Identifier id => id.Name,
        Variable v => v.Name,
        Binary b => $"({Show(b.Left)} {b.Operator} {Show(b.Right)})",
        Unary u => $"({u.Operator} {Show(u.Operand)})",
        Ternary t => $"({Show(t.Condition)} ? {Show(t.WhenTrue)} : {Show(t.WhenFalse)})",
        Cast c => $"(({c.TypeName}) {Show(c.Operand)})",
        FieldAccess f => $"{Show(f.Target)}{(f.Arrow ? "->" : ".")}{f.Field}",
        IndexAccess ix => $"{Show(ix.Target)}[{Show(ix.Index)}]",
        Call call => $"{call.Name}({string.Join(", ", call.Arguments.Select(Show))})",
        MapAccess m => $"{m.Name}[{string.Join(", ", m.Keys.Select(Show))}]",
        IncrementDecrement inc => inc.Prefix ? $"({(inc.Increment ? "++" : "--")} {Show(inc.Target)})" : $"({Show(inc.Target)} {(inc.Increment ? "++" : "--")})",
        TupleExpression t => $"<{string.Join(", ", t.Elements.Select(Show))}>",
        StringLiteral s => $"\"{s.Value}\"",
        _ => e.GetType().Name,
    };

    [Theory]
    [InlineData("1 + 2 * 3", "(1 Plus (2 Star 3))")]
    [InlineData("1 - 2 - 3", "((1 Minus 2) Minus 3)")]
    [InlineData("1 << 2 + 3", "(1 Shl (2 Plus 3))")]
    [InlineData("1 < 2 == 3 > 4", "((1 Less 2) EqualEqual (3 Greater 4))")]
    [InlineData("1 & 2 ^ 3 | 4", "(((1 Ampersand 2) Caret 3) Pipe 4)")]
    [InlineData("1 || 2 && 3", "(1 OrOr (2 AndAnd 3))")]
    [InlineData("1 ? 2 : 3 ? 4 : 5", "(1 ? 2 : (3 ? 4 : 5))")]
    [InlineData("-pid * !2", "((Minus pid) Star (Bang 2))")]
    [InlineData("(uint32)pid + 1", "(((uint32) pid) Plus 1)")]
    [InlineData("(struct task_struct *)curtask->pid", "((struct task_struct *) curtask->pid)")]
    [InlineData("((struct task_struct *)curtask)->pid", "((struct task_struct *) curtask)->pid")]
    [InlineData("args->filename", "args->filename")]
    [InlineData("$x++ + ++$y", "(($x PlusPlus) Plus (PlusPlus $y))")]
    [InlineData("@a[1, \"x\"]", "@a[1, \"x\"]")]
    [InlineData("str(arg0, 8)", "str(arg0, 8)")]
    [InlineData("(1, \"a\")", "<1, \"a\">")]
    [InlineData("(pid)", "pid")]
    [InlineData("*arg0", "(Star arg0)")]
    [InlineData("arg1[2]", "arg1[2]")]
    [InlineData("$t.0", "$t.0")]
    public void Precedence(string text, string expected)
    {
        Assert.Equal(expected.Replace("PlusPlus", "++").Replace("MinusMinus", "--"), Show(Expr(text)).Replace("PlusPlus", "++"));
    }

    [Fact]
    public void WholeProgram()
    {
        var program = Parse("""
            #include <linux/sched.h>
            struct Point { int x; char name[16]; }
            // comment
            BEGIN { printf("hi\n"); }
            kprobe:a, kprobe:b /pid == 1/ { @x[comm] = count(); $y += 2; if (1) { } else if (2) { } else { } }
            tracepoint:syscalls:sys_enter_* { unroll(2) { @c++; } while ($i < 3) { $i++; break; } }
            END { clear(@x); exit() }
            """);
        Assert.Equal(4, program.Probes.Count);
        Assert.Equal("Point", Assert.Single(program.Structs).Name);
        Assert.Equal(["kprobe:a", "kprobe:b"], program.Probes[1].AttachPoints.Select(a => a.Text));
        Assert.NotNull(program.Probes[1].Predicate);
        var assignment = Assert.IsType<Assignment>(program.Probes[1].Body.Statements[1]);
        Assert.Equal(TokenKind.PlusAssign, assignment.Operator);
    }

    [Theory]
    [InlineData("BEGIN { 1 + ; }", "stdin:1:13: error: syntax error: unexpected ';', expected an expression")]
    [InlineData("BEGIN { printf(\"x\") ", "stdin:1:7: error: unterminated block: missing '}'")]
    [InlineData("BEGIN { 1 = 2; }", "stdin:1:9: error: only a map (@name) or a variable ($name) can be assigned to")]
    [InlineData("", "stdin:1:1: error: no probes")]
    [InlineData("BEGIN", "stdin:1:6: error: expected '{' to start the probe's body, found end of input")]
    [InlineData("BEGIN { @x[] = 1; }", "stdin:1:12: error: a map key cannot be empty")]
    [InlineData("BEGIN { $x = 1 $y = 2; }", "stdin:1:16: error: expected ';' or '}' after the statement, found '$y'")]
    public void SyntaxErrorsPointAtTheProblem(string text, string expected)
    {
        var (_, error) = ScriptCompiler.Parse(new SourceText("stdin", text));
        Assert.NotNull(error);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void DeepNestingIsAnErrorNotAStackOverflow()
    {
        var (_, error) = ScriptCompiler.Parse(new SourceText("stdin", "BEGIN { " + new string('(', 5000) + "1" + new string(')', 5000) + "; }"));
        Assert.Contains("nested too deeply", error);
    }
}
