using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// Structs defined in the script, laid out with C's alignment rules and read through casts, on
/// Native/structs.c whose take() gets pointers to the same structs: the values, and the output
/// compared with bpftrace 0.17's on the same binary.
/// </summary>
public class StructDefinitionTests
{
    private const string Definitions = "struct foo { int a; char name[16]; unsigned long b; short c; };\nstruct bar { char tag; struct foo inner; int tail[3]; };\n";

    private static ProcessResult Run(string tool, params string[] arguments) => ProcessRunner.Run(tool, arguments, TimeSpan.FromSeconds(30));

    [Fact]
    public void FieldsReadThroughCastsMatchTheCProgramAndBpftrace()
    {
        Require.Root();
        var binary = NativeProgram.Build("structs");
        var script = Path.Combine(Path.GetTempPath(), $"sharptrace-structs-{Guid.NewGuid():N}.bt");
        File.WriteAllText(script, Definitions + $$"""
            uprobe:{{binary}}:take
            {
              $f = (struct foo *)arg0;
              $b = (struct bar *)arg1;
              printf("%d %s %lx %d\n", $f->a, $f->name, $f->b, $f->c);
              printf("%c %d %s %d %d\n", $b->tag, $b->inner.a, $b->inner.name, $b->inner.c, $b->tail[2]);
              @names[$f->name, $b->inner.name] = count();
            }
            """);
        try
        {
            var ours = Run(SharptraceBinary.Path, "-c", binary, script);
            Assert.True(ours.ExitCode == 0, ours.ToString());
            Assert.Equal("Attaching 1 probe...\n-42 sharptrace 1122334455667788 -7\nx 7 inner 3 30\n\n\n@names[sharptrace, inner]: 1\n", ours.StdOut);
            if (File.Exists("/usr/bin/bpftrace")) Assert.Equal(Run("/usr/bin/bpftrace", "-c", binary, script).StdOut, ours.StdOut);
        }
        finally { File.Delete(script); }
    }

    /// <summary>sizeof as gcc lays the structs out (padding after char and short, 8-byte alignment from the u64).</summary>
    [Fact]
    public void SizesFollowCAlignment()
    {
        Require.Root();
        var result = Run(SharptraceBinary.Path, "-e", Definitions + "struct pad { char c; short s; char d; }; BEGIN { printf(\"%d %d %d\\n\", sizeof(struct foo), sizeof(struct bar), sizeof(struct pad)); exit(); }");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Attaching 1 probe...\n40 64 6\n\n\n", result.StdOut);
    }

    [Theory]
    [InlineData("struct a { struct nosuch x; }; BEGIN { exit(); }", "unknown type 'struct nosuch'")]
    [InlineData("struct a { int x; long x; }; BEGIN { exit(); }", "struct a has two fields named 'x'")]
    [InlineData("struct a { int x; }; BEGIN { $p = (struct a *)0; printf(\"%d\\n\", $p->y); }", "'struct a' has no field named 'y'")]
    [InlineData("struct a { int x; }; BEGIN { $p = (struct a *)0; printf(\"%d\\n\", $p.x); }", "is a pointer: use '->'")]
    public void ErrorsPointAtTheDefinitionOrTheAccess(string program, string message)
    {
        var result = Run(SharptraceBinary.Path, "-e", program);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StdErr);
        Assert.StartsWith("stdin:1:", result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
    }
}
