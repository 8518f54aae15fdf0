using Sharptrace.Bpf.Asm;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.CodeGen;

internal sealed partial class ProgramGenerator
{
    /// <summary>
    /// macaddr(x) at <paramref name="offset"/>: 6 bytes (padded to 8), printed in user space. A
    /// pointer is read from memory; a 6-byte array member or tracepoint field is copied whole from
    /// where it lies (not as a string: a MAC address may hold zero bytes).
    /// </summary>
    private void EmitMacAddress(Call call, short offset)
    {
        var source = call.Arguments[0];
        ZeroStack(offset, 8);
        switch (source)
        {
            case { Type.Kind: TypeKind.Integer or TypeKind.Pointer }:
                EmitInt(source);
                asm.Mov64(Register.R3, Register.R0);
                break;
            case FieldAccess { TracepointField: { } field }:
                asm.Mov64(Register.R3, Ctx);
                asm.Alu64(AluOp.Add, Register.R3, field.Offset);
                break;
            case FieldAccess member when IsStructMember(member):
                EmitMemberAddress(member);
                asm.Mov64(Register.R3, Register.R0);
                break;
            default:
                EmitToStack(source, offset, 6);
                return;
        }
        StackPointer(Register.R1, offset);
        asm.Mov64(Register.R2, 6);
        asm.Call(BpfHelper.ProbeRead);
    }
}
