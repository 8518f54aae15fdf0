using System.Text.Json;
using Sharptrace.Kernel;
using Sharptrace.Tests.Support;
using Sharptrace.Tracing.DynamicEvents;

namespace Sharptrace.Tests.Ftrace;

/// <summary>`sharptrace probe` uprobes on the host: a gcc-built function with known arguments, fetched by registers, memory and $retval.</summary>
[Collection(FtraceKernelCollection.Name)]
public sealed class ProbeHostTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sharptrace-probe-").FullName;

    public void Dispose()
    {
        if (Syscall.IsRoot) SharptraceBinary.Run("probe", "-d", "sharptrace:*");
        Directory.Delete(directory, recursive: true);
        var root = TraceFs.FindMounted();
        if (root is not null)
            Assert.DoesNotContain("sharptrace/", File.ReadAllText(Path.Combine(root, "uprobe_events")));
    }

    [Fact]
    public void UprobeAndUretprobeFetchArgumentsAndReturnValues()
    {
        Require.Root();
        var target = NativeProgram.Build("ftrace_target", "-O1 -fno-omit-frame-pointer -fno-inline");
        var add = SharptraceBinary.Run("probe", "-x", target, "-a", "probe_me index=%di:s32 scaled=%si:s64 word=+0(%dx):string", "-a", "probe_me%return ret=$retval:s64");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("sharptrace:probe_me", add.StdOut);
        var list = SharptraceBinary.Run("probe", "-l");
        Assert.Contains("p:sharptrace/probe_me ", list.StdOut);
        Assert.Contains("r:sharptrace/probe_me__return ", list.StdOut);

        var output = Path.Combine(directory, "trace.dat");
        var record = ProcessRunner.Run(SharptraceBinary.Path, ["ftrace", "record", "-q", "-e", "sharptrace:probe_me", "-e", "sharptrace:probe_me__return", "-o", output, "--", target, "5"], TimeSpan.FromSeconds(60));
        Assert.True(record.ExitCode == 0, record.ToString());
        var json = SharptraceBinary.Run("ftrace", "report", "-i", output, "--json");
        using var document = JsonDocument.Parse(json.StdOut);
        var events = document.RootElement.GetProperty("events").EnumerateArray().ToList();
        var entries = events.Where(e => e.GetProperty("event").GetString() == "probe_me").Select(e => e.GetProperty("fields")).ToList();
        Assert.Equal([0L, 1, 2, 3, 4], entries.Select(f => f.GetProperty("index").GetInt64()));
        Assert.Equal([0L, 1000, 2000, 3000, 4000], entries.Select(f => f.GetProperty("scaled").GetInt64()));
        Assert.All(entries, f => Assert.Equal("sharp", f.GetProperty("word").GetString()));
        var returns = events.Where(e => e.GetProperty("event").GetString() == "probe_me__return").Select(e => e.GetProperty("fields").GetProperty("ret").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => i + i * 1000L + 's'), returns);

        var text = SharptraceBinary.Run("ftrace", "report", "-i", output);
        Assert.Contains("word=\"sharp\"", text.StdOut);

        var delete = SharptraceBinary.Run("probe", "-d", "probe_me*");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains("Removed event: sharptrace:probe_me__return", delete.StdOut);
    }

    [Fact]
    public void BadProbesAreOneClearLine()
    {
        Require.Root();
        var target = NativeProgram.Build("ftrace_target", "-O1 -fno-omit-frame-pointer -fno-inline");
        var missing = SharptraceBinary.Run("probe", "-x", target, "-a", "no_such_function");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no_such_function", missing.StdErr);
        var badArg = SharptraceBinary.Run("probe", "-x", target, "-a", "probe_me x=%nosuchreg");
        Assert.Equal(1, badArg.ExitCode);
        Assert.Contains("rejected", badArg.StdErr);
        var noKprobes = SharptraceBinary.Run("probe", "-a", "do_sys_openat2");
        if (!File.Exists(Path.Combine(TraceFs.Root, "kprobe_events")))
        {
            Assert.Equal(1, noKprobes.ExitCode);
            Assert.Contains("CONFIG_KPROBE_EVENTS", noKprobes.StdErr);
        }
        var none = SharptraceBinary.Run("probe", "-d", "nothing_here");
        Assert.Equal(1, none.ExitCode);
        Assert.DoesNotContain("   at ", missing.StdErr + badArg.StdErr + noKprobes.StdErr + none.StdErr);
    }
}

public sealed class ProbeDefinitionTests
{
    private static ulong FakeOffset(string path, string function) => function == "malloc" ? 0x9a0d0UL : throw new ArgumentException($"no {function} in {path}");

    [Theory]
    [InlineData("do_sys_openat2 dfd=%di filename=+0(%si):string", null, "p:sharptrace/do_sys_openat2 do_sys_openat2 dfd=%di filename=+0(%si):string")]
    [InlineData("do_sys_openat2%return ret=$retval", null, "r:sharptrace/do_sys_openat2__return do_sys_openat2 ret=$retval")]
    [InlineData("opens=do_sys_openat2+4 $arg1", null, "p:sharptrace/opens do_sys_openat2+4 $arg1")]
    [InlineData("r:myret vfs_read $retval", null, "r:sharptrace/myret vfs_read $retval")]
    [InlineData("p vfs_read", null, "p:sharptrace/vfs_read vfs_read")]
    [InlineData("malloc size=%di", "/lib/libc.so.6", "p:sharptrace/malloc /lib/libc.so.6:0x9a0d0 size=%di")]
    [InlineData("malloc%return ret=$retval", "/lib/libc.so.6", "r:sharptrace/malloc__return /lib/libc.so.6:0x9a0d0 ret=$retval")]
    [InlineData("/bin/x:0x1234 a=%ax:u32", null, "p:sharptrace/_0x1234 /bin/x:0x1234 a=%ax:u32")]
    public void ParsesPerfProbeAndKprobeEventsSyntax(string spec, string? binary, string kernel)
    {
        Assert.Equal(kernel, ProbeDefinition.Parse(spec, binary, FakeOffset).ToKernelSyntax());
    }

    [Theory]
    [InlineData("p:other/x vfs_read", "group")]
    [InlineData("", "empty")]
    [InlineData("bad-name=vfs_read", "not a valid event name")]
    [InlineData("r:", "no probe location")]
    public void RejectsBadDefinitions(string spec, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ProbeDefinition.Parse(spec, null, FakeOffset));
        Assert.Contains(message, e.Message);
    }
}
