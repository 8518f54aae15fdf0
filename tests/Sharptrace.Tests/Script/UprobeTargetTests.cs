using System.Diagnostics;
using System.Globalization;
using Sharptrace.Bpf.Elf;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// uprobes on Native/uprobe_target.c, compared with bpftrace 0.17: -p PID with the binary left out
/// (uprobe:FUNCTION: the process's program, named through /proc/PID/root), -lp listings, functions
/// that only a stripped binary's debug file names, and attach points naming a missing function.
/// </summary>
public class UprobeTargetTests
{
    private static readonly Lazy<string> Program = new(() => NativeProgram.Build("uprobe_target"));

    private static string? Bpftrace => File.Exists("/usr/bin/bpftrace") ? "/usr/bin/bpftrace" : null;

    private static ProcessResult Ours(params string[] arguments) => ProcessRunner.Run(SharptraceBinary.Path, arguments, TimeSpan.FromSeconds(30));

    [Fact]
    public void PidWithoutBinaryCountsAsBpftrace()
    {
        Require.Root();
        const string script = "uprobe:add { @[probe] = sum(arg0); @b = sum(arg1); } uretprobe:add { @r = sum(retval); }";
        var (ours, pid) = TraceWhileCopiesRun(SharptraceBinary.Path, script, bystander: true);
        // Only the traced copy: the other one's 100 calls are not counted.
        Assert.Equal($"Attaching 3 probes...\nattached\n\n\n@[uprobe:/proc/{pid}/root{Program.Value}:add]: 5050\n@b: 50500\n@r: 55550\n", ours);
        if (Bpftrace is not { } bpftrace) return;
        // bpftrace 0.17 attaches a -p uprobe to every process (it counts the other copy too, a
        // deviation the issue rules out): it is compared on the traced copy running alone.
        var (theirs, theirPid) = TraceWhileCopiesRun(bpftrace, script, bystander: false);
        Assert.Equal(theirs, ours.Replace($"/proc/{pid}/", $"/proc/{theirPid}/"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("uprobe:*")]
    [InlineData("uprobe:ad*")]
    [InlineData("uretprobe:add")]
    [InlineData("u:ma*")]
    [InlineData("*:add")]
    [InlineData("uprobe:libc:mallo*")]
    [InlineData("uprobe:PROGRAM:*")]
    public void ListingInAProcessMatchesBpftrace(string pattern)
    {
        Require.Root();
        using var child = new WaitingChild(Program.Value, "wait");
        var pid = child.Pid.ToString(CultureInfo.InvariantCulture);
        string[] arguments = pattern.Length == 0 ? ["-lp", pid] : ["-lp", pid, pattern.Replace("PROGRAM", Program.Value)];
        var ours = Ours(arguments);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.NotEqual("", ours.StdOut);
        if (!pattern.Contains(':') || pattern.Split(':').Length == 2) Assert.Contains($"probe:/proc/{pid}/root{Program.Value}:", ours.StdOut);
        if (Bpftrace is not { } bpftrace) return;
        Assert.Equal(ProcessRunner.Run(bpftrace, arguments, TimeSpan.FromSeconds(30)).StdOut, ours.StdOut);
    }

    /// <summary>
    /// A stripped copy with its .symtab in a separate debug file (objcopy --only-keep-debug, linked
    /// by .gnu_debuglink beside it): the static function is found there, listed and probed as bpftrace does.
    /// </summary>
    [Fact]
    public void StrippedBinaryFunctionsComeFromItsDebugFile()
    {
        Require.Root();
        var directory = Path.Combine(Path.GetTempPath(), $"sharptrace-uprobe-debug-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var stripped = Path.Combine(directory, "uprobe_target");
            File.Copy(Program.Value, stripped);
            var objcopy = ProcessRunner.Shell($"cd {directory} && objcopy --only-keep-debug uprobe_target uprobe_target.debug && objcopy --strip-all --add-gnu-debuglink=uprobe_target.debug uprobe_target");
            if (objcopy.ExitCode == 127) Assert.Skip("objcopy (binutils) is not installed");
            Assert.True(objcopy.ExitCode == 0, objcopy.ToString());
            var elf = ElfFile.Load(stripped);
            Assert.Empty(elf.Symbols);
            Assert.DoesNotContain(elf.DynamicSymbols, s => s.Name == "scale");

            var listing = Ours("-l", $"uprobe:{stripped}:*");
            Assert.True(listing.ExitCode == 0, listing.ToString());
            Assert.Contains($"uprobe:{stripped}:scale\n", listing.StdOut);
            var ours = Ours("-c", stripped, "-e", $"uprobe:{stripped}:scale {{ @ = sum(arg0); }} uretprobe:{stripped}:sc* {{ @r = sum(retval); }}");
            Assert.True(ours.ExitCode == 0, ours.ToString());
            Assert.Equal("Attaching 2 probes...\ndone 70700\n\n\n@: 5050\n@r: 15150\n", ours.StdOut);
            if (Bpftrace is not { } bpftrace) return;
            Assert.Equal(ProcessRunner.Run(bpftrace, ["-l", $"uprobe:{stripped}:*"], TimeSpan.FromSeconds(30)).StdOut, listing.StdOut);
            var theirs = ProcessRunner.Run(bpftrace, ["-c", stripped, "-e", $"uprobe:{stripped}:scale {{ @ = sum(arg0); }} uretprobe:{stripped}:sc* {{ @r = sum(retval); }}"], TimeSpan.FromSeconds(60));
            Assert.Equal(theirs.StdOut, ours.StdOut);
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    /// <summary>
    /// An attach point naming a function the binary lacks is left out, as bpftrace 0.17 leaves it
    /// out (its ssllatency and threadsnoop tools depend on it), with a warning where bpftrace says
    /// nothing; the rest of the probe runs. With nothing left, it is an error (bpftrace: "No probes to attach").
    /// </summary>
    [Fact]
    public void MissingFunctionsAreLeftOut()
    {
        Require.Root();
        var script = $"uprobe:{Program.Value}:add, uprobe:{Program.Value}:no_such_function {{ @[probe] = count(); }}";
        var ours = Ours("-c", Program.Value, "-e", script);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal($"Attaching 1 probe...\ndone 70700\n\n\n@[uprobe:{Program.Value}:add]: 100\n", ours.StdOut);
        Assert.StartsWith($"stdin:1:{script.IndexOf(", ", StringComparison.Ordinal) + 3}: warning: function 'no_such_function' not found in {Program.Value}: this probe is left out\n", ours.StdErr);
        var alone = Ours("-c", Program.Value, "-e", $"uprobe:{Program.Value}:no_such_function {{ }}");
        Assert.Equal(1, alone.ExitCode);
        Assert.StartsWith($"stdin:1:1: error: function 'no_such_function' not found in {Program.Value}\n", alone.StdErr);
        if (Bpftrace is not { } bpftrace) return;
        Assert.Equal(ProcessRunner.Run(bpftrace, ["-c", Program.Value, "-e", script], TimeSpan.FromSeconds(60)).StdOut, ours.StdOut);
        Assert.Equal(1, ProcessRunner.Run(bpftrace, ["-c", Program.Value, "-e", $"uprobe:{Program.Value}:no_such_function {{ }}"], TimeSpan.FromSeconds(60)).ExitCode);
    }

    [Fact]
    public void ErrorsAreOneLine()
    {
        Require.Root();
        var gone = Ours("-p", "999999999", "-e", "uprobe:add { }");
        Assert.Equal(1, gone.ExitCode);
        Assert.StartsWith("stdin:1:1: error: process 999999999 does not exist\n", gone.StdErr);
        var listing = Ours("-lp", "999999999", "uprobe:*");
        Assert.Equal((1, "sharptrace: process 999999999 does not exist\n"), (listing.ExitCode, listing.StdErr));
        var noPid = Ours("-e", "uprobe:add { }");
        Assert.Equal(1, noPid.ExitCode);
        Assert.StartsWith("stdin:1:1: error: uprobe probes take a binary and a function: uprobe:/bin/bash:readline (or give -p PID and leave the binary out: uprobe:FUNCTION)\n", noPid.StdErr);
        using var child = new WaitingChild(Program.Value, "wait");
        var missing = Ours("-p", child.Pid.ToString(CultureInfo.InvariantCulture), "-e", "uprobe:nosuch { }");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith($"stdin:1:1: error: function 'nosuch' not found in /proc/{child.Pid}/root{Program.Value}", missing.StdErr);
        Assert.DoesNotContain("   at ", gone.StdErr + listing.StdErr + noPid.StdErr + missing.StdErr);
    }

    /// <summary>
    /// Starts a copy waiting (and with <paramref name="bystander"/> a second one), runs
    /// <paramref name="tracer"/> with -p on the first, lets the second work while the tracer is
    /// attached, then the first; the tracer ends with the first. Returns the tracer's standard
    /// output and the traced pid.
    /// </summary>
    private static (string Output, int Pid) TraceWhileCopiesRun(string tracer, string script, bool bystander)
    {
        using var traced = new WaitingChild(Program.Value, "wait");
        using var other = bystander ? new WaitingChild(Program.Value, "wait") : null;
        var info = new ProcessStartInfo(tracer) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-p", traced.Pid.ToString(CultureInfo.InvariantCulture), "-e", "BEGIN { printf(\"attached\\n\"); } " + script })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var head = process.StandardOutput.ReadLine() + "\n";
            head += process.StandardOutput.ReadLine() + "\n";
            if (!head.EndsWith("attached\n", StringComparison.Ordinal))
            {
                stderr.Wait(TimeSpan.FromSeconds(5));
                Assert.Fail($"{tracer} did not attach: {head}{(stderr.IsCompleted ? stderr.Result : "")}");
            }
            // bpftrace 0.17 runs BEGIN before it attaches the other probes: wait for the breakpoint.
            Breakpoint.WaitFor(traced.Pid, Program.Value, ElfFile.ResolveUprobeOffset(Program.Value, "add"), "add");
            if (other is not null) Assert.Equal("done 70700", other.Go());
            Assert.Equal("done 70700", traced.Go());
            var rest = process.StandardOutput.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "the tracer did not end with the traced process");
            Assert.True(process.ExitCode == 0, stderr.Result);
            return (head + rest.Result, traced.Pid);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
