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
    /// <summary>
    /// Counts calls per process into a hash map keyed by tgid:
    /// key = bpf_get_current_pid_tgid() &gt;&gt; 32; value = lookup(key) ? (*value)++ : insert 1.
    /// </summary>
    internal static Instruction[] CountPerProcess(BpfMap counts)
    {
        var asm = new Assembler();
        var missing = asm.DefineLabel("missing");
        var done = asm.DefineLabel("done");
        asm.Call(BpfHelper.GetCurrentPidTgid);
        asm.Alu64(AluOp.Rsh, Register.R0, 32);
        asm.StoreMem(Size.Word, Register.R10, -4, Register.R0);
        asm.LoadMapFd(Register.R1, counts.Fd.Value);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, -4);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.Equal, Register.R0, 0, missing);
        asm.Mov64(Register.R1, 1);
        asm.Atomic(AtomicOp.Add, Size.DWord, Register.R0, 0, Register.R1);
        asm.Jump(done);
        asm.MarkLabel(missing);
        asm.StoreImm(Size.DWord, Register.R10, -16, 1);
        asm.LoadMapFd(Register.R1, counts.Fd.Value);
        asm.Mov64(Register.R2, Register.R10);
        asm.Alu64(AluOp.Add, Register.R2, -4);
        asm.Mov64(Register.R3, Register.R10);
        asm.Alu64(AluOp.Add, Register.R3, -16);
        asm.Mov64(Register.R4, (int)BpfUpdateFlags.NoExist);
        asm.Call(BpfHelper.MapUpdateElem);
        asm.MarkLabel(done);
        asm.Mov64(Register.R0, 0);
        asm.Exit();
        return [.. asm.Build().Instructions];
    }

    [Fact]
    public void CountsTheOpensOfAChildExactly()
    {
        Require.Root();
        const int opens = 1234;
        using var counts = BpfMap.Create(MapSpec.Hash("opens", 4, 8, 10240));
        using var program = BpfProgram.Load(new ProgramSpec("count_opens", BpfProgramType.Tracepoint, CountPerProcess(counts)));
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
        using var program = BpfProgram.Load(new ProgramSpec("count_opens", BpfProgramType.Tracepoint, CountPerProcess(counts)));
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
        using var program = BpfProgram.Load(new ProgramSpec("count_calls", BpfProgramType.RawTracepoint, CountPerProcess(counts)));
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
        using var program = BpfProgram.Load(new ProgramSpec("x", BpfProgramType.Tracepoint, CountPerProcess(counts)));
        var e = Assert.Throws<TracepointNotFoundException>(() => Attach.Tracepoint(program, "syscalls", "sys_enter_nonexistent"));
        Assert.Contains("syscalls:sys_enter_nonexistent does not exist", e.Message);
    }
}
