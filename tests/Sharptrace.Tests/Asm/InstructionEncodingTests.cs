using Sharptrace.Bpf.Asm;

namespace Sharptrace.Tests.Asm;

public class InstructionEncodingTests
{
    [Fact]
    public void DestinationIsTheLowNibbleOfTheRegisterByte()
    {
        var insn = Instruction.Decode(Hex.Parse("bf 16 00 00 00 00 00 00"));

        Assert.Equal(0xbf, insn.OpCode);
        Assert.Equal(6, insn.Dst);
        Assert.Equal(1, insn.Src);
        Assert.Equal(InstructionClass.Alu64, insn.Class);
    }

    [Fact]
    public void OffsetAndImmediateAreSignedLittleEndian()
    {
        var insn = Instruction.Decode(Hex.Parse("7a 0a f8 ff fe ff ff ff"));

        Assert.Equal(-8, insn.Offset);
        Assert.Equal(-2, insn.Immediate);
        Assert.Equal("7a 0a f8 ff fe ff ff ff", Hex.Format(insn.ToBytes()));
    }

    [Fact]
    public void DecodeReadsOnlyTheFirstEightBytes()
    {
        var insn = Instruction.Decode(Hex.Parse("95 00 00 00 00 00 00 00 b7 00 00 00 00 00 00 00"));
        Assert.Equal(OpCodes.Exit, insn.OpCode);
    }

    [Fact]
    public void RandomInstructionsSurviveEncodeAndDecode()
    {
        var random = new Random(1234);
        for (var i = 0; i < 1000; i++)
        {
            var original = new Instruction((byte)random.Next(256), (byte)random.Next(16), (byte)random.Next(16),
                (short)random.Next(short.MinValue, short.MaxValue + 1), random.Next(int.MinValue, int.MaxValue));
            Assert.Equal(original, Instruction.Decode(original.ToBytes()));
        }
    }

    [Fact]
    public void ShortInputIsATruncatedInstruction()
    {
        var error = Assert.Throws<InstructionDecodeException>(() => Instruction.Decode(Hex.Parse("b7 00 00 00 00 00 00")));
        Assert.Equal(0, error.ByteOffset);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void DecodeAllNamesTheOffsetOfAPartialTrailingInstruction()
    {
        var error = Assert.Throws<InstructionDecodeException>(() =>
            Instruction.DecodeAll(Hex.Parse("b7 00 00 00 00 00 00 00 95 00 00 00")));
        Assert.Equal(8, error.ByteOffset);
    }

    [Fact]
    public void DecodeAllRejectsALoadImm64WithoutItsSecondSlot()
    {
        var error = Assert.Throws<InstructionDecodeException>(() =>
            Instruction.DecodeAll(Hex.Parse("b7 00 00 00 00 00 00 00 18 01 00 00 05 00 00 00")));
        Assert.Equal(8, error.ByteOffset);
        Assert.Contains("ld_imm64", error.Message);
    }

    [Fact]
    public void DecodeAllDoesNotMistakeASecondSlotForAnOpcode()
    {
        // The second slot's opcode byte is normally 0, but even a 0x18 there is data, not a new ld_imm64.
        var instructions = Instruction.DecodeAll(Hex.Parse("18 01 00 00 05 00 00 00 18 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00"));
        Assert.Equal(3, instructions.Length);
    }

    [Fact]
    public void EmptyInputIsAnEmptyProgram()
    {
        Assert.Empty(Instruction.DecodeAll([]));
        Assert.Empty(Instruction.ToBytes([]));
    }

    [Fact]
    public void WriteToNeedsEightBytes()
    {
        var insn = new Instruction(OpCodes.Exit, 0, 0, 0, 0);
        Assert.Throws<ArgumentException>(() => insn.WriteTo(new byte[7]));
    }

    [Fact]
    public void OpCodePartsComposeAndDecompose()
    {
        var opcode = OpCodes.Memory(InstructionClass.Stx, Mode.Atomic, Size.DWord);
        Assert.Equal(0xdb, opcode);
        Assert.Equal(InstructionClass.Stx, OpCodes.ClassOf(opcode));
        Assert.Equal(Mode.Atomic, OpCodes.ModeOf(opcode));
        Assert.Equal(Size.DWord, OpCodes.SizeOf(opcode));

        var jump = OpCodes.Jump(InstructionClass.Jmp32, JumpOp.Jsgt, OperandSource.Register);
        Assert.Equal(0x6e, jump);
        Assert.Equal(JumpOp.Jsgt, OpCodes.JumpOpOf(jump));
        Assert.Equal(OperandSource.Register, OpCodes.SourceOf(jump));
        Assert.Equal(AluOp.Arsh, OpCodes.AluOpOf(OpCodes.Alu(InstructionClass.Alu, AluOp.Arsh, OperandSource.Immediate)));
    }
}
