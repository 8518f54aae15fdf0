using System.Buffers.Binary;
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
    /// <summary>The encoded size of one instruction (one slot).</summary>
    public const int SizeInBytes = 8;

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
    public InstructionClass Class => OpCodes.ClassOf(OpCode);

    /// <summary>Whether this is the first slot of a two-slot ld_imm64; the next slot carries the upper immediate.</summary>
    public bool IsLoadImm64 => OpCode == OpCodes.LoadImm64;

    /// <summary>Reads one instruction from the first 8 bytes of <paramref name="bytes"/> (little-endian, as on x86_64 and arm64).</summary>
    /// <exception cref="InstructionDecodeException">Fewer than 8 bytes.</exception>
    public static Instruction Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < SizeInBytes)
            throw new InstructionDecodeException($"truncated instruction: {bytes.Length} of {SizeInBytes} bytes", 0);
        // The register byte is two C bitfields, dst_reg:4 then src_reg:4, so dst is the low nibble on little-endian hosts.
        return new Instruction(
            bytes[0],
            (byte)(bytes[1] & 0xf),
            (byte)(bytes[1] >> 4),
            BinaryPrimitives.ReadInt16LittleEndian(bytes[2..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]));
    }

    /// <summary>
    /// Reads a whole program. The length must be a multiple of 8 and a trailing ld_imm64 must have
    /// its second slot.
    /// </summary>
    /// <exception cref="InstructionDecodeException">Truncated input; the offset names the incomplete instruction.</exception>
    public static Instruction[] DecodeAll(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % SizeInBytes != 0)
        {
            var partialStart = bytes.Length - bytes.Length % SizeInBytes;
            throw new InstructionDecodeException(
                $"truncated instruction: {bytes.Length % SizeInBytes} of {SizeInBytes} bytes", partialStart);
        }
        var instructions = new Instruction[bytes.Length / SizeInBytes];
        for (var i = 0; i < instructions.Length; i++)
            instructions[i] = Decode(bytes.Slice(i * SizeInBytes, SizeInBytes));
        if (instructions.Length > 0 && EndsInsideLoadImm64(instructions))
            throw new InstructionDecodeException(
                "truncated ld_imm64: the second slot is missing", (long)(instructions.Length - 1) * SizeInBytes);
        return instructions;
    }

    /// <summary>Writes the 8 encoded bytes to the start of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 8 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < SizeInBytes)
            throw new ArgumentException($"an instruction needs {SizeInBytes} bytes", nameof(destination));
        destination[0] = OpCode;
        destination[1] = registers;
        BinaryPrimitives.WriteInt16LittleEndian(destination[2..], Offset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], Immediate);
    }

    /// <summary>The 8 encoded bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[SizeInBytes];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Encodes a whole program, as bpf(BPF_PROG_LOAD) and ELF sections expect it.</summary>
    public static byte[] ToBytes(ReadOnlySpan<Instruction> instructions)
    {
        var bytes = new byte[instructions.Length * SizeInBytes];
        for (var i = 0; i < instructions.Length; i++)
            instructions[i].WriteTo(bytes.AsSpan(i * SizeInBytes));
        return bytes;
    }

    /// <summary>The raw fields, for test failures and debugging; use <see cref="Disassembler"/> for readable text.</summary>
    public override string ToString() =>
        $"{{ code=0x{OpCode:x2} dst=r{Dst} src=r{Src} off={Offset} imm={Immediate} }}";

    // Walks slot by slot because a second slot may itself look like a ld_imm64 opcode (it is always 0 in practice).
    private static bool EndsInsideLoadImm64(ReadOnlySpan<Instruction> instructions)
    {
        var i = 0;
        while (i < instructions.Length)
            i += instructions[i].IsLoadImm64 ? 2 : 1;
        return i > instructions.Length;
    }
}
