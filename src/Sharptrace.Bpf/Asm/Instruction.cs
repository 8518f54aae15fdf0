using System.Runtime.InteropServices;

namespace Sharptrace.Bpf.Asm;

/// <summary>
/// One 8-byte eBPF instruction exactly as the kernel reads it (struct bpf_insn): opcode, the two
/// register nibbles, a signed 16-bit offset and a signed 32-bit immediate. A 64-bit immediate load
/// (ld_imm64) takes two of these.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
public readonly record struct Instruction
{
    /// <summary>Builds an instruction from its fields.</summary>
    public Instruction(byte opcode, byte dst, byte src, short offset, int immediate)
    {
        OpCode = opcode;
        registers = (byte)((dst & 0xf) | (src << 4));
        Offset = offset;
        Immediate = immediate;
    }

    /// <summary>The opcode byte: class in the low 3 bits, then source and operation.</summary>
    public byte OpCode { get; }

    private readonly byte registers;

    /// <summary>Signed 16-bit offset (jump distance or memory offset).</summary>
    public short Offset { get; }

    /// <summary>Signed 32-bit immediate.</summary>
    public int Immediate { get; }

    /// <summary>Destination register number (0-10).</summary>
    public byte Dst => (byte)(registers & 0xf);

    /// <summary>Source register number (0-10), or a pseudo source for ld_imm64 and calls.</summary>
    public byte Src => (byte)(registers >> 4);

    /// <summary>The instruction class (the low 3 bits of the opcode).</summary>
    public byte Class => (byte)(OpCode & 0x07);
}
