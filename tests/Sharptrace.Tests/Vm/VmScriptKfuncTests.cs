using System.Text.RegularExpressions;

namespace Sharptrace.Tests.Vm;

/// <summary>
/// The language's kfunc/kretfunc probes, path() and override(), which need the BPF trampoline (and
/// kernel config) the host lacks: ./sharptrace runs each script inside the qemu VM against activity
/// it starts itself with -c, so the counts and argument values are known. One boot runs every script.
/// </summary>
[Collection(QemuVmCollection.Name)]
public sealed partial class VmScriptKfuncTests(QemuVmFixture fixture)
{
    sealed record Steps(VmBatchResult Result, VmStep Filenames, VmStep ReturnValues, VmStep AliasWildcard, VmStep StructWalk,
        VmStep PathOfClosedFiles, VmStep PathNotAllowed, VmStep Listing, VmStep OverrideUnsafe, VmStep OverrideMissingConfig);

    // One boot for the class.
    static readonly ClassBoot<Steps> Boot = new();

    Steps Run() => Boot.Run(fixture, vm =>
    {
        var binary = QemuVmFixture.SharptraceBinary;
        var batch = new VmBatch();
        // busybox cat opens each file named once.
        var filenames = batch.Add("""sharptrace -c "/bin/cat /nonexistent /proc/version" -e 'kfunc:do_sys_openat2 /comm == "cat"/ { printf("open %d %s\n", args->dfd, str(args->filename)); }'""");
        var returns = batch.Add("""sharptrace -c "/bin/cat /nonexistent /proc/version" -e 'kretfunc:do_sys_openat2 /comm == "cat"/ { printf("ret %d %s\n", retval, str(args->filename)); @rets[retval] = count(); }'""");
        // f: is kfunc:; a wildcard expands over BTF functions; func names the one that fired.
        var alias = batch.Add("""sharptrace -c "/bin/dd if=/dev/zero of=/dev/null bs=512 count=300" -e 'f:vfs_read* /comm == "dd"/ { @[func] = count(); }'""");
        // A pointer-to-struct argument walked with BTF: struct path → dentry → qstr name.
        var walk = batch.Add("""sharptrace -c "/bin/cat /proc/version" -e 'kfunc:vfs_open /comm == "cat"/ { printf("opened %s\n", str(args->path->dentry->d_name.name)); }'""");
        // filp_close is on the kernel's bpf_d_path allowlist; the struct path is a member of struct file.
        var path = batch.Add("""sharptrace -c "/bin/cat /proc/version" -e 'kfunc:filp_close /comm == "cat"/ { printf("closed %s\n", path(args->filp->f_path)); }'""");
        // vfs_open is not on it: the verifier refuses, and we say what to do.
        var notAllowed = batch.Add("""sharptrace -e 'kfunc:vfs_open { printf("%s\n", path(args->path)); }'""");
        var listing = batch.Add("""sharptrace -lv 'kfunc:do_sys_openat2'; sharptrace -lv 'kretfunc:vfs_open'""");
        var overrideUnsafe = batch.Add("""sharptrace -e 'kprobe:should_failslab { override(-12); }'""");
        // The VM kernel has no CONFIG_BPF_KPROBE_OVERRIDE (nor FUNCTION_ERROR_INJECTION).
        var overrideConfig = batch.Add("""sharptrace --unsafe -e 'kprobe:should_failslab { override(-12); }'""");
        var result = vm.Run(batch, [(binary, "/bin/sharptrace")], TimeSpan.FromSeconds(300));
        return new Steps(result, filenames, returns, alias, walk, path, notAllowed, listing, overrideUnsafe, overrideConfig);
    });

    VmStepResult Step(Func<Steps, VmStep> pick, int exitCode = 0)
    {
        var steps = Run();
        var step = steps.Result[pick(steps)];
        Assert.True(step.ExitCode == exitCode, step.ToString());
        return step;
    }

    static string[] Lines(VmStepResult step, string prefix) => [.. step.Output.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    [Fact]
    public void KfuncArgumentsAreTypedFromBtf()
    {
        var step = Step(s => s.Filenames);
        Assert.StartsWith("Attaching 1 probe...\n", step.Output);
        // dfd is an int: AT_FDCWD prints as -100.
        Assert.Equal(["open -100 /nonexistent", "open -100 /proc/version"], Lines(step, "open "));
    }

    [Fact]
    public void KretfuncSeesRetvalAndTheArguments()
    {
        var step = Step(s => s.ReturnValues);
        Assert.Equal(["ret -2 /nonexistent", "ret 3 /proc/version"], Lines(step, "ret "));
        // retval keeps the function's signed BTF return type, so -ENOENT is a negative key.
        Assert.Contains("\n@rets[-2]: 1\n", step.Output);
        Assert.Contains("\n@rets[3]: 1\n", step.Output);
    }

    [Fact]
    public void AliasAndWildcardCountEveryRead()
    {
        var step = Step(s => s.AliasWildcard);
        Assert.Matches(@"^Attaching \d+ probes\.\.\.\n", step.Output);
        var counts = MapLines().Matches(step.Output).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value));
        Assert.Equal(300, counts.GetValueOrDefault("vfs_read"));
    }

    [Fact]
    public void PointerToStructArgumentIsWalkedWithBtf()
    {
        var step = Step(s => s.StructWalk);
        Assert.Contains("opened version", Lines(step, "opened "));
    }

    [Fact]
    public void PathGivesTheFullPathOfAClosedFile()
    {
        var step = Step(s => s.PathOfClosedFiles);
        Assert.Contains("closed /proc/version", Lines(step, "closed "));
    }

    [Fact]
    public void PathWhereTheKernelForbidsItSaysWhere()
    {
        var step = Step(s => s.PathNotAllowed, exitCode: 1);
        // The printf statement that holds the path() call is the failing line.
        Assert.StartsWith("stdin:1:18: error: the kernel verifier rejected the code for kfunc:vfs_open: helper call is not allowed in probe", step.Output);
        Assert.Contains("kfunc:filp_close", step.Output);
    }

    [Fact]
    public void ListingShowsArgumentsAndRetval()
    {
        var step = Step(s => s.Listing);
        Assert.Equal("kfunc:do_sys_openat2\n    int dfd\n    const char * filename\n    struct open_how * how\n    long int retval\n" +
                     "kretfunc:vfs_open\n    const struct path * path\n    struct file * file\n    int retval\n", step.Output);
    }

    [Fact]
    public void OverrideWithoutUnsafeIsAnError()
    {
        var step = Step(s => s.OverrideUnsafe, exitCode: 1);
        Assert.StartsWith("stdin:1:26: error: override() is unsafe: run with --unsafe to use it\n", step.Output);
    }

    [Fact]
    public void OverrideOnAKernelWithoutKprobeOverrideNamesTheConfig()
    {
        var step = Step(s => s.OverrideMissingConfig, exitCode: 1);
        Assert.Contains("the kernel verifier rejected the code for kprobe:should_failslab: unknown func bpf_override_return#58", step.Output);
        Assert.Contains("CONFIG_BPF_KPROBE_OVERRIDE", step.Output);
    }

    [GeneratedRegex(@"^@\[(\w+)\]: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex MapLines();
}
