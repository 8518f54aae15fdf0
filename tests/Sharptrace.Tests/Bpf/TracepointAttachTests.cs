using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Bpf;

public class TracepointAttachTests
{
    [Fact]
    public void CountsTheOpensOfAChildExactly()
    {
        Require.Root();
        const int opens = 1234;
        using var counts = BpfMap.Create(MapSpec.Hash("opens", 4, 8, 10240));
        using var program = BpfProgram.Load(new ProgramSpec("count_opens", BpfProgramType.Tracepoint, TestPrograms.CountPerProcess(counts)));
        using var link = Attach.Tracepoint(program, "syscalls", "sys_enter_openat");
        using var child = new WaitingChild(NativeProgram.Build("opens"), opens.ToString(), "0");
        // Startup opens (ld.so, libc) happened before "ready": take them as the baseline.
        counts.TryLookup(child.Pid, out long before);
        child.Go();
        Assert.True(counts.TryLookup(child.Pid, out long after));
        Assert.Equal(opens, after - before);
    }

    [Fact]
    public void DetachingStopsCounting()
    {
        Require.Root();
        using var counts = BpfMap.Create(MapSpec.Hash("opens", 4, 8, 10240));
        using var program = BpfProgram.Load(new ProgramSpec("count_opens", BpfProgramType.Tracepoint, TestPrograms.CountPerProcess(counts)));
        var link = Attach.Tracepoint(program, "syscalls", "sys_enter_openat");
        link.Dispose();
        using var child = new WaitingChild(NativeProgram.Build("opens"), "50", "0");
        child.Go();
        Assert.False(counts.TryLookup(child.Pid, out long _));
    }

    [Fact]
    public void RawTracepointCountsSyscallsOfAChild()
    {
        Require.Root();
        using var counts = BpfMap.Create(MapSpec.Hash("calls", 4, 8, 10240));
        using var program = BpfProgram.Load(new ProgramSpec("count_calls", BpfProgramType.RawTracepoint, TestPrograms.CountPerProcess(counts)));
        using var link = Attach.RawTracepoint(program, "sys_enter");
        using var child = new WaitingChild(NativeProgram.Build("opens"), "500", "0");
        counts.TryLookup(child.Pid, out long before);
        child.Go();
        Assert.True(counts.TryLookup(child.Pid, out long after));
        // openat + close per iteration, plus the final write and exit_group.
        Assert.InRange(after - before, 1000, 1020);
    }

    [Fact]
    public void UnknownTracepointIsAClearError()
    {
        Require.Root();
        using var counts = BpfMap.Create(MapSpec.Hash("x", 4, 8, 16));
        using var program = BpfProgram.Load(new ProgramSpec("x", BpfProgramType.Tracepoint, TestPrograms.CountPerProcess(counts)));
        var e = Assert.Throws<TracepointNotFoundException>(() => Attach.Tracepoint(program, "syscalls", "sys_enter_nonexistent"));
        Assert.Contains("syscalls:sys_enter_nonexistent does not exist", e.Message);
    }
}
