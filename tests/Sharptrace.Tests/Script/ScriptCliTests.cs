using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>The root command as users meet it: ./sharptrace -e, -d, -l, -o, errors and their exit codes.</summary>
public class ScriptCliTests
{
    private static ProcessResult Run(params string[] arguments) => ProcessRunner.Run(SharptraceBinary.Path, arguments, TimeSpan.FromSeconds(30));

    [Fact]
    public void HelloWorld()
    {
        Require.Root();
        var result = Run("-e", "BEGIN { printf(\"hello %d\\n\", 42); exit(); }");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Attaching 1 probe...\nhello 42\n\n\n", result.StdOut);
    }

    [Fact]
    public void ScriptFileWithPositionalParameters()
    {
        Require.Root();
        var file = Path.Combine(Path.GetTempPath(), $"sharptrace-{Guid.NewGuid():N}.bt");
        File.WriteAllText(file, "BEGIN { printf(\"%d %s %d\\n\", $1, str($2), $#); exit(); }\n");
        try
        {
            var result = Run(file, "5", "word");
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("5 word 2\n", result.StdOut);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void ErrorsAreRenderedAgainstTheSourceWithoutAStackTrace()
    {
        var result = Run("-e", "BEGIN { @x = nope(); }");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("stdin:1:14: error: unknown function: 'nope'\nBEGIN { @x = nope(); }\n             ^~~~\n", result.StdErr);
        Assert.Equal("", result.StdOut);
    }

    [Fact]
    public void UprobeOnADeviceFileIsAnErrorNotAnEndlessRead()
    {
        // /dev/zero was read forever as an ELF file (found by script-fuzz with the real providers).
        var result = Run("-d", "-e", "uprobe:/dev/zero:main { }");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("stdin:1:1: error: /dev/zero: not a usable ELF binary: empty, or not a regular file\nuprobe:/dev/zero:main { }\n^~~~~~~~~~~~~~~~~~~~~\n", result.StdErr);
    }

    [Fact]
    public void VerifierRejectionPointsAtTheScriptLine()
    {
        Require.Root();
        var result = Run("-e", "BEGIN {\n  $i = 0;\n  while ($i >= 0) { $i = $i | 1; }\n}");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("stdin:3:10: error: the kernel verifier rejected the code for BEGIN: infinite loop detected", result.StdErr);
        Assert.Contains("  while ($i >= 0) { $i = $i | 1; }\n", result.StdErr);
    }

    [Fact]
    public void DebugDumpsAnnotatedBytecodeWithoutRunning()
    {
        var result = Run("-d", "-e", "kprobe:do_nanosleep { @[comm] = count(); }");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("; kprobe:do_nanosleep:", result.StdOut);
        Assert.Contains("; stdin:1:23: kprobe:do_nanosleep { @[comm] = count(); }", result.StdOut);
        Assert.Contains("call", result.StdOut);
    }

    [Fact]
    public void ListsTracepointsWithArguments()
    {
        Require.Root();
        var result = Run("-lv", "tracepoint:syscalls:sys_enter_openat");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("tracepoint:syscalls:sys_enter_openat", result.StdOut.Split('\n')[0]);
        Assert.Contains("    const char * filename\n", result.StdOut);
        var wildcard = Run("-l", "tracepoint:syscalls:sys_enter_open*");
        Assert.Contains("tracepoint:syscalls:sys_enter_openat\n", wildcard.StdOut);
    }

    [Fact]
    public void OutputFileAndQuiet()
    {
        Require.Root();
        var file = Path.Combine(Path.GetTempPath(), $"sharptrace-{Guid.NewGuid():N}.txt");
        try
        {
            var result = Run("-q", "-o", file, "-e", "BEGIN { printf(\"to file\\n\"); @x = 1; exit(); }");
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("to file\n\n\n@x: 1\n", File.ReadAllText(file));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void SigtermPrintsTheMapsAndDetaches()
    {
        Require.Root();
        // SIGTERM: a non-interactive shell starts background jobs with SIGINT ignored.
        var result = ProcessRunner.Shell($"{SharptraceBinary.Path} -e 'interval:ms:10 {{ @ticks = count(); }}' & pid=$!; sleep 1; kill -TERM $pid; wait $pid", TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"@ticks: \d+\n", result.StdOut);
    }

    [Fact]
    public void NothingCountsAfterExit()
    {
        Require.Root();
        // A syscall-heavy child keeps the probe firing while user space wakes up and detaches: only
        // probes already inside the body when exit() ran (one per other CPU) may still count.
        var result = Run("-c", "/usr/bin/dd if=/dev/zero of=/dev/null bs=1 count=3000000",
            "-e", "tracepoint:raw_syscalls:sys_enter { @calls++; if (@calls == 1000) { exit(); } }");
        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = long.Parse(System.Text.RegularExpressions.Regex.Match(result.StdOut, @"@calls: (\d+)").Groups[1].Value);
        Assert.InRange(calls, 1000, 1000 + Environment.ProcessorCount - 1);
    }

    [Fact]
    public void OtherCommandsStillWork()
    {
        var help = Run("--help");
        Assert.Contains("features", help.StdOut);
        Assert.Contains("-e", help.StdOut);
    }
}
