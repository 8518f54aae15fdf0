using System.Diagnostics;
using Sharptrace.Bpf.Elf;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// usdt probes on Native/usdt.c, whose probes are written as sys/sdt.h writes them: the notes as
/// readelf reads them, argument specs of every operand form gcc emitted, listing and outputs
/// compared with bpftrace 0.17 on the same binary, and the semaphore raised by the kernel
/// (ref_ctr_offset) or by us through /proc/PID/mem.
/// </summary>
public class UsdtTests
{
    private static readonly Lazy<string> Binary = new(() => NativeProgram.Build("usdt"));

    private static ProcessResult Ours(params string[] arguments) => ProcessRunner.Run(SharptraceBinary.Path, arguments, TimeSpan.FromSeconds(30));

    private static string? Bpftrace => File.Exists("/usr/bin/bpftrace") ? "/usr/bin/bpftrace" : null;

    [Fact]
    public void NotesMatchReadelf()
    {
        var elf = ElfFile.Load(Binary.Value);
        var probes = UsdtProbe.Read(elf);
        Assert.Equal(4, probes.Count);
        var readelf = ProcessRunner.Run("readelf", ["-n", Binary.Value]);
        if (readelf.ExitCode != 0) Assert.Skip("readelf is not installed");
        foreach (var probe in probes)
        {
            // readelf prints the note's raw addresses; ours are adjusted by .stapsdt.base, which only
            // moves when the file is prelinked: here they agree.
            Assert.Contains($"Provider: {probe.Provider}\n    Name: {probe.Name}\n    Location: 0x{probe.Address:x16}", readelf.StdOut);
            Assert.Contains($"Semaphore: 0x{probe.SemaphoreAddress:x16}\n    Arguments: {probe.ArgumentText}\n", readelf.StdOut);
            Assert.True(elf.TryGetFileOffset(probe.Address, out var offset) && offset == probe.FileOffset);
        }
        var guarded = probes.Single(p => p.Name == "guarded");
        Assert.NotEqual(0UL, guarded.SemaphoreFileOffset);
        Assert.True(elf.TryFindSymbol("sharptrace_test_guarded_semaphore", out var semaphore) && semaphore.Value == guarded.SemaphoreAddress);
        Assert.All(probes.Where(p => p.Name != "guarded"), p => Assert.Equal(0UL, p.SemaphoreAddress));
    }

    [Theory]
    [InlineData("-4@%edi", 4, true, UsdtArgumentKind.Register, 0, 112)]
    [InlineData("8@%rax", 8, false, UsdtArgumentKind.Register, 0, 80)]
    [InlineData("1@%r15b", 1, false, UsdtArgumentKind.Register, 0, 0)]
    [InlineData("-2@%r13w", 2, true, UsdtArgumentKind.Register, 0, 16)]
    [InlineData("4@%r8d", 4, false, UsdtArgumentKind.Register, 0, 72)]
    [InlineData("1@%sil", 1, false, UsdtArgumentKind.Register, 0, 104)]
    [InlineData("8@-56(%rbp)", 8, false, UsdtArgumentKind.Memory, -56, 32)]
    [InlineData("-4@0x10(%rsp)", 4, true, UsdtArgumentKind.Memory, 16, 152)]
    [InlineData("8@(%rdx)", 8, false, UsdtArgumentKind.Memory, 0, 96)]
    [InlineData("4@$5", 4, false, UsdtArgumentKind.Constant, 5, 0)]
    [InlineData("-8@$-3", 8, true, UsdtArgumentKind.Constant, -3, 0)]
    public void X64ArgumentSpecs(string spec, int size, bool signed, UsdtArgumentKind kind, long value, int registerOffset)
    {
        var argument = UsdtArgument.Parse(spec, ElfHeader.MachineX86_64);
        Assert.Equal(new UsdtArgument(size, signed, kind, value, registerOffset, spec), argument);
    }

    [Theory]
    [InlineData("8@(%rbp,%rax,8)", 80, 8)]
    [InlineData("-1@-96(%rbp,%rax)", 80, 1)]
    [InlineData("4@16(%rsi,%r12,4)", 24, 4)]
    public void X64IndexRegisters(string spec, int indexOffset, int scale)
    {
        var argument = UsdtArgument.Parse(spec, ElfHeader.MachineX86_64);
        Assert.Equal((indexOffset, scale), (argument.IndexRegisterOffset, argument.Scale));
    }

