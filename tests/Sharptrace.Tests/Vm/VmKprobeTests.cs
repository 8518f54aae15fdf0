namespace Sharptrace.Tests.Vm;

/// <summary>
/// Attach.Kprobe on a kernel that has kprobes: tests/Sharptrace.VmChecks, published NativeAOT,
/// counts its own openat() calls with a kprobe and a kretprobe on do_sys_openat2 inside the qemu VM.
/// One boot runs every check; the facts read their part of it.
/// </summary>
[Collection(QemuVmCollection.Name)]
public sealed class VmKprobeTests(QemuVmFixture fixture)
{
    const int Opens = 200;

    sealed record Steps(VmBatchResult Result, VmStep Counts, VmStep UnknownFunction, VmStep BlacklistedFunction);

    // One boot for the class (~3 s plus the publish on a source change).
    static readonly ClassBoot<Steps> Boot = new();

    Steps Run() => Boot.Run(fixture, vm =>
    {
        var binary = VmChecksProgram.Path;
        var batch = new VmBatch();
        var counts = batch.Add($"vmchecks kprobe do_sys_openat2 {Opens}");
        var unknown = batch.Add("vmchecks kprobe no_such_function_xyz 1");
        // kprobe_int3_handler is NOKPROBE_SYMBOL: in kallsyms, refused by register_kprobe.
        var blacklisted = batch.Add("vmchecks kprobe kprobe_int3_handler 1");
        var result = vm.Run(batch, [(binary, "/bin/vmchecks")], TimeSpan.FromSeconds(180));
        return new Steps(result, counts, unknown, blacklisted);
    });

    [Fact]
    public void KprobeAndKretprobeCountEveryOpenAndItsReturnValue()
    {
        var steps = Run();
        var step = steps.Result[steps.Counts];
        Assert.True(step.ExitCode == 0, step.ToString());
        var counts = new VmChecksCounts(step);

        // N opens of a file that exists, N of one that does not: each enters and returns once.
        Assert.Equal(2 * Opens, counts["kprobe_hits"]);
        Assert.Equal(2 * Opens, counts["kretprobe_hits"]);
        Assert.Equal(Opens, counts["ret_enoent"]);
        Assert.Equal(Opens, counts["ret_ok"]);

        // The recorded return values: -ENOENT N times, file descriptors (≥ 3: stdio is open) N
        // times, and their sum agrees, so the pt_regs offset read really is the return register.
        var returns = counts.ReturnValues;
        Assert.Equal(Opens, returns.GetValueOrDefault(-2));
        Assert.Equal(Opens, returns.Where(r => r.Key >= 3).Sum(r => r.Value));
        Assert.Equal(2 * Opens, returns.Values.Sum());
        Assert.Equal(returns.Sum(r => r.Key * r.Value), counts["ret_sum"]);
    }

    [Fact]
    public void UnknownFunctionIsAOneLineErrorNamingIt()
    {
        var steps = Run();
        var step = steps.Result[steps.UnknownFunction];
        Assert.True(step.ExitCode == 1, step.ToString());
        Assert.Equal(
            "vmchecks: error: perf_event_open(kprobe no_such_function_xyz) failed: ENOENT (No such file or directory): " +
            "no kernel function 'no_such_function_xyz' (not in /proc/kallsyms)\n",
            step.Output);
    }

    [Fact]
    public void BlacklistedFunctionSaysItExistsButCannotBeProbed()
    {
        var steps = Run();
        var step = steps.Result[steps.BlacklistedFunction];
        Assert.True(step.ExitCode == 1, step.ToString());
        Assert.Single(step.Output.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("vmchecks: error: perf_event_open(kprobe kprobe_int3_handler) failed: EINVAL", step.Output);
        Assert.Contains("kernel function 'kprobe_int3_handler' exists but cannot be probed", step.Output);
    }
}
