using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Cli;

public class BasicCommandTests
{
    [Fact]
    public void VersionAndHelp()
    {
        var version = SharptraceBinary.Run("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.StdOut);
        var help = SharptraceBinary.Run("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("features", help.StdOut);
    }

    [Fact]
    public void FeaturesProbesThisKernel()
    {
        Require.Root();
        var result = SharptraceBinary.Run("features");
        Assert.True(result.ExitCode == 0, result.ToString());
        // The host kernel has these for certain (see DESIGN.md), and lacks kprobes.
        Assert.Matches(@"map types: .*\bringbuf\b", result.StdOut);
        Assert.Matches(@"program types: .*\btracepoint\b", result.StdOut);
        Assert.Matches(@"helpers: .*\bget_stack\b", result.StdOut);
        Assert.Matches(@"attach: .*\buprobe\b", result.StdOut);
        var kprobePmu = Directory.Exists("/sys/bus/event_source/devices/kprobe");
        Assert.Equal(!kprobePmu, result.StdOut.Contains("missing: kprobe", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all", "run as root")]
    [InlineData("capsh --drop=cap_sys_admin,cap_bpf,cap_perfmon --", "capabilities were dropped")]
    public void UnprivilegedRunSaysWhichCapabilityIsMissing(string dropPrivileges, string advice)
    {
        Require.Root();
        var binary = SharptraceBinary.Path;
        var command = dropPrivileges.StartsWith("capsh", StringComparison.Ordinal) ? $"{dropPrivileges} -c '{binary} features'" : $"{dropPrivileges} {binary} features";
        var result = ProcessRunner.Shell(command);
        Assert.NotEqual(0, result.ExitCode);
        var errorLines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(errorLines);
        Assert.Matches(@"^sharptrace: .*CAP_BPF", errorLines[0]);
        Assert.Contains(advice, errorLines[0]);
        Assert.DoesNotContain("   at ", result.StdErr);
    }
}