    /// <summary>Globals as gcc prints them in position-independent code: the symbol and any offset around it.</summary>
    [Theory]
    [InlineData("8@sharptrace_counter(%rip)", 8, false, "sharptrace_counter", 0)]
    [InlineData("4@8+sharptrace_table(%rip)", 4, false, "sharptrace_table", 8)]
    [InlineData("-4@table+12(%rip)", 4, true, "table", 12)]
    [InlineData("-2@counter.0-4(%rip)", 2, true, "counter.0", -4)]
    public void X64SymbolSpecs(string spec, int size, bool signed, string symbol, long displacement)
    {
        var argument = UsdtArgument.Parse(spec, ElfHeader.MachineX86_64);
        Assert.Equal(new UsdtArgument(size, signed, UsdtArgumentKind.Symbol, displacement, 0, spec) { Symbol = symbol }, argument);
        // Located at run time from the probe site: memory at %rip plus the link-time distance.
        var located = argument.RelativeTo(0x4010, 0x1390);
        Assert.Equal((UsdtArgumentKind.Memory, 16 * 8, 0x4010 - 0x1390 + displacement), (located.Kind, located.RegisterOffset, located.Value));
    }

    [Theory]
    [InlineData("-4@w1", 4, true, UsdtArgumentKind.Register, 0, 8)]
    [InlineData("8@x29", 8, false, UsdtArgumentKind.Register, 0, 232)]
    [InlineData("8@[sp, 16]", 8, false, UsdtArgumentKind.Memory, 16, 248)]
    [InlineData("-4@[x29, -8]", 4, true, UsdtArgumentKind.Memory, -8, 232)]
    [InlineData("4@5", 4, false, UsdtArgumentKind.Constant, 5, 0)]
    [InlineData("-4@#-7", 4, true, UsdtArgumentKind.Constant, -7, 0)]
    [InlineData("8@[sp, #8]", 8, false, UsdtArgumentKind.Memory, 8, 248)]
    [InlineData("8@[x0]", 8, false, UsdtArgumentKind.Memory, 0, 0)]
    [InlineData("8@x0", 8, false, UsdtArgumentKind.Register, 0, 0)]
    public void Arm64ArgumentSpecs(string spec, int size, bool signed, UsdtArgumentKind kind, long value, int registerOffset)
    {
        var argument = UsdtArgument.Parse(spec, ElfHeader.MachineAArch64);
        Assert.Equal(new UsdtArgument(size, signed, kind, value, registerOffset, spec), argument);
    }

