using Sharptrace.Kernel;

namespace Sharptrace.Tests.Kernel;

/// <summary>The shared held-command launcher: held before its exec, SIGPIPE at its default, our environment in our order, exit codes.</summary>
public sealed class HeldCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sharptrace-held-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void TheCommandWaitsForResumeThenRunsWithDefaultSigpipe()
    {
        var marker = Path.Combine(directory, "ran");
        var status = Path.Combine(directory, "status");
        using var command = HeldCommand.Start(["/bin/sh", "-c", $"touch {marker}; grep -E '^Sig(Ign|Blk)' /proc/self/status > {status}"]);
        Thread.Sleep(100);
        Assert.False(File.Exists(marker)); // held: not a single instruction of the command yet
        Assert.Equal('T', File.ReadAllText($"/proc/{command.Pid}/stat").Split(") ")[1][0]);
        command.Resume();
        Assert.Equal(0, command.WaitForExit());
        Assert.True(File.Exists(marker));

        // The runtime ignores SIGPIPE (bit 12 of SigIgn); the command gets it at its default, and nothing blocked.
        static ulong Mask(IEnumerable<string> lines, string name) =>
            Convert.ToUInt64(lines.Single(l => l.StartsWith(name + ":")).Split('\t')[1], 16);
        const ulong sigpipe = 1UL << 12;
        Assert.NotEqual(0UL, Mask(File.ReadAllLines("/proc/self/status"), "SigIgn") & sigpipe);
        Assert.Equal(0UL, Mask(File.ReadAllLines(status), "SigIgn") & sigpipe);
        Assert.Equal(0UL, Mask(File.ReadAllLines(status), "SigBlk"));
    }

    [Fact]
    public void ASelfStoppingLauncherHandsOnOurEnvironmentInOurOrder()
    {
        // (Through /bin/sh the command sees the shell's re-export of the environment, in the shell's order.)
        var launcher = Support.NativeProgram.Build("held_launcher");
        var environment = Path.Combine(directory, "environ");
        using var command = HeldCommand.StartSelfStopping(launcher, ["held_launcher", "/bin/sh", "my-sh", "-c", $"tr '\\0' '\\n' < /proc/$$/environ > {environment}; echo $0 > {environment}.name"]);
        command.Resume();
        Assert.Equal(0, command.WaitForExit());
        Assert.Equal("my-sh", File.ReadAllText(environment + ".name").Trim());
        var ours = File.ReadAllText("/proc/self/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(e => e[..e.IndexOf('=')]).ToList();
        var theirs = File.ReadAllLines(environment).Where(l => l.Contains('=')).Select(l => l[..l.IndexOf('=')]).ToList();
        Assert.True(ours.Count > 5);
        Assert.Equal(ours.Where(theirs.Contains), theirs.Where(ours.Contains));
    }

    [Fact]
    public void ExitCodesSignalsAndMissingCommands()
    {
        using (var exits = HeldCommand.Start(["/bin/sh", "-c", "exit 3"]))
        {
            Assert.False(exits.HasExited);
            exits.Resume();
            Assert.True(exits.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.Equal(3, exits.ExitCode);
        }
        using (var killed = HeldCommand.Start(["sleep", "30"]))
        {
            Assert.Equal("sleep 30", killed.CommandLine);
            killed.Resume();
            Thread.Sleep(50);
            System.Diagnostics.Process.Start("kill", ["-TERM", killed.Pid.ToString()])!.WaitForExit();
            Assert.Equal(128 + 15, killed.WaitForExit());
        }
        var missing = Assert.Throws<ArgumentException>(() => HeldCommand.Start(["no-such-command-xyz"]));
        Assert.Equal("command 'no-such-command-xyz' not found", missing.Message);
        var pipe = HeldCommand.Start(["/bin/sh", "-c", "yes | head -1 >/dev/null"]);
        pipe.Resume();
        Assert.True(pipe.WaitForExit(TimeSpan.FromSeconds(10)), "yes must die of SIGPIPE once head has gone");
        Assert.Equal(0, pipe.ExitCode);
        pipe.Dispose();
    }

    [Fact]
    public void DisposeKillsAHeldOrRunningCommandAndWhatItStarted()
    {
        var command = HeldCommand.Start(["/bin/sh", "-c", "sleep 30 & sleep 30; wait"]);
        command.Resume();
        Thread.Sleep(200);
        var children = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
            .Where(p => int.TryParse(p, out _) && ParentOf(p!) == command.Pid.ToString()).Select(int.Parse!).ToList();
        Assert.Equal(2, children.Count);
        command.Dispose();
        Assert.True(command.HasExited);
        Thread.Sleep(100);
        Assert.All(children, c => Assert.False(StateOf(c.ToString()) is { } state && state != 'Z', $"child {c} survived"));
    }

    /// <summary>The stat line of a process, null when it is gone (other processes come and go while /proc is listed).</summary>
    private static string[]? Stat(string pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' '); }
        catch (IOException) { return null; }
    }

    private static string? ParentOf(string pid) => Stat(pid)?[1];

    private static char? StateOf(string pid) => Stat(pid)?[0][0];
}
