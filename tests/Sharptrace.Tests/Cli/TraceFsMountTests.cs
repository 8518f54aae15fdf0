using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Cli;

public class TraceFsMountTests
{
    [Fact]
    public void MountsTracefsWhenItIsNotMounted()
    {
        Require.Root();
        // A private mount namespace where tracefs is unmounted, as on a freshly booted machine.
        var binary = SharptraceBinary.Path;
        var result = ProcessRunner.Shell($"unshare -m sh -c 'umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug 2>/dev/null; grep -c \" tracefs \" /proc/mounts; {binary} features; grep \" tracefs \" /proc/mounts'");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n');
        Assert.Equal("0", lines[0]);
        Assert.Contains("tracefs:       /sys/kernel/tracing", result.StdOut);
        Assert.Contains("/sys/kernel/tracing tracefs", result.StdOut);
    }
}
