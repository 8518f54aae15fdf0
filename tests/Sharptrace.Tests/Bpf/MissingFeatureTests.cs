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
}
