using Sharptrace.Bpf.Asm;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.CodeGen;

internal sealed partial class ProgramGenerator
{
    /// <summary>
    /// debugf(fmt, a, b, c): bpf_trace_printk(fmt, size, a, b, c), written by the kernel to the
    /// tracefs trace buffer (not to our output), as bpftrace does. Values are computed into stack
    /// slots first, since evaluating one may call helpers; strings are passed by their stack address.
    /// </summary>
    private void EmitDebugf(Call call)
    {
        var text = ((StringLiteral)call.Arguments[0]).Value;
        var formatSize = System.Text.Encoding.UTF8.GetByteCount(text) + 1;
        var format = frame.Allocate(ScriptType.Align8(formatSize), call.Span);
        ZeroStack(format, ScriptType.Align8(formatSize));
        StoreString(text, format, formatSize);
        var slots = new List<short>();
        foreach (var argument in call.Arguments.Skip(1))
        {
            var slot = frame.Allocate(ScriptType.Align8(Math.Max(8, argument.Type.Size)), argument.Span);
            if (argument.Type.IsOnStack)
            {
                ZeroStack(slot, ScriptType.Align8(argument.Type.Size));
                EmitToStack(argument, slot);
            }
            else
            {
                EmitInt(argument);
                asm.StoreMem(Size.DWord, Register.R10, slot, Register.R0);
            }
            slots.Add(slot);
        }
        Register[] registers = [Register.R3, Register.R4, Register.R5];
        for (var i = 0; i < slots.Count; i++)
        {
            if (call.Arguments[i + 1].Type.IsOnStack) StackPointer(registers[i], slots[i]);
            else asm.LoadMem(Size.DWord, registers[i], Register.R10, slots[i]);
        }
        StackPointer(Register.R1, format);
        asm.Mov64(Register.R2, formatSize);
        asm.Call(BpfHelper.TracePrintk);
    }
}
