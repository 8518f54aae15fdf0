using Sharptrace.Bpf.Asm;
using Sharptrace.Script.Runtime;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.CodeGen;

internal sealed partial class ProgramGenerator
{
    /// <summary>
    /// ntop([family,] address) at <paramref name="offset"/> as bpftrace's inet: the u64 family, then
    /// 16 address bytes. An integer is an IPv4 address in network byte order (its 4 bytes in
    /// memory order); a 4- or 16-byte array is copied from kernel memory, its length giving the
    /// family unless one is passed.
    /// </summary>
    private void EmitInet(Call call, short offset)
    {
        var address = call.Arguments[^1];
        var arrayLength = TypeChecker.InetArrayLength(address);
        ZeroStack(offset, 24);
        if (address.Type.Kind == TypeKind.Array)
            EmitToStack(address, (short)(offset + 8));
        else if (arrayLength is { } length)
        {
            if (address is FieldAccess { TracepointField: { } field })
            {
                asm.Mov64(Register.R3, Ctx);
                asm.Alu64(AluOp.Add, Register.R3, field.Offset);
            }
            else
            {
                EmitMemberAddress((FieldAccess)address);
                asm.Mov64(Register.R3, Register.R0);
            }
            StackPointer(Register.R1, (short)(offset + 8));
            asm.Mov64(Register.R2, length);
            asm.Call(BpfHelper.ProbeReadKernel);
        }
        else
        {
            EmitInt(address);
            asm.StoreMem(Size.Word, Register.R10, (short)(offset + 8), Register.R0);
        }
        if (call.Arguments.Count == 2) EmitInt(call.Arguments[0]);
        else LoadConstant(Register.R0, arrayLength == 16 ? InetText.AfInet6 : InetText.AfInet);
        asm.StoreMem(Size.DWord, Register.R10, offset, Register.R0);
    }
}
