using System.Buffers.Binary;
using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tests.Readers;

/// <summary>
/// Builds the tracepoint programs of the reader tests on syscalls:sys_enter_getpgid: a filter that
/// keeps only the <see cref="Tracee"/>'s marked calls, and a 32-byte payload whose every byte the
/// test can predict from the sequence number: { seq, seq ^ Pattern, pid_tgid, Magic }.
/// </summary>
public static class TraceeEvents
{
    public const int PayloadSize = 32;
    /// <summary>Where the payload lies on the BPF stack.</summary>
    public const short PayloadOffset = -32;
    /// <summary>A free 4-byte stack slot for map keys.</summary>
    public const short ScratchOffset = -40;
    public const long Pattern = unchecked((long)0xA5A5_A5A5_A5A5_A5A5);
    public const long Magic = 0x0123_4567_89AB_CDEF;

    /// <summary>The context register: callee-saved, so it survives helper calls.</summary>
    public const Register Context = Register.R6;
    /// <summary>Holds the sequence number after <see cref="EmitFilter"/>.</summary>
    public const Register Sequence = Register.R8;
    private const Register PidTgid = Register.R7;

    private const short FirstArgumentOffset = 16; // after the common fields and __syscall_nr (see the tracepoint's format file)

    /// <summary>
    /// Emits the prologue: keep the context in R6; jump to <paramref name="skip"/> unless the caller is
    /// <paramref name="tracee"/> making a marked call; leave the sequence number in R8 and pid_tgid in R7.
    /// </summary>
    public static void EmitFilter(Assembler asm, Tracee tracee, Label skip)
    {
        asm.Mov64(Context, Register.R1);
        asm.Call(BpfHelper.GetCurrentPidTgid);
        asm.Mov64(PidTgid, Register.R0);
        asm.Alu64(AluOp.Rsh, Register.R0, 32);
        asm.JumpIf(JumpCondition.NotEqual, Register.R0, tracee.Pid, skip);
        asm.LoadMem(Size.DWord, Sequence, Context, FirstArgumentOffset);
        asm.Mov64(Register.R1, Sequence);
        asm.Alu64(AluOp.Rsh, Register.R1, 16);
        asm.JumpIf(JumpCondition.NotEqual, Register.R1, Tracee.Marker, skip);
        asm.Alu64(AluOp.And, Sequence, 0xffff);
    }

    /// <summary>Stores the payload at <paramref name="base"/> + <paramref name="offset"/> (the stack, or reserved ring buffer memory); clobbers R1.</summary>
    public static void EmitPayload(Assembler asm, Register @base, short offset)
    {
        asm.StoreMem(Size.DWord, @base, offset, Sequence);
        asm.LoadImm64(Register.R1, Pattern);
        asm.Alu64(AluOp.Xor, Register.R1, Sequence);
        asm.StoreMem(Size.DWord, @base, (short)(offset + 8), Register.R1);
        asm.StoreMem(Size.DWord, @base, (short)(offset + 16), PidTgid);
        asm.LoadImm64(Register.R1, Magic);
        asm.StoreMem(Size.DWord, @base, (short)(offset + 24), Register.R1);
    }

    /// <summary>Marks <paramref name="skip"/> and returns 0.</summary>
    public static void EmitReturn(Assembler asm, Label skip)
    {
        asm.MarkLabel(skip);
        asm.Mov64(Register.R0, 0);
        asm.Exit();
    }

    /// <summary>Loads the program and attaches it to syscalls:sys_enter_getpgid; dispose the link, then the program.</summary>
    public static (BpfProgram Program, BpfLink Link) LoadAndAttach(string name, Assembler asm)
    {
        var program = BpfProgram.Load(new ProgramSpec(name, BpfProgramType.Tracepoint, asm.Build().Instructions.ToArray()));
        try
        {
            return (program, Attach.Tracepoint(program, "syscalls", "sys_enter_getpgid"));
        }
        catch
        {
            program.Dispose();
            throw;
        }
    }

    /// <summary>The sequence number a record carries.</summary>
    public static int SequenceOf(ReadOnlySpan<byte> record) => (int)BinaryPrimitives.ReadInt64LittleEndian(record);

    /// <summary>Fails unless <paramref name="record"/> starts with exactly the payload of call <paramref name="seq"/> by <paramref name="tracee"/>.</summary>
    public static void AssertPayload(ReadOnlySpan<byte> record, int seq, Tracee tracee)
    {
        Assert.True(record.Length >= PayloadSize, $"record of {record.Length} bytes, expected at least {PayloadSize}");
        Span<byte> expected = stackalloc byte[PayloadSize];
        BinaryPrimitives.WriteInt64LittleEndian(expected, seq);
        BinaryPrimitives.WriteInt64LittleEndian(expected[8..], seq ^ Pattern);
        BinaryPrimitives.WriteInt64LittleEndian(expected[16..], tracee.PidTgid);
        BinaryPrimitives.WriteInt64LittleEndian(expected[24..], Magic);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(record[..PayloadSize]));
    }
}
