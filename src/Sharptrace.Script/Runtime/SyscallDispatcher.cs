using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Script.Probes;

namespace Sharptrace.Script.Runtime;

/// <summary>
/// One program on the raw sys_enter (or sys_exit) tracepoint that tail-calls the probe of the call
/// number from a program array: every program on a raw tracepoint runs at every system call, and
/// with one per probe a sys_enter_* script made each call some hundred times slower. A probe whose
/// call already has one in the array (two probes on sys_enter_openat) is attached by itself.
/// </summary>
internal sealed class SyscallDispatcher : IDisposable
{
    private readonly BpfMap table;
    private readonly BpfProgram program;
    private readonly BpfLink link;
    private readonly HashSet<int> taken = [];

    private SyscallDispatcher(BpfMap table, BpfProgram program, BpfLink link)
    {
        this.table = table;
        this.program = program;
        this.link = link;
    }

    /// <summary>Creates the table and attaches the dispatcher to sys_exit (<paramref name="isExit"/>) or sys_enter.</summary>
    public static SyscallDispatcher Attach(bool isExit, int slots)
    {
        var table = BpfMap.Create(new MapSpec(isExit ? "sys_exit_calls" : "sys_enter_calls", BpfMapType.ProgArray, 4, 4, slots));
        BpfProgram? program = null;
        try
        {
            program = BpfProgram.Load(new ProgramSpec(isExit ? "sys_exit_calls" : "sys_enter_calls", BpfProgramType.RawTracepoint, Code(table, isExit)));
            var link = Bpf.Links.Attach.RawTracepoint(program, isExit ? "sys_exit" : "sys_enter");
            return new SyscallDispatcher(table, program, link);
        }
        catch
        {
            program?.Dispose();
            table.Dispose();
            throw;
        }
    }

    /// <summary>Routes call <paramref name="number"/> to <paramref name="probe"/>; false when another probe has it.</summary>
    public bool TryAdd(int number, BpfProgram probe)
    {
        if (!taken.Add(number)) return false;
        table.Update((uint)number, (uint)probe.Fd.Value);
        return true;
    }

    public void Dispose()
    {
        link.Dispose();
        program.Dispose();
        table.Dispose();
    }

    /// <summary>ctx: u64 args[2] = { struct pt_regs *regs, long id (sys_enter) / long ret (sys_exit) }; the exit's number is in the registers.</summary>
    private static Instruction[] Code(BpfMap table, bool isExit)
    {
        var a = new Assembler();
        a.Mov64(Register.R6, Register.R1);
        if (isExit)
        {
            var arch = Arch.Current;
            a.StoreImm(Size.DWord, Register.R10, -8, 0);
            a.Mov64(Register.R1, Register.R10);
            a.Alu64(AluOp.Add, Register.R1, -8);
            a.Mov64(Register.R2, arch.SyscallNumberSize);
            a.LoadMem(Size.DWord, Register.R3, Register.R6, 0);
            a.Alu64(AluOp.Add, Register.R3, arch.SyscallNumberOffset);
            a.Call(BpfHelper.ProbeReadKernel);
            a.LoadMem(arch.SyscallNumberSize == 4 ? Size.Word : Size.DWord, Register.R3, Register.R10, -8);
        }
        else a.LoadMem(Size.DWord, Register.R3, Register.R6, 8);
        // An index past the table (-1 for a bad call, a compat or x32 number) calls nothing.
        a.Mov64(Register.R1, Register.R6);
        a.LoadMapFd(Register.R2, table.Fd.Value);
        a.Call(BpfHelper.TailCall);
        a.Mov64(Register.R0, 0);
        a.Exit();
        return [.. a.Build().Instructions];
    }
}
