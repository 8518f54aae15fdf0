namespace Sharptrace.Bpf.Asm;

/// <summary>
/// ALU operations (BPF_OP, the top four bits of an ALU or ALU64 opcode). Signed division and modulo
/// reuse <see cref="Div"/> and <see cref="Mod"/> with offset 1, and sign-extending moves reuse
/// <see cref="Mov"/> with offset 8, 16 or 32.
/// </summary>
public enum AluOp : byte
{
    /// <summary>BPF_ADD: dst += src.</summary>
    Add = 0x00,
    /// <summary>BPF_SUB: dst -= src.</summary>
    Sub = 0x10,
    /// <summary>BPF_MUL: dst *= src.</summary>
    Mul = 0x20,
    /// <summary>BPF_DIV: dst /= src (unsigned; signed with offset 1).</summary>
    Div = 0x30,
    /// <summary>BPF_OR: dst |= src.</summary>
    Or = 0x40,
    /// <summary>BPF_AND: dst &amp;= src.</summary>
    And = 0x50,
    /// <summary>BPF_LSH: dst &lt;&lt;= src.</summary>
    Lsh = 0x60,
    /// <summary>BPF_RSH: dst &gt;&gt;= src (logical).</summary>
    Rsh = 0x70,
    /// <summary>BPF_NEG: dst = -dst.</summary>
    Neg = 0x80,
    /// <summary>BPF_MOD: dst %= src (unsigned; signed with offset 1).</summary>
    Mod = 0x90,
    /// <summary>BPF_XOR: dst ^= src.</summary>
    Xor = 0xa0,
    /// <summary>BPF_MOV: dst = src (sign-extending with offset 8, 16 or 32).</summary>
    Mov = 0xb0,
    /// <summary>BPF_ARSH: dst s&gt;&gt;= src (arithmetic).</summary>
    Arsh = 0xc0,
    /// <summary>BPF_END: byte order conversion; the immediate holds the width (16, 32, 64).</summary>
    End = 0xd0,
}
