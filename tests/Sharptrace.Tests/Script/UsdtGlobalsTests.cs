using System.Diagnostics;
using System.Globalization;
using Sharptrace.Bpf.Elf;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// USDT arguments that are global variables (gcc's SYMBOL(%rip) operands in PIE code and in a
/// dlopened library, Native/usdt_globals.c and usdt_globals_lib.c), and -p PID with the binary
/// left out: probes found in the process's program and libraries, attached to it alone. Listing
/// and counts are compared with bpftrace 0.17; the globals' values with what the program printed
/// (bpftrace 0.17 cannot read them: it logs "deref ident is not handled yet" and reads the wrong memory).
/// </summary>
public class UsdtGlobalsTests
{
    private static readonly Lazy<string> Program = new(() => NativeProgram.Build("usdt_globals", "-O2 -fPIE -pie"));
    private static readonly Lazy<string> Library = new(() => NativeProgram.Build("usdt_globals_lib", "-O2 -fPIC -shared"));

    private static string? Bpftrace => File.Exists("/usr/bin/bpftrace") ? "/usr/bin/bpftrace" : null;

    /// <summary>The program's own record of the globals after each round: "round I COUNTER HITS TABLE2 LIBRARY".</summary>
    private static List<long[]> Rounds(string output) =>
        output.Split('\n').Where(l => l.StartsWith("round ", StringComparison.Ordinal))
            .Select(l => l.Split(' ').Skip(1).Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray()).ToList();

    [Fact]
    public void GccWritesGlobalsRelativeToRip()
    {
        var readelf = ProcessRunner.Run("readelf", ["-n", Program.Value, Library.Value]);
        if (readelf.ExitCode != 0) Assert.Skip("readelf is not installed");
        // The forms this test is about: if gcc stopped writing them, the other tests would prove nothing.
        Assert.Contains("Arguments: 8@sharptrace_counter(%rip) -4@sharptrace_hits(%rip) 4@8+sharptrace_table(%rip) -4@%edi\n", readelf.StdOut);
        Assert.Contains("Arguments: 8@library_total(%rip) -4@%edi\n", readelf.StdOut);
        Assert.Matches(@"Arguments: -4@-?\d*\(%rsp,%r\w+,4\) 8@%r\w+\n", readelf.StdOut);

        var elf = ElfFile.Load(Program.Value);
        Assert.Equal(ElfFileType.SharedObject, elf.Header.Type); // PIE
        var update = UsdtProbe.Read(elf).Single(p => p.Name == "update");
        var arguments = update.Arguments(elf);
        Assert.True(elf.TryFindSymbol("sharptrace_counter", out var counter));
        Assert.True(elf.TryFindSymbol("sharptrace_table", out var table));
        Assert.True(elf.TryFindSymbol("sharptrace_hits", out var hits) && hits.Binding == ElfSymbolBinding.Local);
        // Memory at the probe site's ip plus the link-time distance to the symbol (+ the offset in it).
        Assert.Equal(new UsdtArgument(8, false, UsdtArgumentKind.Memory, (long)(counter.Value - update.Address), 16 * 8, "8@sharptrace_counter(%rip)") { Symbol = "sharptrace_counter" }, arguments[0]);
        Assert.Equal((long)(hits.Value - update.Address), arguments[1].Value);
        Assert.Equal((long)(table.Value - update.Address) + 8, arguments[2].Value);
        Assert.Equal(UsdtArgumentKind.Register, arguments[3].Kind);
    }

    /// <summary>-c: the globals of a PIE program read at run time are the values the program printed; the register argument as bpftrace reads it.</summary>
    [Fact]
    public void GlobalsAreReadWhereTheProgramIsLoaded()
    {
        Require.Root();
        var ours = Ours(["-c", Program.Value, "-e", $"usdt:{Program.Value}:update {{ printf(\"round %d %d %d %d\\n\", arg3, arg0, arg1, arg2); }}"]);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var truth = Rounds(ours.StdErr);
        Assert.Equal(3, truth.Count);
        // The program prints after the probe fired; the library column is absent here.
        Assert.Equal(truth.Select(r => string.Join(' ', r[..4])), Rounds(ours.StdOut).Select(r => string.Join(' ', r)));
        Assert.NotEqual(truth[0][1], truth[1][1]);

        if (Bpftrace is not { } bpftrace) return;
        var script = $"usdt:{Program.Value}:update {{ printf(\"%s %d\\n\", probe, arg3); }}";
        var theirs = ProcessRunner.Run(bpftrace, ["-c", Program.Value, "-e", script], TimeSpan.FromSeconds(30));
        Assert.True(theirs.ExitCode == 0, theirs.ToString());
        Assert.Equal(theirs.StdOut, Ours(["-c", Program.Value, "-e", script]).StdOut);
    }

