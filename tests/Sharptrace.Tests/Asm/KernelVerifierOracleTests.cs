using System.Text;
using System.Text.RegularExpressions;
using Sharptrace.Bpf.Asm;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using static Sharptrace.Bpf.Asm.Register;

namespace Sharptrace.Tests.Asm;

/// <summary>
/// The running kernel's verifier as the reference for the disassembler: a program is loaded with
/// log level 2, which prints every instruction it walks, and each printed line must equal ours.
/// </summary>
public partial class KernelVerifierOracleTests
{
    [Fact]
    public void VerifierLogPrintsEveryInstructionAsWeDo()
    {
        if (!Capabilities.Has(Capability.Bpf))
            Assert.Skip("loading a BPF program needs CAP_BPF");

        var program = BuildProgramUsingManyOpcodes();
        var log = LoadAndGetVerifierLog(program);

        var ours = Disassembler.Default.Disassemble(program.Instructions.AsSpan()).ToDictionary(l => l.Index, l => l.VerifierText);
        var compared = 0;
        foreach (Match match in VerifierInstructionLine().Matches(log))
        {
            var index = int.Parse(match.Groups["index"].Value);
            Assert.True(ours.TryGetValue(index, out var expected), $"kernel printed instruction {index} that we do not list");
            Assert.Equal(match.Groups["text"].Value.TrimEnd(), expected);
            compared++;
        }
        Assert.True(compared >= ours.Count, $"only {compared} of {ours.Count} instructions were in the log:\n{log}");
    }

    private static AssembledProgram BuildProgramUsingManyOpcodes()
    {
        var asm = new Assembler();
        var skip = asm.DefineLabel();
        var loop = asm.DefineLabel();
        var after = asm.DefineLabel();

        asm.Call(BpfHelper.GetPrandomU32);
        asm.Mov64(R6, R0);
        asm.Mov32(R7, R6);
        asm.LoadImm64(R8, 0x1122334455667788);
        foreach (var op in new[] { AluOp.Add, AluOp.Sub, AluOp.Mul, AluOp.Div, AluOp.Or, AluOp.And, AluOp.Lsh, AluOp.Rsh, AluOp.Mod, AluOp.Xor, AluOp.Arsh })
        {
            asm.Alu64(op, R8, 3);
            asm.Alu64(op, R8, R7);
            asm.Alu32(op, R7, op is AluOp.Lsh or AluOp.Rsh or AluOp.Arsh ? 5 : -3); // negative shifts are rejected
            asm.Alu32(op, R7, R6);
        }
        asm.Neg64(R8);
        asm.Neg32(R7);
        asm.SignedDiv64(R8, R6);
        asm.SignedMod64(R8, 7);
        asm.SignedDiv32(R7, -5);
        asm.SignedMod32(R7, R6);
        asm.MovSignExtend64(R8, R7, 8);
        asm.MovSignExtend64(R8, R7, 32);
        asm.MovSignExtend32(R7, R8, 16);
        asm.ToBigEndian(R8, 16);
        asm.ToLittleEndian(R8, 32);
        asm.ByteSwap(R8, 64);

        asm.StoreImm(Size.DWord, R10, -8, -1);
        asm.StoreMem(Size.Word, R10, -16, R7);
        asm.StoreMem(Size.Half, R10, -12, R7);
        asm.StoreImm(Size.Byte, R10, -10, 9);
        asm.LoadMem(Size.DWord, R1, R10, -8);
        asm.LoadMem(Size.Byte, R2, R10, -10);
        asm.LoadMemSignExtend(Size.Half, R3, R10, -12);
        asm.LoadMemSignExtend(Size.Word, R4, R10, -16);
        asm.Atomic(AtomicOp.Add, Size.DWord, R10, -8, R1);
        asm.Atomic(AtomicOp.FetchXor, Size.DWord, R10, -8, R2);
        asm.Atomic(AtomicOp.Or, Size.Word, R10, -16, R3);
        asm.Atomic(AtomicOp.Exchange, Size.DWord, R10, -8, R4);
        asm.Atomic(AtomicOp.LoadAcquire, Size.Half, R5, -12, R10);
        asm.Atomic(AtomicOp.StoreRelease, Size.DWord, R10, -8, R5);
        asm.Mov64(R0, 0);
        asm.Atomic(AtomicOp.CompareExchange, Size.DWord, R10, -8, R4);

        asm.JumpIf(JumpCondition.Greater, R6, 10, skip);
        asm.JumpIf32(JumpCondition.SignedLessOrEqual, R7, R6, skip);
        asm.JumpIf(JumpCondition.BitsSet, R6, R7, skip);
        asm.JumpIf32(JumpCondition.NotEqual, R6, 0x7fff, skip);
        asm.Mov64(R0, 1);
        asm.MarkLabel(skip);
        asm.Mov64(R9, 3);
        asm.MarkLabel(loop);
        asm.MayGoto(after);
        asm.Alu64(AluOp.Sub, R9, 1);
        asm.JumpIf(JumpCondition.SignedGreater, R9, 0, loop);
        var longJumpSkipped = asm.DefineLabel();
        asm.JumpIf(JumpCondition.Equal, R6, 5, longJumpSkipped);
        asm.JumpLong(after);
        asm.MarkLabel(longJumpSkipped);
        asm.Mov64(R0, 2);
        asm.MarkLabel(after);
        asm.Call(BpfHelper.KtimeGetNs);
        asm.Mov64(R0, 0);
        asm.Exit();
        return asm.Build();
    }

    private static unsafe string LoadAndGetVerifierLog(AssembledProgram program)
    {
        var bytes = program.ToBytes();
        var license = "GPL\0"u8.ToArray();
        var logBuffer = new byte[1 << 20];
        fixed (byte* insns = bytes, licensePointer = license, logPointer = logBuffer)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = BpfProgramType.SocketFilter,
                InsnCnt = (uint)program.Instructions.Length,
                Insns = (ulong)insns,
                License = (ulong)licensePointer,
                LogLevel = 2,
                LogSize = (uint)logBuffer.Length,
                LogBuf = (ulong)logPointer,
            };
            var fd = BpfSyscall.TryInvoke(BpfCommand.ProgLoad, ref attr);
            var log = Encoding.UTF8.GetString(logBuffer, 0, Array.IndexOf(logBuffer, (byte)0));
            Assert.True(fd >= 0, $"the verifier rejected the program ({Syscall.LastErrno}):\n{log}");
            KernelFd.Own(fd).Dispose();
            return log;
        }
    }

    // "12: (bf) r1 = r2   ; R1_w=..." — the state after two or more spaces and a semicolon is not ours.
    [GeneratedRegex(@"^(?<index>\d+): (?<text>\(.*?)(?:\s{2,};.*)?$", RegexOptions.Multiline)]
    private static partial Regex VerifierInstructionLine();
}
