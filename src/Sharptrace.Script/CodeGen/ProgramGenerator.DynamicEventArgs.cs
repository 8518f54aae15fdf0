using Sharptrace.Bpf.Asm;
using Sharptrace.Kernel;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax.Ast;
using Sharptrace.Tracing.DynamicEvents;

namespace Sharptrace.Script.CodeGen;

/// <summary>
/// args.NAME of a kprobe/uprobe dynamic event: the event's fetch arg recomputed from pt_regs as the
/// kernel computes it, so a script sees the values `ftrace record` shows. Memory is user memory for
/// uprobes and for kprobe "+u" derefs, kernel memory otherwise; a kprobe's :string reads user or
/// kernel memory by the address, as the kernel's string fetch does.
/// </summary>
internal sealed partial class ProgramGenerator
{
    /// <summary>r0 = an integer (or symbol address) argument, truncated to its fetch type.</summary>
    private void EmitDynamicArgument(FieldAccess f)
    {
        var argument = resolved.DynamicEvent!.Argument(f.Field)!;
        var type = argument.Type;
        EmitFetch(argument.Fetch!, type.Size);
        if (type.BitWidth > 0)
        {
            Truncate(ScriptType.Integer(type.Size, false));
            asm.Alu64(AluOp.Lsh, Register.R0, 64 - type.BitWidth - type.BitOffset);
            asm.Alu64(AluOp.Rsh, Register.R0, 64 - type.BitWidth);
            return;
        }
        Truncate(ScriptType.Integer(type.Size, type.Signed));
    }

    /// <summary>Writes a string argument ($comm, or the text at a fetched address) to the zeroed slot at [r10+offset].</summary>
    private void EmitDynamicString(FieldAccess f, short offset, int size)
    {
        var argument = resolved.DynamicEvent!.Argument(f.Field)!;
        if (argument.Fetch is CommFetch)
        {
            StackPointer(Register.R1, offset);
            asm.Mov64(Register.R2, Math.Min(16, size));
            asm.Call(BpfHelper.GetCurrentComm);
            return;
        }
        // The kernel turns the outermost deref of a string fetch into "the string at this address".
        var memory = (MemoryFetch)argument.Fetch!;
        EmitFetch(memory.Address, 8);
        if (memory.Offset != 0) LoadOffset(memory.Offset);
        asm.Mov64(Register.R3, Register.R0);
        StackPointer(Register.R1, offset);
        asm.Mov64(Register.R2, Math.Min(size, f.Type.Size));
        var user = resolved.DynamicEvent.IsUser || memory.User || argument.Type.Kind == FetchTypeKind.UserString;
        asm.Call(user ? BpfHelper.ProbeReadUserStr : BpfHelper.ProbeReadStr);
    }

    /// <summary>r0 = the value of <paramref name="fetch"/>; a memory fetch reads <paramref name="size"/> bytes.</summary>
    private void EmitFetch(FetchNode fetch, int size)
    {
        var arch = Arch.Current;
        switch (fetch)
        {
            case RegisterFetch r:
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)DynamicEventArgs.RegisterOffset(r.Name)!.Value);
                break;
            case FunctionArgumentFetch a:
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)arch.ArgumentOffsets[a.Number - 1]);
                break;
            case ReturnValueFetch:
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)arch.ReturnValueOffset);
                break;
            case StackFetch { Index: < 0 }:
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)arch.StackPointerOffset);
                break;
            case StackFetch s:
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)arch.StackPointerOffset);
                LoadOffset(s.Index * 8L);
                EmitRead(8, resolved.DynamicEvent!.IsUser);
                break;
            case ImmediateFetch i:
                LoadConstant(Register.R0, (long)i.Value);
                break;
            case SymbolFetch s:
                LoadConstant(Register.R0, (long)(KernelSymbolAddress.Find(s.Symbol) ?? 0) + s.Offset);
                break;
            case MemoryFetch m:
                EmitFetch(m.Address, 8);
                if (m.Offset != 0) LoadOffset(m.Offset);
                EmitRead(size, resolved.DynamicEvent!.IsUser || m.User);
                break;
            default:
                throw new InvalidOperationException($"fetch {fetch} has no integer value");
        }
    }

    private void LoadOffset(long offset)
    {
        LoadConstant(Register.R1, offset);
        asm.Alu64(AluOp.Add, Register.R0, Register.R1);
    }

    /// <summary>r0 = *(size*)r0 from user or kernel memory (0 when the read faults).</summary>
    private void EmitRead(int size, bool user)
    {
        var slot = frame.Allocate(8, default);
        asm.StoreImm(Size.DWord, Register.R10, slot, 0);
        asm.Mov64(Register.R3, Register.R0);
        StackPointer(Register.R1, slot);
        asm.Mov64(Register.R2, Math.Clamp(size, 1, 8));
        asm.Call(user ? BpfHelper.ProbeReadUser : BpfHelper.ProbeReadKernel);
        asm.LoadMem(Size.DWord, Register.R0, Register.R10, slot);
    }
}