    /// <summary>A global read at a probe on a 5-byte nop (which x86 uprobes may optimise into a call): still the program's values.</summary>
    [Fact]
    public void GlobalsAtAFiveByteNop()
    {
        Require.Root();
        var ours = Ours(["-c", Program.Value, "-e", $"usdt:{Program.Value}:operands:nop5 {{ printf(\"round %d %d\\n\", arg1, arg0); }}"]);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var expected = string.Concat(Rounds(ours.StdErr).Select(r => $"round {r[0]} {r[1]}\n"));
        Assert.Equal("Attaching 1 probe...\n" + expected + "\n\n", ours.StdOut);
    }

    /// <summary>An array element at base + index * scale + displacement ("-4@-40(%rsp,%rsi,4)"): the program's values, and bpftrace's.</summary>
    [Fact]
    public void IndexedOperandMatchesBpftrace()
    {
        Require.Root();
        var script = $"usdt:{Program.Value}:operands:indexed {{ printf(\"picked %d %d\\n\", arg1, arg0); }}";
        var ours = Ours(["-c", Program.Value, "-e", script]);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var expected = string.Concat(Rounds(ours.StdErr).Select(r => $"picked {r[0]} {r[5]}\n"));
        Assert.Equal("Attaching 1 probe...\n" + expected + "\n\n", ours.StdOut);
        Assert.Contains("picked 2 27\n", ours.StdOut);
        if (Bpftrace is not { } bpftrace) return;
        var theirs = ProcessRunner.Run(bpftrace, ["-c", Program.Value, "-e", script], TimeSpan.FromSeconds(30));
        Assert.True(theirs.ExitCode == 0, theirs.ToString());
        Assert.Equal(theirs.StdOut, ours.StdOut);
    }

    /// <summary>
    /// -p PID with usdt::PROVIDER:NAME: the probes of the program and of the library it loaded, in
    /// that process only; a second copy of the program runs its rounds while we are attached and is
    /// not seen. The globals, in the program and in the library (each with its own load bias), are
    /// the values the traced process printed.
    /// </summary>
    [Fact]
    public void PidWithoutBinaryTracesThatProcessOnly()
    {
        Require.Root();
        var (output, truth, pid) = TraceWhileTwoCopiesRun(SharptraceBinary.Path,
            "usdt::globals:* { printf(\"%s %d %d %d\\n\", probe, pid, arg0, arg1); }");
        var program = $"usdt:/proc/{pid}/root{Program.Value}:globals:update";
        var library = $"usdt:/proc/{pid}/root{Library.Value}:globals:library";
        var expected = string.Concat(truth.Select(r => $"{program} {pid} {r[1]} {r[2]}\n{library} {pid} {r[4]} {r[0]}\n"));
        Assert.Equal("Attaching 3 probes...\nattached\n" + expected + "\n\n", output);
    }

    /// <summary>The same run counted per probe, as bpftrace 0.17 counts it (it ends when the process does).</summary>
    [Fact]
    public void PidWithoutBinaryCountsAsBpftrace()
    {
        Require.Root();
        // Different totals per probe: bpftrace prints a map sorted by value, ties in no fixed order.
        const string script = "usdt:update { @[probe] = sum(1); @pids[pid] = count(); } usdt::globals:library { @[probe] = sum(2); @pids[pid] = count(); }";
        var (ours, _, pid) = TraceWhileTwoCopiesRun(SharptraceBinary.Path, script);
        Assert.Contains($"@[usdt:/proc/{pid}/root{Library.Value}:globals:library]: 6\n", ours);
        Assert.Contains($"@pids[{pid}]: 6\n", ours);
        if (Bpftrace is not { } bpftrace) return;
        var (theirs, _, theirPid) = TraceWhileTwoCopiesRun(bpftrace, script);
        Assert.Equal(theirs, ours.Replace($"/proc/{pid}/", $"/proc/{theirPid}/").Replace($"@pids[{pid}]", $"@pids[{theirPid}]"));
    }

