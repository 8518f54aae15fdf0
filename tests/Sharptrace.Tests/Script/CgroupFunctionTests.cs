using System.Globalization;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// cgroupid() and cgroup_path() on a cgroup v2 directory made for the test, with a command moved
/// into it: the ids and paths differ per machine, so the output is compared with bpftrace 0.17's
/// in the same run, and checked against the directory's inode and the cgroup builtin.
/// </summary>
public class CgroupFunctionTests
{
    private static string? Bpftrace => File.Exists("/usr/bin/bpftrace") ? "/usr/bin/bpftrace" : null;

    [Fact]
    public void CgroupIdAndPathOfAProcessInsideMatchBpftrace()
    {
        Require.Root();
        var mount = File.ReadLines("/proc/mounts").Select(l => l.Split(' ')).FirstOrDefault(f => f.Length > 2 && f[2] == "cgroup2")?[1];
        Assert.SkipWhen(mount is null, "no cgroup v2 hierarchy is mounted");
        var name = "sharptrace-test-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var directory = Path.Combine(mount!, name);
        Directory.CreateDirectory(directory);
        try
        {
            var inode = ProcessRunner.Run("stat", ["-c", "%i", directory], TimeSpan.FromSeconds(10)).StdOut.Trim();
            // The command moves itself into the cgroup, then exits there (a script file: -c splits on spaces).
            var command = Path.Combine(Path.GetTempPath(), name + ".sh");
            File.WriteAllText(command, $"echo $$ > {directory}/cgroup.procs && exec /bin/true\n");
            string[] arguments =
            [
                "-c", $"/bin/sh {command}",
                "-e", $"tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ {{ printf(\"%d %d %d\\n\", cgroup == cgroupid(\"{directory}\"), cgroupid(\"{directory}\"), cgroup); print(cgroup_path(cgroup)); printf(\"[%s]\\n\", cgroup_path(cgroup, \"uni*\")); printf(\"[%s]\\n\", cgroup_path(cgroup, \"nothing*\")); }}",
            ];
            var ours = ProcessRunner.Run(SharptraceBinary.Path, arguments, TimeSpan.FromSeconds(30));
            Assert.True(ours.ExitCode == 0, ours.ToString());
            var lines = ours.StdOut.Split('\n');
            Assert.Equal($"1 {inode} {inode}", lines[1]);
            // v1 hierarchies follow when a directory of theirs has the same inode number.
            Assert.StartsWith($"unified:/{name}", lines[2]);
            Assert.Equal($"[unified:/{name}]", lines[3]);
            Assert.Equal("[]", lines[4]);
            if (Bpftrace is not { } bpftrace) return;
            var theirs = ProcessRunner.Run(bpftrace, arguments, TimeSpan.FromSeconds(30));
            Assert.Equal(theirs.StdOut, ours.StdOut);
        }
        finally
        {
            Directory.Delete(directory);
            File.Delete(Path.Combine(Path.GetTempPath(), name + ".sh"));
        }
    }
}
