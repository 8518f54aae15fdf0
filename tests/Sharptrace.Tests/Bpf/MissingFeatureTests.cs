using Sharptrace.Bpf.Features;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Bpf;

public class MissingFeatureTests
{
    [Fact]
    public void KprobeOnAKernelWithoutKprobesNamesTheMissingConfig()
    {
        Require.Root();
        if (PerfEvent.DynamicPmuType("kprobe") is not null)
            Assert.Skip("this kernel has kprobes; the VM tests attach real ones");
        using var counts = BpfMap.Create(MapSpec.Hash("x", 4, 8, 16));
        using var program = BpfProgram.Load(new ProgramSpec("x", BpfProgramType.Kprobe, TestPrograms.CountPerProcess(counts)));
        var e = Assert.Throws<KernelException>(() => Attach.Kprobe(program, "do_sys_openat2"));
        Assert.Contains("CONFIG_KPROBES", e.Message);
        Assert.Contains("kprobe do_sys_openat2", e.Message);
    }

    [Fact]
    public void UnknownRawTracepointIsAClearError()
    {
        Require.Root();
        using var counts = BpfMap.Create(MapSpec.Hash("x", 4, 8, 16));
        using var program = BpfProgram.Load(new ProgramSpec("x", BpfProgramType.RawTracepoint, TestPrograms.CountPerProcess(counts)));
        var e = Assert.Throws<KernelException>(() => Attach.RawTracepoint(program, "no_such_tracepoint"));
        Assert.Contains("no_such_tracepoint", e.Message);
        Assert.Contains("no such raw tracepoint", e.Message);
    }

    [Fact]
    public void FentryOnAKernelWithoutTheTrampolineSaysSo()
    {
        Require.Root();
        if (FeatureProbe.Fentry()) Assert.Skip("this kernel runs fentry programs; the VM tests attach real ones");
        if (!File.Exists(Sharptrace.Bpf.Btf.BtfSpec.KernelBtfPath)) Assert.Skip("no kernel BTF to find the target in");
        var target = TracingTarget.Find(Sharptrace.Bpf.Btf.BtfSpec.LoadKernel(), "do_sys_openat2");
        Assert.Equal(3, target.ParameterCount); // dfd, filename, how
        Assert.Equal(24, target.ReturnValueOffset);
        var e = Assert.Throws<KernelException>(() => target.Load(target.Spec("x", [new(0xb7, 0, 0, 0, 0), new(0x95, 0, 0, 0, 0)], isReturn: false)));
        Assert.StartsWith("bpf(BPF_PROG_LOAD) of fentry program on do_sys_openat2 failed:", e.Message);
        Assert.Contains("cannot run fentry/fexit programs", e.Message);
    }

    [Fact]
    public void FentryTargetMissingFromBtfIsAClearError()
    {
        if (!File.Exists(Sharptrace.Bpf.Btf.BtfSpec.KernelBtfPath)) Assert.Skip("no kernel BTF");
        var e = Assert.Throws<KernelException>(() => TracingTarget.Find(Sharptrace.Bpf.Btf.BtfSpec.LoadKernel(), "no_such_function_xyz"));
        Assert.Equal("fentry/fexit on no_such_function_xyz failed: ENOENT (No such file or directory): no function 'no_such_function_xyz' in the kernel's BTF (not traceable with fentry, or inlined)", e.Message);
    }
}
