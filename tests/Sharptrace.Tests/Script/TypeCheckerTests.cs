using Sharptrace.Script;
using Sharptrace.Script.Probes;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax;
using Sharptrace.Script.Syntax.Ast;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tests.Script;

/// <summary>Semantic checks without a kernel: attach points resolve through a fake provider.</summary>
public class TypeCheckerTests
{
    internal static IEnumerable<ResolvedProbe> FakeResolve(AttachPointNode node) => OfflineProbes.Resolve(node);

    private static (CheckedScript? Script, string? Error) Check(string text, params string[] positionals) =>
        ScriptCompiler.Compile(new SourceText("stdin", text), positionals, FakeResolve);

    [Theory]
    [InlineData("BEGIN { @x[1] = 1; @x[\"a\"] = 2; }", "stdin:1:20: error: map @x is used with two key types: [int64] and [string[2]]")]
    [InlineData("BEGIN { @x = 1; @x[1] = 2; }", "map @x is used both with and without a key")]
    [InlineData("BEGIN { @x = count(); @x = 1; }", "type mismatch for @x: trying to assign a value of type 'int64' when the map already contains a value of type 'count'")]
    [InlineData("BEGIN { $x = \"a\"; $x = 1; }", "type mismatch for $x")]
    [InlineData("BEGIN { foo(); }", "stdin:1:9: error: unknown function: 'foo'")]
    [InlineData("BEGIN { printf(\"%d %d\\n\", 1); }", "not enough arguments")]
    [InlineData("BEGIN { printf(\"%d\\n\", 1, 2); }", "too many arguments")]
    [InlineData("BEGIN { printf(\"%d\\n\", comm); }", "%d specifier expects a value of type integer (string[16] supplied)")]
    [InlineData("BEGIN { printf(\"%s\\n\", @h); @h = hist(1); }", "hist maps cannot be read")]
    [InlineData("BEGIN { $y = $z; }", "undefined variable $z")]
    [InlineData("BEGIN { @x = hist(); }", "hist() takes 1 argument, not 0")]
    [InlineData("BEGIN { @x = lhist(1, 10, 0, 1); }", "lhist() max must be greater than min")]
    [InlineData("BEGIN { @x = count(1); }", "count() takes 0 arguments")]
    [InlineData("BEGIN { @x = sum(comm); }", "sum() only supports integer arguments (string[16] provided)")]
    [InlineData("BEGIN { print(arg0); }", "arg0 is only available in kprobe and uprobe probes")]
    [InlineData("kprobe:f { print(retval); }", "retval is only available in kretprobe and uretprobe probes")]
    [InlineData("BEGIN { x; }", "unknown identifier 'x'")]
    [InlineData("tracepoint:syscalls:sys_enter_openat { @ = args->nope; }", "tracepoint tracepoint:syscalls:sys_enter_openat has no field 'nope'")]
    [InlineData("BEGIN { break; }", "'break' outside of a loop")]
    [InlineData("BEGIN { } BEGIN { }", "stdin:1:11: error: More than one BEGIN probe defined")]
    [InlineData("BEGIN { @l = lhist(1, 0, 10, 1); @l = lhist(1, 0, 20, 1); }", "Different lhist bounds in a single map unsupported")]
    [InlineData("BEGIN { @c = count(); if (@c == 2) { } }", "Type mismatch for '==': comparing 'count' with 'int64'")]
    [InlineData("BEGIN { printf(\"%s\", str(\"abc\")); }", "str() expects an integer or a pointer type as first argument (string[4] provided)")]
    [InlineData("BEGIN { printf(\"%+d\", 1); }", "invalid format specifier")]
    [InlineData("BEGIN { @x = comm + 1; }", "Type mismatch for '+': comparing 'string[16]' with 'int64'")]
    [InlineData("BEGIN { @y = @never; }", "map @never is read but never assigned")]
    [InlineData("nope:x { }", "invalid probe type 'nope'")]
    [InlineData("interval:m:1 { }", "invalid interval unit 'm'")]
    [InlineData("profile:hz:0 { }", "invalid profile number '0'")]
    [InlineData("BEGIN { unroll(0) { } }", "unroll needs a literal count from 1 to 100")]
    public void ErrorsSayWhatIsWrong(string text, string expected)
    {
        var (script, error) = Check(text);
        Assert.Null(script);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void StringTooBigForTheStack()
    {
        var (_, error) = Check("BEGIN { $s = \"" + new string('x', 300) + "\"; }");
        Assert.Contains("string literal is too long", error);
    }

    [Fact]
    public void TypesFlowThroughMapsVariablesAndTracepointArgs()
    {
        var (script, error) = Check("""
            tracepoint:syscalls:sys_enter_openat { @files[comm, str(args->filename)] = count(); $d = args->dfd; @c[args->comm] = sum($d); }
            END { @t = (1, "x"); @s = "str"; @v = @t.0; }
            """);
        Assert.True(script is not null, error);
        Assert.Equal("(string[16],string[64])", script.Maps["@files"].Key!.ToString());
        Assert.Equal(TypeKind.Count, script.Maps["@files"].Value.Kind);
        Assert.Equal("(string[16])", script.Maps["@c"].Key!.ToString());
        Assert.Equal("(int64,string[2])", script.Maps["@t"].Value.ToString());
        Assert.Equal("string[4]", script.Maps["@s"].Value.ToString());
        Assert.True(script.Maps["@v"].Value.Signed);
    }

    [Fact]
    public void MapReadBeforeItsAssignmentInSourceOrderIsTyped()
    {
        var (script, error) = Check("END { printf(\"%d\\n\", @n); } BEGIN { @n = 5; }");
        Assert.True(script is not null, error);
        Assert.Equal(TypeKind.Integer, script.Maps["@n"].Value.Kind);
    }

    [Fact]
    public void PositionalParameters()
    {
        var (script, error) = Check("BEGIN { printf(\"%d %s %d\\n\", $1, $2, $#); }", "5", "abc");
        Assert.True(script is not null, error);
        Assert.Equal(["int64", "string[4]", "int64"], script.Printfs[0].Arguments.Select(a => a.ToString()));
    }
}
