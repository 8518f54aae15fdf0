namespace Sharptrace.Bpf.Asm;

/// <summary>The access width of a load or store (BPF_SIZE, bits 3-4 of the opcode).</summary>
public enum Size : byte
{
    /// <summary>BPF_W: 32 bits.</summary>
    Word = 0x00,
    /// <summary>BPF_H: 16 bits.</summary>
    Half = 0x08,
    /// <summary>BPF_B: 8 bits.</summary>
    Byte = 0x10,
    /// <summary>BPF_DW: 64 bits.</summary>
    DWord = 0x18,
}
