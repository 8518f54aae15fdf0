using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Elf;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Bpf;

public class UprobeAttachTests
{
    [Fact]
    public void UprobeAndUretprobeSeeEveryCallItsArgumentAndItsReturnValue()
    {
        Require.Root();
        const int calls = 1000;
        var binary = NativeProgram.Build("opens");
        using var hits = BpfMap.Create(MapSpec.Hash("hits", 4, 8, 1024));
        using var returnHits = BpfMap.Create(MapSpec.Hash("rethits", 4, 8, 1024));
        using var argSums = BpfMap.Create(MapSpec.Hash("args", 4, 8, 1024));
        using var returnSums = BpfMap.Create(MapSpec.Hash("rets", 4, 8, 1024));
        using var count = BpfProgram.Load(new ProgramSpec("count", BpfProgramType.Kprobe, TestPrograms.CountPerProcess(hits)));
        using var countReturns = BpfProgram.Load(new ProgramSpec("count_ret", BpfProgramType.Kprobe, TestPrograms.CountPerProcess(returnHits)));
        using var sumArgs = BpfProgram.Load(new ProgramSpec("sum_arg0", BpfProgramType.Kprobe, TestPrograms.SumRegisterPerProcess(argSums, Arch.Current.ArgumentOffsets[0])));
        using var sumReturns = BpfProgram.Load(new ProgramSpec("sum_ret", BpfProgramType.Kprobe, TestPrograms.SumRegisterPerProcess(returnSums, Arch.Current.ReturnValueOffset)));
        using var links = new LinkSet();
        links.Add(Attach.UprobeFunction(count, binary, "probe_target"));
        links.Add(Attach.UprobeFunction(sumArgs, binary, "probe_target"));
        links.Add(Attach.UprobeFunction(countReturns, binary, "probe_target", isReturn: true));
        links.Add(Attach.UprobeFunction(sumReturns, binary, "probe_target", isReturn: true));

        using var child = new WaitingChild(binary, "0", calls.ToString());
        var done = child.Go();
        long expectedArgs = 0, expectedReturns = 0;
        for (var i = 0; i < calls; i++) { expectedArgs += i; expectedReturns += i * 3L + 1; }
        Assert.Equal($"done {expectedReturns}", done);
        Assert.True(hits.TryLookup(child.Pid, out long entries));
        Assert.True(returnHits.TryLookup(child.Pid, out long returns));
        Assert.True(argSums.TryLookup(child.Pid, out long argSum));
        Assert.True(returnSums.TryLookup(child.Pid, out long returnSum));
        Assert.Equal(calls, entries);
        Assert.Equal(calls, returns);
        Assert.Equal(expectedArgs, argSum);
        Assert.Equal(expectedReturns, returnSum);
    }

    [Fact]
    public void UprobeOnALibcFunctionFoundThroughLdSoCache()
    {
        Require.Root();
        const int opens = 300;
        using var hits = BpfMap.Create(MapSpec.Hash("hits", 4, 8, 4096));
        using var count = BpfProgram.Load(new ProgramSpec("count", BpfProgramType.Kprobe, TestPrograms.CountPerProcess(hits)));
        using var child = new WaitingChild(NativeProgram.Build("opens"), opens.ToString(), "0");
        // Only this child: a per-process uprobe.
        using var link = Attach.UprobeFunction(count, "libc", "close", pid: child.Pid);
        child.Go();
        Assert.True(hits.TryLookup(child.Pid, out long closes));
        Assert.Equal(opens, closes);
        Assert.Single(hits.Keys());
    }

    [Fact]
    public void MissingBinaryAndMissingSymbolAreClearErrors()
    {
        Require.Root();
        using var hits = BpfMap.Create(MapSpec.Hash("hits", 4, 8, 16));
        using var count = BpfProgram.Load(new ProgramSpec("count", BpfProgramType.Kprobe, TestPrograms.CountPerProcess(hits)));
        var missingFile = Assert.Throws<FileNotFoundException>(() => Attach.UprobeFunction(count, "/no/such/binary", "main"));
        Assert.Contains("/no/such/binary", missingFile.Message);
        var missingSymbol = Assert.Throws<SymbolNotFoundException>(() => Attach.UprobeFunction(count, NativeProgram.Build("opens"), "no_such_function"));
        Assert.Contains("no_such_function", missingSymbol.Message);
    }
}
