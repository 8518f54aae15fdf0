namespace Sharptrace.Bpf.Asm;

/// <summary>
/// The comparison of a conditional jump. The values are the <see cref="JumpOp"/> bits, so a condition
/// converts to its opcode part with a cast.
/// </summary>
public enum JumpCondition : byte
{
    /// <summary>==</summary>
    Equal = JumpOp.Jeq,
    /// <summary>!=</summary>
    NotEqual = JumpOp.Jne,
    /// <summary>&gt;, unsigned</summary>
    Greater = JumpOp.Jgt,
    /// <summary>&gt;=, unsigned</summary>
    GreaterOrEqual = JumpOp.Jge,
    /// <summary>&lt;, unsigned</summary>
    Less = JumpOp.Jlt,
    /// <summary>&lt;=, unsigned</summary>
    LessOrEqual = JumpOp.Jle,
    /// <summary>s&gt;, signed</summary>
    SignedGreater = JumpOp.Jsgt,
    /// <summary>s&gt;=, signed</summary>
    SignedGreaterOrEqual = JumpOp.Jsge,
    /// <summary>s&lt;, signed</summary>
    SignedLess = JumpOp.Jslt,
    /// <summary>s&lt;=, signed</summary>
    SignedLessOrEqual = JumpOp.Jsle,
    /// <summary>&amp;: any bit in common (JSET)</summary>
    BitsSet = JumpOp.Jset,
}
