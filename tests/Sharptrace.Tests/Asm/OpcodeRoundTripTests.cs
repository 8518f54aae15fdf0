using Sharptrace.Bpf.Asm;

namespace Sharptrace.Tests.Asm;

public class OpcodeRoundTripTests
{
    public static TheoryData<string> CaseNames => new(OpcodeTable.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BuilderEmitsTheKernelEncoding(string name)
    {
        var testCase = OpcodeTable.Find(name);
        var program = Assemble(testCase);
        Assert.Equal(testCase.Bytes, Hex.Format(program.ToBytes()));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BytesDecodeAndDisassembleToTheVerifierText(string name)
    {
        var testCase = OpcodeTable.Find(name);
        var bytes = Hex.Parse(testCase.Bytes);

        var decoded = Instruction.DecodeAll(bytes);

        Assert.Equal(bytes, Instruction.ToBytes(decoded));
        Assert.Equal(testCase.Listing + "\n", Disassembler.Default.ToVerifierLog(decoded));
    }

    [Fact]
    public void EveryOpcodeTheKernelAcceptsHasACase()
    {
        var covered = OpcodeTable.Cases
            .SelectMany(c => Disassembler.Default.Disassemble(Instruction.DecodeAll(Hex.Parse(c.Bytes))))
            .Select(line => line.Instruction.OpCode)
            .ToHashSet();

        var missing = OpcodeTable.ValidOpcodes().Where(op => !covered.Contains(op)).Select(op => $"0x{op:x2}");

        Assert.Empty(missing);
    }

    [Fact]
    public void CaseNamesAreUnique()
    {
        var duplicates = OpcodeTable.Cases.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void EveryOpcodeByteDisassemblesWithoutThrowing()
    {
        for (var opcode = 0; opcode < 256; opcode++)
        {
            foreach (var src in new byte[] { 0, 1, 2, 3, 15 })
            {
                var instructions = new[] { new Instruction((byte)opcode, 1, src, -3, unchecked((int)0x80000001)), new Instruction(0, 0, 0, 0, 7) };
                var text = Disassembler.Default.ToVerifierLog(instructions);
                Assert.False(string.IsNullOrWhiteSpace(text));
            }
        }
    }

    private static AssembledProgram Assemble(OpcodeCase testCase)
    {
        var assembler = new Assembler();
        testCase.Build(assembler);
        return assembler.Build();
    }
}
