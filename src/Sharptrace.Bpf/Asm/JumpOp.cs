namespace Sharptrace.Bpf.Asm;

/// <summary>Jump operations (BPF_OP, the top four bits of a JMP or JMP32 opcode).</summary>
public enum JumpOp : byte
{
    /// <summary>BPF_JA: unconditional jump (JMP: by offset; JMP32: gotol, by immediate).</summary>
    Ja = 0x00,
    /// <summary>BPF_JEQ: jump if dst == src.</summary>
    Jeq = 0x10,
    /// <summary>BPF_JGT: jump if dst &gt; src, unsigned.</summary>
    Jgt = 0x20,
    /// <summary>BPF_JGE: jump if dst &gt;= src, unsigned.</summary>
    Jge = 0x30,
    /// <summary>BPF_JSET: jump if dst &amp; src is non-zero.</summary>
    Jset = 0x40,
    /// <summary>BPF_JNE: jump if dst != src.</summary>
    Jne = 0x50,
    /// <summary>BPF_JSGT: jump if dst &gt; src, signed.</summary>
    Jsgt = 0x60,
    /// <summary>BPF_JSGE: jump if dst &gt;= src, signed.</summary>
    Jsge = 0x70,
    /// <summary>BPF_CALL: call a helper, a kfunc or a bpf-to-bpf function (see <see cref="CallSource"/>).</summary>
    Call = 0x80,
    /// <summary>BPF_EXIT: return R0.</summary>
    Exit = 0x90,
    /// <summary>BPF_JLT: jump if dst &lt; src, unsigned.</summary>
    Jlt = 0xa0,
    /// <summary>BPF_JLE: jump if dst &lt;= src, unsigned.</summary>
    Jle = 0xb0,
    /// <summary>BPF_JSLT: jump if dst &lt; src, signed.</summary>
    Jslt = 0xc0,
    /// <summary>BPF_JSLE: jump if dst &lt;= src, signed.</summary>
    Jsle = 0xd0,
    /// <summary>BPF_JCOND: conditional pseudo jump; source register 0 (BPF_MAY_GOTO) is may_goto.</summary>
    Jcond = 0xe0,
}
