namespace Sharptrace.Bpf.Asm;

/// <summary>The instruction class, the low three bits of the opcode (BPF_CLASS).</summary>
public enum InstructionClass : byte
{
    /// <summary>BPF_LD: ld_imm64 and the legacy packet loads.</summary>
    Ld = 0x00,
    /// <summary>BPF_LDX: load from memory into a register.</summary>
    Ldx = 0x01,
    /// <summary>BPF_ST: store an immediate to memory.</summary>
    St = 0x02,
    /// <summary>BPF_STX: store a register to memory, and atomics.</summary>
    Stx = 0x03,
    /// <summary>BPF_ALU: 32-bit arithmetic (the upper half of the destination is zeroed).</summary>
    Alu = 0x04,
    /// <summary>BPF_JMP: 64-bit compares, calls and exit.</summary>
    Jmp = 0x05,
    /// <summary>BPF_JMP32: compares of the low 32 bits, and gotol.</summary>
    Jmp32 = 0x06,
    /// <summary>BPF_ALU64: 64-bit arithmetic.</summary>
    Alu64 = 0x07,
}
