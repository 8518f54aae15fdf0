using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Ftrace;

/// <summary>A dynamic event made by `probe -a` named as a tracepoint in a script: a clear error pointing at the probe, not a raw EINVAL.</summary>
[Collection(FtraceKernelCollection.Name)]
public sealed class ProbeFromLanguageTests
{
    [Fact]
    public void DynamicEventAsTracepointIsAClearScriptError()
    {
        Require.Root();
        var binary = NativeProgram.Build("opens");
        var add = SharptraceBinary.Run("probe", "-x", binary, "-a", "probe_target x=%di:s64");
        Assert.True(add.ExitCode == 0, add.ToString());
        try
        {
            var run = SharptraceBinary.Run("-e", "tracepoint:sharptrace:probe_target { @c = count(); }");
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith("stdin:1:1: error: sharptrace:probe_target is a kprobe/uprobe dynamic event", run.StdErr);
            Assert.Contains("^~~~", run.StdErr);
        }
        finally
        {
            var delete = SharptraceBinary.Run("probe", "-d", "sharptrace:probe_target");
            Assert.True(delete.ExitCode == 0, delete.ToString());
        }
    }
}
