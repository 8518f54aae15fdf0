using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Elf;
using Sharptrace.Script.Semantics;

namespace Sharptrace.Script.CodeGen;

internal sealed partial class ProgramGenerator
{
    /// <summary>
    /// A USDT argument into r0 as its note's spec says: a constant, a register from pt_regs, or
    /// user memory at register (+ index register * scale) + displacement; then narrowed to the spec's size and sign- or
    /// zero-extended to 64 bits, as bpftrace does.
    /// </summary>
    private void EmitUsdtArgument(UsdtArgument argument)
    {
        var type = new ScriptType(TypeKind.Integer, argument.Size, argument.Signed);
        switch (argument.Kind)
        {
            case UsdtArgumentKind.Constant:
                LoadConstant(Register.R0, argument.Value);
                break;
            case UsdtArgumentKind.Register:
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)argument.RegisterOffset);
                break;
            case UsdtArgumentKind.Memory:
                asm.LoadMem(Size.DWord, Register.R0, Ctx, (short)argument.RegisterOffset);
                if (argument.IndexRegisterOffset >= 0)
                {
                    asm.LoadMem(Size.DWord, Register.R1, Ctx, (short)argument.IndexRegisterOffset);
                    if (argument.Scale > 1) asm.Alu64(AluOp.Lsh, Register.R1, System.Numerics.BitOperations.Log2((uint)argument.Scale));
                    asm.Alu64(AluOp.Add, Register.R0, Register.R1);
                }
                if (argument.Value != 0) LoadAddend(argument.Value);
                EmitProbeRead(argument.Size);
                break;
            default:
                // Symbol operands are made relative to the probe site when the probe is resolved (UsdtProbe.Arguments).
                throw new InvalidOperationException($"USDT argument '{argument.Spec}' was not located");
        }
        Truncate(type);
    }

    private void LoadAddend(long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue) asm.Alu64(AluOp.Add, Register.R0, (int)value);
        else
        {
            asm.LoadImm64(Register.R1, value);
            asm.Alu64(AluOp.Add, Register.R0, Register.R1);
        }
    }
}
