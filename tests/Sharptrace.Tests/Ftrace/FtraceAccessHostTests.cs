using Sharptrace.Kernel;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Ftrace;

/// <summary>
/// Without privileges (setpriv to nobody) and without tracefs (a mount namespace where it is
/// unmounted): every ftrace/probe command says what is missing in one line, exits 1 and changes nothing;
/// as root in that namespace we mount tracefs ourselves.
/// </summary>
[Collection(FtraceKernelCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FtraceAccessHostTests : IDisposable
{
    private const string Nobody = "65534";
    private readonly string directory = Directory.CreateTempSubdirectory("sharptrace-access-").FullName;
    private readonly string binary;

    public FtraceAccessHostTests()
    {
        // nobody must reach the binary and write its output: a world-readable copy in a world-writable folder.
        File.SetUnixFileMode(directory, (UnixFileMode)0x1ff);
        binary = Path.Combine(directory, "sharptrace");
        File.Copy(SharptraceBinary.Path, binary);
        File.SetUnixFileMode(binary, (UnixFileMode)0x1ed);
    }

    public void Dispose()
    {
        Directory.Delete(directory, recursive: true);
        FtraceRecordHostTests.AssertNothingLeft();
    }

    private static void RequireTools()
    {
        Require.Root();
        foreach (var tool in (string[])["/usr/bin/setpriv", "/usr/bin/unshare"])
            if (!File.Exists(tool)) Assert.Skip($"{tool} (util-linux) is not installed");
    }

    public static TheoryData<string[]> TracefsCommands() => new(
        ["ftrace", "record", "-e", "sched:sched_switch", "-o", "OUT/x.dat", "--", "/bin/true"],
        ["ftrace", "stream", "-e", "sched:sched_switch", "-d", "1"],
        ["ftrace", "stat"],
        ["ftrace", "reset"],
        ["ftrace", "list", "-e", "sched:*"],
        ["ftrace", "hist", "sched:sched_switch", "keys=prev_pid"],
        ["probe", "-l"],
        ["probe", "-a", "do_sys_openat2"]);

    [Theory]
    [MemberData(nameof(TracefsCommands))]
    public void WithoutPermissionEveryCommandSaysSoInOneLine(string[] arguments)
    {
        RequireTools();
        var root = TraceFs.Root;
        var before = Directory.EnumerateDirectories(Path.Combine(root, "instances")).Count();
        var args = arguments.Select(a => a.Replace("OUT", directory, StringComparison.Ordinal)).ToArray();
        var result = ProcessRunner.Run("/usr/bin/setpriv", ["--reuid", Nobody, "--regid", Nobody, "--clear-groups", binary, .. args], TimeSpan.FromSeconds(30));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"sharptrace: permission denied on tracefs ({root}): tracing needs root (CAP_SYS_ADMIN), or tracefs opened to your user\n", result.StdErr);
        Assert.Equal("", result.StdOut);
        Assert.False(File.Exists(Path.Combine(directory, "x.dat")));
        Assert.Equal(before, Directory.EnumerateDirectories(Path.Combine(root, "instances")).Count());
    }

    [Fact]
    public void AnUnreadableTraceFileIsOneLineNamingIt()
    {
        RequireTools();
        var file = Path.Combine(directory, "private.dat");
        File.WriteAllBytes(file, [1, 2, 3]);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var result = ProcessRunner.Run("/usr/bin/setpriv", ["--reuid", Nobody, "--regid", Nobody, "--clear-groups", binary, "ftrace", "report", "-i", file], TimeSpan.FromSeconds(30));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"sharptrace: permission denied: {file}\n", result.StdErr);
    }

    [Fact]
    public void WithoutTracefsAUserIsToldToMountItAndRootMountsItItself()
    {
        RequireTools();
        // A private mount namespace: unmounting there leaves the machine's mounts alone.
        var script = $"""
            for m in /sys/kernel/debug/tracing /sys/kernel/tracing /sys/kernel/debug; do umount "$m" 2>/dev/null; done
            if grep -q tracefs /proc/mounts; then echo "still mounted"; exit 99; fi
            /usr/bin/setpriv --reuid {Nobody} --regid {Nobody} --clear-groups {binary} ftrace stat; echo "user-exit=$?"
            grep -q tracefs /proc/mounts && echo "user mounted it"
            {binary} ftrace record -q -e sched:sched_switch -o {directory}/root.dat -- /bin/true; echo "root-exit=$?"
            grep tracefs /proc/mounts
            """;
        var result = ProcessRunner.Run("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", script], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("sharptrace: tracefs is not mounted and mounting it needs root (CAP_SYS_ADMIN): run as root, or mount it with 'mount -t tracefs nodev /sys/kernel/tracing'\n", result.StdErr);
        Assert.Contains("user-exit=1\n", result.StdOut);
        Assert.DoesNotContain("user mounted it", result.StdOut);
        Assert.Contains("root-exit=0\n", result.StdOut);
        Assert.Contains("nodev /sys/kernel/tracing tracefs", result.StdOut);
        Assert.True(new FileInfo(Path.Combine(directory, "root.dat")).Length > 0);
    }
}
