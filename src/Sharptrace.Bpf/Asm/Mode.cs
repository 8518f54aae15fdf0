namespace Sharptrace.Bpf.Asm;

/// <summary>The addressing mode of a load or store (BPF_MODE, the top three bits of the opcode).</summary>
public enum Mode : byte
{
    /// <summary>BPF_IMM: ld_imm64.</summary>
    Imm = 0x00,
    /// <summary>BPF_ABS: legacy packet load at a constant offset.</summary>
    Abs = 0x20,
    /// <summary>BPF_IND: legacy packet load at a register plus constant offset.</summary>
    Ind = 0x40,
    /// <summary>BPF_MEM: ordinary load or store at register plus offset.</summary>
    Mem = 0x60,
    /// <summary>BPF_MEMSX: sign-extending load (LDX only).</summary>
    MemSx = 0x80,
    /// <summary>BPF_ATOMIC: atomic operation, the operation itself is in the immediate (STX only).</summary>
    Atomic = 0xc0,
}
