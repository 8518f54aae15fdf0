using Sharptrace.Bpf.Asm;
using Sharptrace.Script.Semantics;
using Sharptrace.Script.Syntax.Ast;

namespace Sharptrace.Script.CodeGen;

internal sealed partial class ProgramGenerator
{
    /// <summary>
    /// r0 = strcontains(haystack, needle): 1 when the needle's bytes up to its NUL occur in the
    /// haystack (an empty needle always does), else 0. Branch-free on the data, so that the
    /// verifier walks the two constant-bound loops once (haystack × needle steps) instead of
    /// forking at every byte compared: for each start i, the bytes of needle[0..len) are XORed with
    /// haystack[i..i+len) and OR-ed together; zero means a match. The haystack slot is zero-padded
    /// by the needle's size, so that reads past its end stay in it and never match a needle byte.
    /// </summary>
    private void EmitStrContains(Call call)
    {
        var haystack = call.Arguments[0];
        var needle = call.Arguments[1];
        int hayLength = haystack.Type.Size, pinLength = needle.Type.Size;
        // The copies are dead once r0 holds the result: their slots go back to the frame.
        var mark = frame.Mark();
        var haySize = ScriptType.Align8(hayLength + pinLength);
        var pinSize = ScriptType.Align8(pinLength);
        var hay = frame.Allocate(haySize, haystack.Span);
        var pin = frame.Allocate(pinSize, needle.Span);
        var length = frame.Allocate(8, call.Span);
        var difference = frame.Allocate(8, call.Span);
        ZeroStack(hay, haySize);
        ZeroStack(pin, pinSize);
        EmitToStack(haystack, hay, hayLength);
        EmitToStack(needle, pin, pinLength);

        // len = the count of the needle's leading non-zero bytes: r4 stays 1 until the first NUL.
        var count = asm.DefineLabel("strcontains_count");
        asm.Mov64(Register.R0, 0);
        asm.Mov64(Register.R4, 1);
        asm.Mov64(Register.R2, 0);
        asm.MarkLabel(count);
        LoadStackByte(Register.R5, pin, Register.R2, null);
        asm.Neg64(Register.R5);
        asm.Alu64(AluOp.Rsh, Register.R5, 63); // 1 when the byte is not NUL
        asm.Alu64(AluOp.And, Register.R4, Register.R5);
        asm.Alu64(AluOp.Add, Register.R0, Register.R4);
        asm.Alu64(AluOp.Add, Register.R2, 1);
        asm.JumpIf(JumpCondition.Less, Register.R2, pinLength, count);
        asm.StoreMem(Size.DWord, Register.R10, length, Register.R0);

        var outer = asm.DefineLabel("strcontains_outer");
        var inner = asm.DefineLabel("strcontains_inner");
        asm.Mov64(Register.R0, 0); // found
        asm.Mov64(Register.R1, 0); // i
        asm.MarkLabel(outer);
        asm.StoreImm(Size.DWord, Register.R10, difference, 0);
        asm.Mov64(Register.R2, 0); // j
        asm.MarkLabel(inner);
        LoadStackByte(Register.R4, hay, Register.R1, Register.R2);
        LoadStackByte(Register.R5, pin, Register.R2, null);
        asm.Alu64(AluOp.Xor, Register.R4, Register.R5);
        // Only the needle's first len bytes count: mask = -(j < len).
        asm.Mov64(Register.R3, Register.R2);
        asm.LoadMem(Size.DWord, Register.R5, Register.R10, length);
        asm.Alu64(AluOp.Sub, Register.R3, Register.R5);
        asm.Alu64(AluOp.Rsh, Register.R3, 63);
        asm.Neg64(Register.R3);
        asm.Alu64(AluOp.And, Register.R4, Register.R3);
        asm.LoadMem(Size.DWord, Register.R5, Register.R10, difference);
        asm.Alu64(AluOp.Or, Register.R5, Register.R4);
        asm.StoreMem(Size.DWord, Register.R10, difference, Register.R5);
        asm.Alu64(AluOp.Add, Register.R2, 1);
        asm.JumpIf(JumpCondition.Less, Register.R2, pinLength, inner);
        // found |= (difference == 0), as (difference - 1) >> 63 for a difference below 2^63.
        asm.LoadMem(Size.DWord, Register.R5, Register.R10, difference);
        asm.Alu64(AluOp.Sub, Register.R5, 1);
        asm.Alu64(AluOp.Rsh, Register.R5, 63);
        asm.Alu64(AluOp.Or, Register.R0, Register.R5);
        asm.Alu64(AluOp.Add, Register.R1, 1);
        asm.JumpIf(JumpCondition.Less, Register.R1, hayLength, outer);
        frame.Release(mark);
    }

    /// <summary>dst = the byte at [r10 + slot + first (+ second)]; the counters are constants to the verifier.</summary>
    private void LoadStackByte(Register dst, short slot, Register first, Register? second)
    {
        asm.Mov64(Register.R3, Register.R10);
        asm.Alu64(AluOp.Add, Register.R3, slot);
        asm.Alu64(AluOp.Add, Register.R3, first);
        if (second is { } other) asm.Alu64(AluOp.Add, Register.R3, other);
        asm.LoadMem(Size.Byte, dst, Register.R3, 0);
    }
}
