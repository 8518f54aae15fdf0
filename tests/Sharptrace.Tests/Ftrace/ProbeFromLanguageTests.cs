using System.Text.Json;
using Sharptrace.Kernel;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Ftrace;

/// <summary>
/// A uprobe event made by `probe -a`, named as tracepoint:sharptrace:X in a script: args.NAME are its
/// fetch args recomputed in BPF, equal to what the probed function received and to what the kernel
/// itself records for `ftrace record -e sharptrace:X`.
/// </summary>
[Collection(FtraceKernelCollection.Name)]
public sealed class ProbeFromLanguageTests : IDisposable
{
    private const string Arguments = "probe_me index=%di:s32 scaled=%si:s64 word=+0(%dx):string first=+0(%dx):u8 second=+1(%dx):b4@0/8 self=$comm";
    private const string Script = """
        tracepoint:sharptrace:probe_me { printf("%d %d %s %d %d %s\n", args.index, args->scaled, args.word, args.first, args.second, args.self); }
        tracepoint:sharptrace:probe_me__return { printf("ret %d\n", args.ret); }
        """;

    private readonly string directory = Directory.CreateTempSubdirectory("sharptrace-probe-lang-").FullName;

    public void Dispose()
    {
        if (Syscall.IsRoot) SharptraceBinary.Run("probe", "-d", "probe_me*");
        Directory.Delete(directory, recursive: true);
    }

    private static string AddProbes()
    {
        var target = NativeProgram.Build("ftrace_target", "-O1 -fno-omit-frame-pointer -fno-inline");
        var add = SharptraceBinary.Run("probe", "-x", target, "-a", Arguments, "-a", "probe_me%return ret=$retval:s64");
        Assert.True(add.ExitCode == 0, add.ToString());
        return target;
    }

    [Fact]
    public void ScriptArgsAreTheValuesTheFunctionGotAndWhatFtraceRecords()
    {
        Require.Root();
        var target = AddProbes();
        var run = ProcessRunner.Run(SharptraceBinary.Path, ["-c", $"{target} 4", "-e", Script], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.ToString());
        var comm = Path.GetFileName(target)[..15];
        // ftrace_target calls probe_me(i, i * 1000, "sharp") and returns i + i * 1000 + 's'; 'h' is 0x68.
        var expected = Enumerable.Range(0, 4).SelectMany(i => new[] { $"{i} {i * 1000} sharp {(int)'s'} 8 {comm}", $"ret {i + i * 1000 + 's'}" });
        Assert.Equal(expected, run.StdOut.Split('\n').Where(l => l.StartsWith("ret ") || char.IsAsciiDigit(l.FirstOrDefault())).Where(l => !l.StartsWith("done")));

        // The kernel's own record of the same events, field by field.
        var output = Path.Combine(directory, "trace.dat");
        var record = ProcessRunner.Run(SharptraceBinary.Path, ["ftrace", "record", "-q", "-e", "sharptrace:probe_me", "-e", "sharptrace:probe_me__return", "-o", output, "--", target, "4"], TimeSpan.FromSeconds(60));
        Assert.True(record.ExitCode == 0, record.ToString());
        using var document = JsonDocument.Parse(SharptraceBinary.Run("ftrace", "report", "-i", output, "--json").StdOut);
        var kernel = document.RootElement.GetProperty("events").EnumerateArray().Select(e =>
        {
            var f = e.GetProperty("fields");
            return e.GetProperty("event").GetString() == "probe_me"
                ? $"{f.GetProperty("index").GetInt64()} {f.GetProperty("scaled").GetInt64()} {f.GetProperty("word").GetString()} {f.GetProperty("first").GetInt64()} {f.GetProperty("second").GetInt64()} {f.GetProperty("self").GetString()}"
                : $"ret {f.GetProperty("ret").GetInt64()}";
        });
        Assert.Equal(expected, kernel);
    }

    [Fact]
    public void ListShowsTheArgsAndUnreadableArgsAreAClearError()
    {
        Require.Root();
        var target = AddProbes();
        var list = SharptraceBinary.Run("-lv", "tracepoint:sharptrace:probe_me*");
        Assert.Equal("tracepoint:sharptrace:probe_me\n    s32 index\n    s64 scaled\n    string word\n    u8 first\n    b4@0/8 second\n    string self\n"
            + "tracepoint:sharptrace:probe_me__return\n    s64 ret\n", list.StdOut);

        var missing = SharptraceBinary.Run("-e", "tracepoint:sharptrace:probe_me { print(args.nope); }");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("stdin:1:40: error: sharptrace:probe_me has no argument 'nope' (it has: index, scaled, word, first, second, self)", missing.StdErr);

        var array = SharptraceBinary.Run("probe", "-x", target, "-a", "probe_me_array=probe_me letters=+0(%dx):u8[3]");
        Assert.True(array.ExitCode == 0, array.ToString());
        var unreadable = SharptraceBinary.Run("-e", "tracepoint:sharptrace:probe_me_array { print(args.letters); }");
        Assert.Equal(1, unreadable.ExitCode);
        Assert.StartsWith("stdin:1:46: error: argument 'letters' (+0(%dx):u8[3]) cannot be read by a script: arrays (u8[3]) are not supported", unreadable.StdErr);
        Assert.Contains("^~~~", unreadable.StdErr);
        Assert.DoesNotContain("   at ", missing.StdErr + unreadable.StdErr);
    }
}