    [Theory]
    [InlineData("usdt:*")]
    [InlineData("usdt:update")]
    [InlineData("usdt::globals:library")]
    [InlineData("usdt:*:*:*")]
    [InlineData("usdt:LIBRARY:*")]
    [InlineData("usdt:LIBRARY:globals:*")]
    [InlineData("usdt:*upd*")]
    [InlineData("usdt:nosuch")]
    [InlineData("tracepoint:syscalls:sys_enter_openat")]
    public void ListingInAProcessMatchesBpftrace(string pattern)
    {
        Require.Root();
        using var child = new WaitingChild(Program.Value, "wait", Library.Value);
        var search = pattern.Replace("LIBRARY", Library.Value);
        var pid = child.Pid.ToString(CultureInfo.InvariantCulture);
        var ours = Ours(["-lp", pid, search]);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        if (pattern.StartsWith("usdt:", StringComparison.Ordinal) && !pattern.Contains("nosuch")) Assert.Contains($"usdt:/proc/{pid}/root/", ours.StdOut);
        if (Bpftrace is not { } bpftrace) return;
        var theirs = ProcessRunner.Run(bpftrace, ["-lp", pid, search], TimeSpan.FromSeconds(30));
        Assert.Equal(theirs.StdOut, ours.StdOut);
    }

    /// <summary>A binary named through a symlinked directory is the file the process maps (named as the kernel names it).</summary>
    [Fact]
    public void ListingByAPathThroughASymlinkedDirectory()
    {
        Require.Root();
        using var child = new WaitingChild(Program.Value, "wait", Library.Value);
        var link = Path.Combine(Path.GetTempPath(), $"sharptrace-usdt-link-{Guid.NewGuid():N}");
        Directory.CreateSymbolicLink(link, Path.GetDirectoryName(Library.Value)!);
        try
        {
            var pid = child.Pid.ToString(CultureInfo.InvariantCulture);
            var search = $"usdt:{Path.Combine(link, Path.GetFileName(Library.Value))}:*";
            var ours = Ours(["-lp", pid, search]);
            Assert.Equal((0, $"usdt:/proc/{pid}/root{Library.Value}:globals:library\n"), (ours.ExitCode, ours.StdOut));
            if (Bpftrace is not { } bpftrace) return;
            Assert.Equal(ProcessRunner.Run(bpftrace, ["-lp", pid, search], TimeSpan.FromSeconds(30)).StdOut, ours.StdOut);
        }
        finally
        {
            Directory.Delete(link);
        }
    }

