using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Sharptrace.Bpf.Asm;

/// <summary>
/// The result of <see cref="Assembler.Build"/>: the instruction slots ready to load, and the
/// annotations that say which source produced each instruction.
/// </summary>
public sealed class AssembledProgram
{
    /// <summary>Creates a program from its slots and annotations keyed by slot index.</summary>
    public AssembledProgram(ImmutableArray<Instruction> instructions, IReadOnlyDictionary<int, InstructionAnnotation>? annotations = null)
    {
        Instructions = instructions.IsDefault ? [] : instructions;
        Annotations = annotations?.ToFrozenDictionary() ?? FrozenDictionary<int, InstructionAnnotation>.Empty;
    }

    /// <summary>Every instruction slot; ld_imm64 takes two.</summary>
    public ImmutableArray<Instruction> Instructions { get; }

    /// <summary>Annotations keyed by the slot index of the instruction they belong to.</summary>
    public IReadOnlyDictionary<int, InstructionAnnotation> Annotations { get; }

    /// <summary>The annotation of the instruction at <paramref name="index"/>, or null.</summary>
    public InstructionAnnotation? AnnotationAt(int index) => Annotations.GetValueOrDefault(index);

    /// <summary>The encoded bytes, as bpf(BPF_PROG_LOAD) takes them.</summary>
    public byte[] ToBytes() => Instruction.ToBytes(Instructions.AsSpan());

    /// <summary>The verifier-style listing (<c>0: (b7) r0 = 0</c>).</summary>
    public override string ToString() => Disassembler.Default.ToVerifierLog(Instructions.AsSpan());
}
