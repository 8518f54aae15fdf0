using Sharptrace.Bpf.Asm;
using static Sharptrace.Bpf.Asm.Register;

namespace Sharptrace.Tests.Asm;

public class AssemblerLabelTests
{
    [Fact]
    public void ForwardJumpCountsFromTheNextInstruction()
    {
        var asm = new Assembler();
        var done = asm.DefineLabel("done");
        asm.JumpIf(JumpCondition.Equal, R1, 0, done);
        asm.Mov64(R0, 1);
        asm.Mov64(R0, 2);
        asm.MarkLabel(done);
        asm.Exit();

        var program = asm.Build();

        Assert.Equal(2, program.Instructions[0].Offset);
        Assert.Equal("0: (15) if r1 == 0x0 goto pc+2\n1: (b7) r0 = 1\n2: (b7) r0 = 2\n3: (95) exit\n", program.ToString());
    }

    [Fact]
    public void BackwardJumpIsNegative()
    {
        var asm = new Assembler();
        asm.Mov64(R1, 10);
        var loop = asm.MarkNewLabel("loop");
        asm.Alu64(AluOp.Sub, R1, 1);
        asm.JumpIf32(JumpCondition.SignedGreater, R1, R2, loop);
        asm.Exit();

        var program = asm.Build();

        Assert.Equal(-2, program.Instructions[2].Offset);
        Assert.Contains("2: (6e) if w1 s> w2 goto pc-2", program.ToString());
    }

    [Fact]
    public void LoadImm64TakesTwoSlotsInJumpDistances()
    {
        var asm = new Assembler();
        var end = asm.DefineLabel();
        asm.Jump(end);
        asm.LoadImm64(R1, 0x1234);
        asm.MarkLabel(end);
        asm.Exit();

        var program = asm.Build();

        Assert.Equal(4, program.Instructions.Length);
        Assert.Equal(2, program.Instructions[0].Offset);
        Assert.Equal("0: (05) goto pc+2\n1: (18) r1 = 0x1234\n3: (95) exit\n", program.ToString());
    }

    [Fact]
    public void CallLabelCanGoBackwards()
    {
        var asm = new Assembler();
        var skipFunction = asm.DefineLabel();
        asm.Jump(skipFunction);
        var function = asm.MarkNewLabel("function");
        asm.Mov64(R0, 0);
        asm.Exit();
        asm.MarkLabel(skipFunction);
        asm.CallLabel(function);
        asm.Exit();

        var program = asm.Build();

        Assert.Contains("3: (85) call pc-3", program.ToString());
    }

    [Fact]
    public void UndefinedLabelFailsAtBuildNamingTheLabel()
    {
        var asm = new Assembler();
        asm.Jump(asm.DefineLabel("nowhere"));

        var error = Assert.Throws<AssemblerException>(() => asm.Build());

        Assert.Contains("'nowhere'", error.Message);
        Assert.Contains("instruction 0", error.Message);
    }

    [Fact]
    public void LabelMarkedTwiceFails()
    {
        var asm = new Assembler();
        var label = asm.MarkNewLabel("twice");
        Assert.Throws<AssemblerException>(() => asm.MarkLabel(label));
    }

    [Fact]
    public void LabelOfAnotherAssemblerIsRejected()
    {
        var other = new Assembler().DefineLabel();
        Assert.Throws<ArgumentException>(() => new Assembler().Jump(other));
        Assert.Throws<ArgumentException>(() => new Assembler().Jump(default));
    }

    [Fact]
    public void JumpOfExactly32767Fits()
    {
        var program = JumpOver(short.MaxValue, (asm, label) => asm.Jump(label));
        Assert.Equal(short.MaxValue, program.Instructions[0].Offset);
    }

    [Fact]
    public void ForwardJumpBeyond16BitsFails()
    {
        var error = Assert.Throws<AssemblerException>(() =>
            JumpOver(short.MaxValue + 1, (asm, label) => asm.JumpIf(JumpCondition.Equal, R1, 0, label)));
        Assert.Contains("16-bit", error.Message);
    }

    [Fact]
    public void BackwardJumpBeyond16BitsFails()
    {
        var asm = new Assembler();
        var top = asm.MarkNewLabel("top");
        for (var i = 0; i < short.MaxValue + 1; i++)
            asm.Mov64(R0, 0);
        asm.JumpIf32(JumpCondition.NotEqual, R1, R2, top);

        Assert.Throws<AssemblerException>(() => asm.Build());
    }

    [Fact]
    public void JumpLongReachesBeyond16Bits()
    {
        var program = JumpOver(100_000, (asm, label) => asm.JumpLong(label));
        Assert.Equal(100_000, program.Instructions[0].Immediate);
        Assert.Equal("(06) gotol pc+100000", Disassembler.Default.FormatVerifierStyle(program.Instructions[0]));
    }

    [Fact]
    public void BuildCanRunAgainAfterMoreCode()
    {
        var asm = new Assembler();
        var end = asm.DefineLabel();
        asm.Jump(end);
        asm.MarkLabel(end);
        Assert.Single(asm.Build().Instructions);

        asm.Exit();
        Assert.Equal(2, asm.Build().Instructions.Length);
    }

    [Fact]
    public void AnnotationsFollowTheInstructionsEmittedUnderThem()
    {
        var asm = new Assembler();
        var line3 = new InstructionAnnotation("@x = 1") { File = "a.bt", Line = 3, Column = 5 };
        asm.Annotation = line3;
        asm.LoadImm64(R1, 1);
        asm.Mov64(R0, 0);
        asm.Annotation = null;
        asm.Exit();

        var program = asm.Build();

        Assert.Same(line3, program.AnnotationAt(0));
        Assert.Null(program.AnnotationAt(1)); // the second slot of ld_imm64 is not an instruction of its own
        Assert.Same(line3, program.AnnotationAt(2));
        Assert.Null(program.AnnotationAt(3));
        Assert.Equal("; a.bt:3:5: @x = 1\n0: r1 = 0x1\n2: r0 = 0\n3: exit\n", Disassembler.Default.ToText(program));
    }

    [Fact]
    public void InvalidOperandsAreRejectedWhenEmitted()
    {
        var asm = new Assembler();
        Assert.Throws<ArgumentOutOfRangeException>(() => asm.ByteSwap(R1, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => asm.MovSignExtend32(R1, R2, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => asm.MovSignExtend64(R1, R2, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => asm.LoadMemSignExtend(Size.DWord, R1, R2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => asm.Atomic(AtomicOp.Add, Size.Byte, R1, 0, R2));
        Assert.Throws<ArgumentOutOfRangeException>(() => asm.Alu64(AluOp.Neg, R1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => asm.Alu32(AluOp.End, R1, R2));
        Assert.Throws<ArgumentOutOfRangeException>(() => asm.Mov64((Register)11, 0));
        Assert.Equal(0, asm.Count);
    }

    private static AssembledProgram JumpOver(int distance, Action<Assembler, Label> jump)
    {
        var asm = new Assembler();
        var target = asm.DefineLabel();
        jump(asm, target);
        for (var i = 0; i < distance; i++)
            asm.Mov64(R0, 0);
        asm.MarkLabel(target);
        asm.Exit();
        return asm.Build();
    }
}