    [Fact]
    public void PidErrorsAreOneLine()
    {
        Require.Root();
        using var child = new WaitingChild(Program.Value, "wait", Library.Value);
        var pid = child.Pid.ToString(CultureInfo.InvariantCulture);
        var missing = Ours(["-p", pid, "-e", "usdt:nosuch { }"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith($"stdin:1:1: error: no USDT probe in process {pid} matches 'nosuch'\n", missing.StdErr);
        var gone = Ours(["-p", "999999999", "-e", "usdt::globals:update { }"]);
        Assert.Equal(1, gone.ExitCode);
        Assert.StartsWith("stdin:1:1: error: process 999999999 does not exist\n", gone.StdErr);
        var listing = Ours(["-lp", "999999999", "usdt:*"]);
        Assert.Equal((1, "sharptrace: process 999999999 does not exist\n"), (listing.ExitCode, listing.StdErr));
        Assert.DoesNotContain("   at ", missing.StdErr + gone.StdErr + listing.StdErr);
    }

    /// <summary>A stripped copy has no .symtab: a global's argument cannot be located, and using it says which and why; the other arguments still read.</summary>
    [Fact]
    public void StrippedBinaryNamesTheSymbol()
    {
        var stripped = Path.Combine(Path.GetTempPath(), $"sharptrace-usdt-stripped-{Guid.NewGuid():N}");
        try
        {
            var strip = ProcessRunner.Run("strip", ["-o", stripped, Program.Value]);
            if (strip.ExitCode != 0) Assert.Skip("strip (binutils) is not installed");
            var result = Ours(["-e", $"usdt:{stripped}:update {{ printf(\"%d %d\\n\", arg3, arg0); }}"]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"USDT argument '8@sharptrace_counter(%rip)': symbol 'sharptrace_counter' is not defined in {stripped} (the file is stripped: only .dynsym was searched)", result.StdErr);
            Assert.StartsWith("stdin:1:", result.StdErr);
            Assert.DoesNotContain("   at ", result.StdErr);
            // The register argument of the same probe does not need the symbol table.
            var register = Ours(["-d", "-e", $"usdt:{stripped}:update {{ printf(\"%d\\n\", arg3); }}"]);
            Assert.True(register.ExitCode == 0, register.ToString());
        }
        finally
        {
            File.Delete(stripped);
        }
    }

    /// <summary>Waits until the uprobe of USDT probe <paramref name="name"/> of <paramref name="binary"/> is in <paramref name="pid"/>'s code (an int3 on its nop).</summary>
    private static void WaitForBreakpoint(int pid, string binary, string name) =>
        Breakpoint.WaitFor(pid, binary, UsdtProbe.Read(ElfFile.Load(binary)).Single(p => p.Name == name).FileOffset, name);

    /// <summary>Two sources each with a static sharptrace_hits: the argument naming it is refused, the global beside it still reads.</summary>
    [Fact]
    public void AmbiguousStaticIsRefused()
    {
        var twin = Path.Combine(SharptraceBinary.RepoRoot, "tests/Sharptrace.Tests/Native/usdt_globals_twin.c");
        var binary = NativeProgram.Build("usdt_globals", $"-O2 -fPIE -pie {twin}");
        Assert.Equal(2, ElfFile.Load(binary).Symbols.Count(s => s.Name == "sharptrace_hits"));
        var refused = Ours(["-d", "-e", $"usdt:{binary}:update {{ printf(\"%d\\n\", arg1); }}"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("stdin:1:", refused.StdErr);
        Assert.Contains($"USDT argument '-4@sharptrace_hits(%rip)': 2 file-local symbols 'sharptrace_hits' in {binary}, cannot tell which one the probe reads", refused.StdErr);
        var global = Ours(["-d", "-e", $"usdt:{binary}:update {{ printf(\"%d\\n\", arg0); }}"]);
        Assert.True(global.ExitCode == 0, global.ToString());
    }

    private static ProcessResult Ours(string[] arguments) => ProcessRunner.Run(SharptraceBinary.Path, arguments, TimeSpan.FromSeconds(30));

    /// <summary>
    /// Starts two copies of the program (each loads the library, then waits), runs
    /// <paramref name="tracer"/> with -p on the first, lets the second run its rounds while the
    /// tracer is attached, then the first; the tracer ends with the first. Returns the tracer's
    /// standard output, the traced copy's rounds and its pid.
    /// </summary>
    private static (string Output, List<long[]> Truth, int Pid) TraceWhileTwoCopiesRun(string tracer, string script)
    {
        using var traced = new WaitingChild(Program.Value, "wait", Library.Value);
        using var bystander = new WaitingChild(Program.Value, "wait", Library.Value);
        var info = new ProcessStartInfo(tracer) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // BEGIN runs once every probe is attached: its line is the signal to let the copies go.
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
            // bpftrace 0.17 runs BEGIN before it attaches the other probes: wait for the breakpoints.
            WaitForBreakpoint(traced.Pid, Program.Value, "update");
            WaitForBreakpoint(traced.Pid, Library.Value, "library");
            Assert.Equal(3, Rounds(bystander.Go()).Count);
            var truth = Rounds(traced.Go());
            Assert.Equal(3, truth.Count);
            var rest = process.StandardOutput.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "the tracer did not end with the traced process");
            Assert.True(process.ExitCode == 0, stderr.Result);
            return (head + rest.Result, truth, traced.Pid);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
