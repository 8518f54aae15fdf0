namespace Sharptrace.Tests.Vm;

/// <summary>
/// Tracing programs (fentry/fexit: BPF_PROG_TYPE_TRACING with the target's BTF id, attached through
/// a bpf_link) on a kernel that has the BPF trampoline, which the host kernel lacks:
/// tests/Sharptrace.VmChecks counts its own openat() calls on do_sys_openat2 inside the qemu VM.
/// </summary>
[Collection(QemuVmCollection.Name)]
public sealed class VmFentryTests(QemuVmFixture fixture)
{
    const int Opens = 200;

    sealed record Steps(VmBatchResult Result, VmStep Counts, VmStep UnknownFunction);

    static readonly ClassBoot<Steps> Boot = new();

    Steps Run() => Boot.Run(fixture, vm =>
    {
        var binary = VmChecksProgram.Path;
        var batch = new VmBatch();
        var counts = batch.Add($"vmchecks fentry do_sys_openat2 {Opens}");
        var unknown = batch.Add("vmchecks fentry no_such_function_xyz 1");
        var result = vm.Run(batch, [(binary, "/bin/vmchecks")], TimeSpan.FromSeconds(180));
        return new Steps(result, counts, unknown);
    });

    [Fact]
    public void FentryAndFexitCountEveryOpenAndItsReturnValue()
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
        // fexit's return value sits after the three u64 arguments: -ENOENT N times, fds N times.
        var returns = counts.ReturnValues;
        Assert.Equal(Opens, returns.GetValueOrDefault(-2));
        Assert.Equal(Opens, returns.Where(r => r.Key >= 3).Sum(r => r.Value));
        Assert.Equal(returns.Sum(r => r.Key * r.Value), counts["ret_sum"]);
    }

    [Fact]
    public void FunctionMissingFromBtfIsAOneLineError()
    {
        var steps = Run();
        var step = steps.Result[steps.UnknownFunction];
        Assert.True(step.ExitCode == 1, step.ToString());
        Assert.Equal(
            "vmchecks: error: fentry/fexit on no_such_function_xyz failed: ENOENT (No such file or directory): " +
            "no function 'no_such_function_xyz' in the kernel's BTF (not traceable with fentry, or inlined)\n",
            step.Output);
    }
}
