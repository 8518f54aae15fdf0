namespace Sharptrace.Bpf.Asm;

/// <summary>One disassembled instruction (two slots for ld_imm64).</summary>
/// <param name="Index">Slot index of the instruction in the program, as the verifier numbers it.</param>
/// <param name="Instruction">The (first) instruction slot.</param>
/// <param name="Text">The plain text, e.g. <c>r0 = 0</c>.</param>
/// <param name="VerifierText">The text as the verifier log prints it after the index, e.g. <c>(b7) r0 = 0</c>.</param>
/// <param name="SlotCount">1, or 2 for ld_imm64.</param>
public readonly record struct DisassemblyLine(int Index, Instruction Instruction, string Text, string VerifierText, int SlotCount)
{
    /// <summary>The verifier log line: <c>0: (b7) r0 = 0</c>.</summary>
    public override string ToString() => $"{Index}: {VerifierText}";
}