    [Theory]
    [InlineData("3@%eax", "the size must be 1, 2, 4 or 8")]
    [InlineData("8@%xyz", "unknown x86_64 register '%xyz'")]
    [InlineData("16@%xmm0", "the size must be 1, 2, 4 or 8")]
    [InlineData("8@%xmm0", "unknown x86_64 register '%xmm0'")]
    [InlineData("4@16(%rip)", "a numeric displacement from %rip")]
    [InlineData("4@counter(%rax)", "a symbol ('counter') is only understood relative to %rip")]
    [InlineData("8@counter@GOTPCREL(%rip)", "is not a displacement")]
    [InlineData("8@(%rax,%rbx,3)", "the scale must be 1, 2, 4 or 8, not 3")]
    [InlineData("8@(,%rbx,8)", "expected a base register")]
    [InlineData("8@counter", "expected $CONSTANT, %REGISTER, DISPLACEMENT(%REGISTER) or SYMBOL(%rip)")]
    public void UnsupportedSpecsSayWhy(string spec, string message)
    {
        var e = Assert.Throws<FormatException>(() => UsdtArgument.Parse(spec, ElfHeader.MachineX86_64));
        Assert.StartsWith($"USDT argument '{spec}': ", e.Message);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    /// <summary>Malformed specs of any shape: a FormatException naming the spec, never another exception.</summary>
    [Theory]
    [InlineData("@")]
    [InlineData("8@")]
    [InlineData("8@()")]
    [InlineData("8@(%)")]
    [InlineData("8@(%rax,)")]
    [InlineData("8@[]")]
    [InlineData("8@[, 8]")]
    [InlineData("8@0x")]
    [InlineData("8@+(%rip)")]
    [InlineData("8@sym+(%rip)")]
    [InlineData("8@$")]
    [InlineData("8@%")]
    [InlineData("8@#")]
    [InlineData("-0@%eax")]
    [InlineData("8@a+b(%rip)")]
    [InlineData("8@99999999999999999999(%rax)")]
    public void MalformedSpecsAreFormatErrors(string spec)
    {
        foreach (var machine in new[] { ElfHeader.MachineX86_64, ElfHeader.MachineAArch64 })
        {
            var e = Assert.Throws<FormatException>(() => UsdtArgument.Parse(spec, machine));
            Assert.StartsWith($"USDT argument '{spec}': ", e.Message);
        }
    }

    [Theory]
    [InlineData("8@[x1, x2]", "index registers are not supported")]
    [InlineData("4@v0", "unknown arm64 register 'v0'")]
    [InlineData("8@[sp, 16", "expected [REGISTER, OFFSET]")]
    public void UnsupportedArm64SpecsSayWhy(string spec, string message)
    {
        var e = Assert.Throws<FormatException>(() => UsdtArgument.Parse(spec, ElfHeader.MachineAArch64));
        Assert.StartsWith($"USDT argument '{spec}': ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("tick")]
    [InlineData("sharptrace_test:*")]
    [InlineData("*:guarded")]
    [InlineData("*:args")]
    public void ListingMatchesBpftrace(string pattern)
    {
        var result = Ours("-l", $"usdt:{Binary.Value}:{pattern}");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEqual("", result.StdOut);
        var bpftrace = Bpftrace;
        if (bpftrace is null) Assert.Skip("bpftrace is not installed (tests/install-oracles.sh)");
        var theirs = ProcessRunner.Run(bpftrace!, ["-l", $"usdt:{Binary.Value}:{pattern}"], TimeSpan.FromSeconds(30));
        Assert.Equal(theirs.StdOut, result.StdOut);
    }

    [Fact]
    public void ListingAMissingBinaryIsOneLine()
    {
        var result = Ours("-l", "usdt:/no/such/binary:*");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("sharptrace: usdt target file '/no/such/binary' does not exist or is not executable\n", result.StdErr);
    }

    [Fact]
    public void ListingALibraryByName()
    {
        // bpftrace 0.17 wants a path for usdt targets; we also take a library name, as for uprobes.
        var path = BinaryPathResolver.Default.TryResolveLibrary("libstdc++");
        if (path is null || UsdtProbe.Read(ElfFile.Load(path)).Count == 0) Assert.Skip("no libstdc++ with USDT notes here");
        var result = Ours("-l", "usdt:libstdc++:libstdcxx:*");
        Assert.True(result.ExitCode == 0, result.ToString());
        // bpftrace 0.17's lexer cannot even take the "++" of this name, so the notes are the reference.
        var expected = UsdtProbe.Read(ElfFile.Load(path!)).Where(p => p.Provider == "libstdcxx").Select(p => $"usdt:{path}:libstdcxx:{p.Name}\n").Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(string.Concat(expected), result.StdOut);
    }

    /// <summary>Every operand form gcc chose (register of each width, memory, constant), sign and size, the same as bpftrace.</summary>
    [Fact]
    public void ArgumentsMatchBpftrace()
    {
        Require.Root();
        var script = WriteScript(
            $"usdt:{Binary.Value}:sharptrace_test:args {{ printf(\"%d %d %d %d %d %s\\n\", arg0, arg1, arg2, arg3, arg4, str(arg5)); }}\n" +
            $"usdt:{Binary.Value}:tick {{ printf(\"%s %d %lx\\n\", probe, arg0, arg1); }}\n");
        var ours = Ours("-c", Binary.Value, script);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal(
            "Attaching 2 probes...\n-5 -7 5 200 -300 zero\n" + $"usdt:{Binary.Value}:other:tick 0 ffffffff00000001\n" +
            "-6 993 5 201 -301 one\n" + $"usdt:{Binary.Value}:other:tick 1 ffffffff00000002\n" +
            "-7 1993 5 202 -302 two\n" + $"usdt:{Binary.Value}:other:tick 2 ffffffff00000003\n\n\n", ours.StdOut);
        CompareWithBpftrace(ours, "-c", Binary.Value, script);
    }

    /// <summary>With the probe attached the kernel raises the semaphore (ref_ctr_offset): the program sees it and fires.</summary>
    [Fact]
    public void SemaphoreIsRaisedWhileAttached()
    {
        Require.Root();
        var script = WriteScript($"usdt:{Binary.Value}:sharptrace_test:guarded {{ printf(\"guarded %d\\n\", arg0); }}\n");
        var ours = Ours("-c", Binary.Value, script);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal("Attaching 1 probe...\nguarded 0\nguarded 10\nguarded 20\n\n\n", ours.StdOut);
        CompareWithBpftrace(ours, "-c", Binary.Value, script);
        // Without a tracer the program skips the probe: the semaphore was lowered again.
        var alone = ProcessRunner.Run(Binary.Value, []);
        Assert.Equal("done guarded=0", alone.StdErr.Trim());
    }

    /// <summary>-p PID: the probe is limited to that process; the semaphore is raised by the kernel or, forced, through /proc/PID/mem.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("procmem")]
    public void PidWithSemaphore(string semaphoreMode)
    {
        Require.Root();
        using var child = new WaitingChild(Binary.Value, "wait");
        using var bystander = new WaitingChild(Binary.Value, "wait");
        // BEGIN runs once every probe is attached: its line is the signal to let the child go.
        var script = $"BEGIN {{ printf(\"attached\\n\"); }} usdt:{Binary.Value}:sharptrace_test:guarded {{ printf(\"%d guarded %d\\n\", pid == {child.Pid}, arg0); if (arg0 == 20) {{ exit(); }} }}";
        var info = new ProcessStartInfo(SharptraceBinary.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-p", child.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-e", script }) info.ArgumentList.Add(a);
        if (semaphoreMode.Length > 0) info.Environment["SHARPTRACE_USDT_SEMAPHORE"] = semaphoreMode;
        using var tracer = Process.Start(info)!;
        try
        {
            Assert.Equal("Attaching 2 probes...", tracer.StandardOutput.ReadLine());
            Assert.Equal("attached", tracer.StandardOutput.ReadLine());
            Assert.Equal("done guarded=3", child.Go());
            Assert.True(tracer.WaitForExit(TimeSpan.FromSeconds(20)), "the tracer did not end after exit()");
            Assert.Equal("1 guarded 0\n1 guarded 10\n1 guarded 20\n\n\n", tracer.StandardOutput.ReadToEnd());
            Assert.Equal(0, tracer.ExitCode);
            // The other process was not traced: its semaphore was never raised.
            Assert.Equal("done guarded=0", bystander.Go());
        }
        finally
        {
            if (!tracer.HasExited) tracer.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("usdt:BIN:nosuch { }", "no USDT probe in")]
    [InlineData("usdt:BIN:args { }", "namespace for usdt:BIN:args not specified, matched 2 probes")]
    [InlineData("usdt:BIN:sharptrace_test:args { printf(\"%d\\n\", arg6); }", "x86_64 doesn't support arg6")]
    [InlineData("usdt:BIN:tick { printf(\"%d\\n\", arg2); }", "arg2 is out of range")]
    [InlineData("usdt:/no/such/binary:tick { }", "usdt target file '/no/such/binary' does not exist")]
    public void ErrorsPointAtTheProbe(string program, string message)
    {
        var result = Ours("-e", program.Replace("BIN", Binary.Value));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message.Replace("BIN", Binary.Value), result.StdErr);
        Assert.StartsWith("stdin:1:", result.StdErr);
        Assert.DoesNotContain("   at ", result.StdErr);
    }

    private static void CompareWithBpftrace(ProcessResult ours, params string[] arguments)
    {
        if (Bpftrace is not { } bpftrace) return;
        var theirs = ProcessRunner.Run(bpftrace, arguments, TimeSpan.FromSeconds(30));
        Assert.True(theirs.ExitCode == 0, theirs.ToString());
        Assert.Equal(theirs.StdOut, ours.StdOut);
    }

    private static string WriteScript(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharptrace-usdt-{Guid.NewGuid():N}.bt");
        File.WriteAllText(path, text);
        return path;
    }
}
