using System.Runtime.InteropServices;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Script;
using Sharptrace.Script.Syntax;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// tracepoint:syscalls:* probes run on the raw sys_enter/sys_exit tracepoints (args from the saved
/// registers) unless the script needs the perf record: the same output as the perf tracepoint
/// (SHARPTRACE_SYSCALL_TRACEPOINTS=perf), the arguments and results the calls really had, and no
/// compat (32-bit) calls, which the kernel's syscall tracepoints skip.
/// </summary>
public class SyscallTracepointTests
{
    private static readonly Dictionary<string, string> PerfPath = new() { ["SHARPTRACE_SYSCALL_TRACEPOINTS"] = "perf" };

    private static ProcessResult Run(string script, string command, bool perf = false)
    {
        var result = ProcessRunner.Run(SharptraceBinary.Path, ["-c", command, "-e", script], TimeSpan.FromSeconds(60), environment: perf ? PerfPath : null);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static Sharptrace.Kernel.Uapi.BpfProgramType ProgramTypeOf(string script)
    {
        var (compiled, error) = ScriptCompiler.Compile(new SourceText("test.bt", script), []);
        Assert.True(compiled is not null, error);
        return compiled.Programs[0].Resolved.ProgramType;
    }

    [Fact]
    public void SyscallProbesUseTheRawTracepointUnlessTheyReadTheRecordHeaderOrTheKernelStack()
    {
        Require.Root();
        Assert.Equal(BpfProgramType.RawTracepoint, ProgramTypeOf("tracepoint:syscalls:sys_enter_openat { @[str(args.filename)] = count(); }"));
        Assert.Equal(BpfProgramType.RawTracepoint, ProgramTypeOf("tracepoint:syscalls:sys_exit_read { @ = hist(args.ret); }"));
        // (A tracepoint program may not read the common fields either: the kernel refuses, as before.)
        Assert.Equal(BpfProgramType.Tracepoint, ProgramTypeOf("tracepoint:syscalls:sys_enter_openat { @ = args.common_pid; }"));
        Assert.Equal(BpfProgramType.Tracepoint, ProgramTypeOf("tracepoint:syscalls:sys_enter_openat { @[kstack] = count(); }"));
        Assert.Equal(BpfProgramType.Tracepoint, ProgramTypeOf("tracepoint:sched:sched_process_exec { @ = count(); }"));
    }

    [Fact]
    public void ArgumentsAndReturnValuesAreTheCallsOwnAndTheSameAsThePerfTracepoints()
    {
        Require.Root();
        var program = NativeProgram.Build("syscall_args");
        var script = """
            tracepoint:syscalls:sys_enter_openat /pid == cpid/ { printf("openat %d %s %x %o nr=%d\n", args.dfd, str(args.filename), args.flags, args.mode, args.__syscall_nr); }
            tracepoint:syscalls:sys_exit_openat /pid == cpid/ { printf("openat = %d nr=%d\n", args.ret, args.__syscall_nr); }
            tracepoint:syscalls:sys_enter_lseek /pid == cpid/ { printf("lseek %d %d %d\n", args.fd, args.offset, args.whence); }
            tracepoint:syscalls:sys_exit_lseek /pid == cpid/ { printf("lseek = %d\n", args.ret); }
            """;
        var raw = Run(script, program).StdOut;
        var perf = Run(script, program, perf: true).StdOut;
        Assert.Equal(perf, raw);
        var openatNr = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 56 : 257;
        Assert.Contains($"openat -100 {program} 80000 0 nr={openatNr}\nopenat = 3 nr={openatNr}\n", raw); // O_CLOEXEC
        Assert.Contains("lseek 3 12345 0\nlseek = 12345\n", raw);
        Assert.Contains($"openat -100 /nonexistent/sharptrace 0 0 nr={openatNr}\nopenat = -2 nr={openatNr}\n", raw);
    }

    [Fact]
    public void WildcardProbesCountTheSameCallsAsThePerfTracepoints()
    {
        Require.Root();
        // Every enter and exit probe of a real command: the call numbers behind the event names (newfstatat, …).
        var script = "tracepoint:syscalls:sys_enter_* /pid == cpid/ { @enter[probe] = count(); } tracepoint:syscalls:sys_exit_* /pid == cpid/ { @exit[probe] = count(); }";
        var raw = Run(script, "/usr/bin/cat /etc/hostname").StdOut;
        var perf = Run(script, "/usr/bin/cat /etc/hostname", perf: true).StdOut;
        Assert.Equal(perf, raw);
        Assert.Contains("@enter[tracepoint:syscalls:sys_enter_openat]: ", raw);
        Assert.Contains("@exit[tracepoint:syscalls:sys_exit_read]: ", raw);
    }

    [Fact]
    public void TwoProbesOnOneCallBothFire()
    {
        Require.Root();
        // One probe per call goes through the dispatcher's table; the second on openat is attached by itself.
        var script = "tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @a = count(); } tracepoint:syscalls:sys_enter_open* /pid == cpid/ { @b[probe] = count(); }";
        var program = NativeProgram.Build("syscall_args");
        var raw = Run(script, program).StdOut;
        Assert.Equal(Run(script, program, perf: true).StdOut, raw);
        // The loader's opens and the program's two, counted by both probes.
        Assert.Matches(@"\n@a: ([2-9]|\d\d+)\n@b\[tracepoint:syscalls:sys_enter_openat\]: \1\n", raw);
    }

    [Theory]
    [InlineData("-m32 -nostdlib -static -O1", "a 32-bit process")]
    [InlineData("-nostdlib -static -O1", "int $0x80 in a 64-bit process")]
    public void CompatCallsDoNotFireNativeSyscallProbes(string flags, string what)
    {
        Require.Root();
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) Assert.Skip("the compat test program is x86 code");
        var probe = ProcessRunner.Shell($"gcc {flags} -o /dev/null -x c - <<'EOF'\nvoid _start(void) {{}}\nEOF");
        if (probe.ExitCode != 0) Assert.Skip($"gcc cannot build {what} here: {probe.StdErr.Trim()}");
        var program = NativeProgram.Build("compat_int80", flags);
        var script = "tracepoint:syscalls:sys_enter_openat /pid == cpid/ { printf(\"enter\\n\"); } tracepoint:syscalls:sys_exit_openat /pid == cpid/ { printf(\"exit\\n\"); } tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { printf(\"exit_group\\n\"); }";
        var raw = Run(script, program).StdOut;
        var perf = Run(script, program, perf: true).StdOut;
        Assert.Equal("Attaching 3 probes...\n\n\n", perf);
        Assert.Equal(perf, raw);
    }
}
