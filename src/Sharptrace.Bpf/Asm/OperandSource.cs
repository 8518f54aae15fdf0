namespace Sharptrace.Bpf.Asm;

/// <summary>Whether an ALU or jump instruction takes its second operand from the immediate or from the source register (BPF_SRC).</summary>
public enum OperandSource : byte
{
    /// <summary>BPF_K: the 32-bit immediate.</summary>
    Immediate = 0x00,
    /// <summary>BPF_X: the source register.</summary>
    Register = 0x08,
}
