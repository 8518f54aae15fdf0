namespace Sharptrace.Bpf.Asm;

/// <summary>The target byte order of an ALU <c>END</c> instruction (carried in the BPF_SRC bit).</summary>
public enum Endianness : byte
{
    /// <summary>BPF_TO_LE: <c>le16/le32/le64</c>; in ALU64 the same bit pattern means an unconditional byte swap.</summary>
    Little = 0x00,
    /// <summary>BPF_TO_BE: <c>be16/be32/be64</c>.</summary>
    Big = 0x08,
}
