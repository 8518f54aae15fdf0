using Sharptrace.Bpf.Asm;
using static Sharptrace.Bpf.Asm.Register;

namespace Sharptrace.Tests.Asm;

public class DisassemblerTests
{
    [Fact]
    public void ListsAMapLookupTheWayTheVerifierDoes()
    {
        var asm = new Assembler();
        var miss = asm.DefineLabel();
        asm.StoreImm(Size.Word, R10, -4, 0);
        asm.Mov64(R2, R10);
        asm.Alu64(AluOp.Add, R2, -4);
        asm.LoadMapFd(R1, 3);
        asm.Call(BpfHelper.MapLookupElem);
        asm.JumpIf(JumpCondition.Equal, R0, 0, miss);
        asm.Mov64(R1, 1);
        asm.Atomic(AtomicOp.Add, Size.DWord, R0, 0, R1);
        asm.MarkLabel(miss);
        asm.Mov64(R0, 0);
        asm.Exit();

        Assert.Equal(
            """
            0: (62) *(u32 *)(r10 -4) = 0
            1: (bf) r2 = r10
            2: (07) r2 += -4
            3: (18) r1 = 0x3
            5: (85) call bpf_map_lookup_elem#1
            6: (15) if r0 == 0x0 goto pc+2
            7: (b7) r1 = 1
            8: (db) lock *(u64 *)(r0 +0) += r1
            9: (b7) r0 = 0
            10: (95) exit

            """.ReplaceLineEndings("\n"),
            Disassembler.Default.ToVerifierLog(asm.Build().Instructions.AsSpan()));
    }

    [Fact]
    public void PlainTextLeavesOutTheOpcode()
    {
        var insns = new[] { new Instruction(0x79, 1, 10, -8, 0) };
        Assert.Equal("r1 = *(u64 *)(r10 -8)", Disassembler.Default.Format(insns[0]));
        Assert.Equal("0: r1 = *(u64 *)(r10 -8)\n", Disassembler.Default.ToText(insns));
    }

    [Fact]
    public void LinesCarryIndexSlotsAndBothTexts()
    {
        var asm = new Assembler();
        asm.LoadImm64(R1, 7);
        asm.Exit();

        var lines = Disassembler.Default.Disassemble(asm.Build().Instructions.AsSpan());

        Assert.Equal(2, lines.Length);
        Assert.Equal((0, 2, "r1 = 0x7", "(18) r1 = 0x7"), (lines[0].Index, lines[0].SlotCount, lines[0].Text, lines[0].VerifierText));
        Assert.Equal("2: (95) exit", lines[1].ToString());
    }

    [Fact]
    public void LoadImm64CutOffAtTheEndDoesNotReadPastIt()
    {
        var lines = Disassembler.Default.Disassemble([new Instruction(OpCodes.LoadImm64, 1, 0, 0, 5)]);
        Assert.Equal("0: invalid bpf_ld_imm64 insn", Assert.Single(lines).ToString());
    }

    [Fact]
    public void HiddenPointersPrintAsZeroLikeAnUnprivilegedLog()
    {
        var asm = new Assembler();
        asm.LoadMapFd(R1, 5);
        asm.LoadMapValue(R2, 5, 8);
        asm.LoadImm64(R3, 5);
        var hiding = new Disassembler { ShowPointers = false };

        Assert.Equal("0: (18) r1 = 0x0\n2: (18) r2 = 0x0\n4: (18) r3 = 0x5\n", hiding.ToVerifierLog(asm.Build().Instructions.AsSpan()));
    }

    [Fact]
    public void CallbacksNameImmediatesAndCallsLikeBpftool()
    {
        var asm = new Assembler();
        asm.LoadMapFd(R1, 5);
        asm.CallKfunc(77);
        asm.Call(BpfHelper.MapLookupElem);
        var named = new Disassembler
        {
            FormatImmediate = (insn, value) => insn.Src == (byte)LoadImm64Source.MapFd ? $"map[fd:{value}]" : null,
            NameCall = insn => insn.Src == (byte)CallSource.Kfunc ? "bpf_task_acquire" : "never used for known helpers",
        };

        Assert.Equal(
            "0: (18) r1 = map[fd:5]\n2: (85) call bpf_task_acquire#77\n3: (85) call bpf_map_lookup_elem#1\n",
            named.ToVerifierLog(asm.Build().Instructions.AsSpan()));
    }

    [Fact]
    public void SubprogramCallsCanBeNamed()
    {
        var named = new Disassembler { NameCall = _ => "[my_function]" };
        var call = new Instruction(OpCodes.Call, 0, (byte)CallSource.BpfFunction, 0, 4);
        Assert.Equal("(85) call pc[my_function]", named.FormatVerifierStyle(call));
    }

    [Fact]
    public void UnknownOperationsPrintLikeTheKernelsNullStrings()
    {
        // Opcodes with no entry in the kernel's tables: printf prints "(null)" for them.
        Assert.Equal("(e7) r1 (null) 0", Disassembler.Default.FormatVerifierStyle(new Instruction(0xe7, 1, 0, 0, 0)));
        Assert.Equal("(ed) if r1 (null) r2 goto pc+0", Disassembler.Default.FormatVerifierStyle(new Instruction(0xed, 1, 2, 0, 0)));
    }
}
