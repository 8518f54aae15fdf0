using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Bpf;

public class ProgramLoadTests
{
    private static readonly Instruction ReturnZero = new(0xb7, 0, 0, 0, 0); // r0 = 0
    private static readonly Instruction Exit = new(0x95, 0, 0, 0, 0);

    [Theory]
    [InlineData(BpfProgramType.Kprobe)]
    [InlineData(BpfProgramType.Tracepoint)]
    [InlineData(BpfProgramType.RawTracepoint)]
    [InlineData(BpfProgramType.PerfEvent)]
    public void TracingProgramTypesLoad(BpfProgramType type)
    {
        Require.Root();
        using var program = BpfProgram.Load(new ProgramSpec("t_ok", type, [ReturnZero, Exit]));
        Assert.True(program.Fd.Value > 2);
    }

    [Fact]
    public void RejectedProgramCarriesLogAndInstructionIndex()
    {
        Require.Root();
        // r0 = 0; r1 = *(u64 *)(r2 +0): r2 is uninitialised, the verifier stops at instruction 1.
        Instruction[] bad = [ReturnZero, new(0x79, 1, 2, 0, 0), Exit];
        var e = Assert.Throws<VerifierException>(() => BpfProgram.Load(new ProgramSpec("t_bad", BpfProgramType.Kprobe, bad)));
        Assert.Contains("R2 !read_ok", e.Log);
        Assert.Equal(1, e.InstructionIndex);
        Assert.Contains("R2 !read_ok", e.Message);
        Assert.Contains("t_bad", e.Message);
    }

    [Fact]
    public void LogLevelKeepsTheLogOfASuccessfulLoad()
    {
        Require.Root();
        using var program = BpfProgram.Load(new ProgramSpec("t_log", BpfProgramType.Kprobe, [ReturnZero, Exit]), logLevel: 4);
        Assert.Contains("processed 2 insns", program.VerifierLog);
    }
}
