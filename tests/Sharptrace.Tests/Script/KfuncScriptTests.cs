using Sharptrace.Bpf.Btf;
using Sharptrace.Script;
using Sharptrace.Script.Runtime;
using Sharptrace.Script.Syntax;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// kfunc/kretfunc, path() and override() as far as the front end goes on this machine: prototypes
/// come from the host's vmlinux BTF (a file read), so args and retval types are real. Attaching
/// needs the BPF trampoline, which the host lacks: VmScriptKfuncTests run the scripts in the VM,
/// and the test below checks the error the host gives.
/// </summary>
public class KfuncScriptTests
{
    private static (string? Dump, string? Error) Compile(string text, bool allowUnsafe = false)
    {
        if (!File.Exists(BtfSpec.KernelBtfPath)) Assert.Skip("no kernel BTF");
        var source = new SourceText("stdin", text);
        var (script, error) = ScriptCompiler.Compile(source, [], allowUnsafe: allowUnsafe);
        return script is null ? (null, error) : (ScriptRunner.Dump(script), null);
    }

    [Fact]
    public void ArgumentsAreReadFromTheirContextSlotWithTheirBtfType()
    {
        // do_sys_openat2(int dfd, const char *filename, struct open_how *how): slots 0, 8, 16.
        var (dump, error) = Compile("kfunc:do_sys_openat2 { printf(\"%d %s %d\\n\", args->dfd, str(args->filename), args->how->flags); }");
        Assert.True(error is null, error);
        Assert.Contains("r0 = *(u64 *)(r6 +0)", dump);
        Assert.Contains("r0 = *(u64 *)(r6 +8)", dump);
        Assert.Contains("r0 = *(u64 *)(r6 +16)", dump);
        // dfd is an int: sign-extended from 32 bits, as bpftrace prints AT_FDCWD as -100.
        Assert.Contains("r0 s>>= 32", dump);
    }

    [Fact]
    public void RetvalFollowsTheArgumentsAndAliasesWork()
    {
        var (dump, error) = Compile("fr:do_sys_openat2 { @[retval] = count(); }");
        Assert.True(error is null, error);
        Assert.Contains("; kretfunc:do_sys_openat2:", dump);
        Assert.Contains("r0 = *(u64 *)(r6 +24)", dump);
    }

    [Theory]
    [InlineData("kfunc:do_sys_openat2 { print(args->nope); }", "do_sys_openat2 has no argument named 'nope' (its arguments: dfd, filename, how)")]
    [InlineData("kfunc:do_sys_openat2 { print(retval); }", "retval is only available in kretprobe and uretprobe probes")]
    [InlineData("kfunc:do_sys_openat2 { print(arg0); }", "arg0 is only available in kprobe and uprobe probes, not kfunc")]
    [InlineData("kretfunc:kfree { print(retval); }", "kfree returns void: there is no retval")]
    [InlineData("kfunc:no_such_function_xyz { }", "no kernel function 'no_such_function_xyz' in BTF")]
    [InlineData("kfunc:no_such_*_xyz { }", "no kernel function in BTF matches 'no_such_*_xyz'")]
    [InlineData("kprobe:vfs_open { printf(\"%s\", path(arg0)); }", "The path function can only be used with 'kfunc', 'kretfunc', 'iter' probes")]
    [InlineData("kfunc:vfs_open { printf(\"%s\", path(comm)); }", "path() expects a struct path pointer, not string[16]")]
    [InlineData("kprobe:should_failslab { override(-12); }", "override() is unsafe: run with --unsafe to use it")]
    public void MistakesAreCleanErrors(string text, string message)
    {
        var (_, error) = Compile(text);
        Assert.NotNull(error);
        Assert.Contains(message, error);
    }

    [Fact]
    public void OverrideIsOnlyForKprobesEvenWhenUnsafe()
    {
        var (_, error) = Compile("kretprobe:should_failslab { override(-12); }", allowUnsafe: true);
        Assert.Contains("override() can only be used in kprobe probes", error);
        var (dump, ok) = Compile("kprobe:should_failslab { override(-12); }", allowUnsafe: true);
        Assert.True(ok is null, ok);
        Assert.Contains("call bpf_override_return#58", dump);
    }

    [Fact]
    public void PathCallsBpfDPathOnAStructPathPointerOrMember()
    {
        var (dump, error) = Compile("kfunc:vfs_open { printf(\"%s\\n\", path(args->path)); } kfunc:filp_close { printf(\"%s\\n\", path(args->filp->f_path)); }");
        Assert.True(error is null, error);
        Assert.Equal(2, dump!.Split("call bpf_d_path#147").Length - 1);
    }

    [Fact]
    public void ListingShowsThePrototypeAsBpftraceDoes()
    {
        if (!File.Exists(BtfSpec.KernelBtfPath)) Assert.Skip("no kernel BTF");
        var result = ProcessRunner.Run(SharptraceBinary.Path, ["-lv", "kfunc:do_sys_openat2"], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^kfunc:do_sys_openat2\n    int dfd\n    const char \* filename\n    struct open_how \* how\n    (int|long) retval\n$", result.StdOut);
    }

    [Fact]
    public void KfuncOnAKernelWithoutTheTrampolineIsOneClearLine()
    {
        Require.Root();
        if (Sharptrace.Bpf.Features.FeatureProbe.Fentry()) Assert.Skip("this kernel runs fentry programs (VmScriptKfuncTests cover it)");
        var result = ProcessRunner.Run(SharptraceBinary.Path, ["-e", "kfunc:do_sys_openat2 { @ = count(); }"], TimeSpan.FromSeconds(30));
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.StdErr.TrimEnd('\n').Split('\n'));
        Assert.Contains("this kernel cannot run fentry/fexit programs", result.StdErr);
    }
}
