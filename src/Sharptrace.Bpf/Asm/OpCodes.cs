namespace Sharptrace.Bpf.Asm;

/// <summary>
/// Builds opcode bytes from their parts and takes them apart again, following the bit layout of
/// include/uapi/linux/bpf_common.h: class in bits 0-2; for ALU and jumps the source in bit 3 and
/// the operation in bits 4-7; for loads and stores the size in bits 3-4 and the mode in bits 5-7.
/// </summary>
public static class OpCodes
{
    /// <summary><c>LD | IMM | DW</c>: the first slot of a two-slot 64-bit immediate load.</summary>
    public const byte LoadImm64 = 0x18;

    /// <summary><c>JMP | JA</c>: goto by the 16-bit offset.</summary>
    public const byte Goto = 0x05;

    /// <summary><c>JMP32 | JA</c>: gotol, goto by the 32-bit immediate.</summary>
    public const byte GotoLong = 0x06;

    /// <summary><c>JMP | CALL</c>.</summary>
    public const byte Call = 0x85;

    /// <summary><c>JMP | EXIT</c>.</summary>
    public const byte Exit = 0x95;

    /// <summary><c>JMP | JCOND</c>: may_goto when the source register is 0.</summary>
    public const byte JumpConditional = 0xe5;

    private const byte ClassMask = 0x07;
    private const byte SourceMask = 0x08;
    private const byte OperationMask = 0xf0;
    private const byte SizeMask = 0x18;
    private const byte ModeMask = 0xe0;

    /// <summary>The opcode of an ALU or ALU64 instruction.</summary>
    public static byte Alu(InstructionClass instructionClass, AluOp operation, OperandSource source) =>
        (byte)((byte)instructionClass | (byte)operation | (byte)source);

    /// <summary>The opcode of a JMP or JMP32 instruction.</summary>
    public static byte Jump(InstructionClass instructionClass, JumpOp operation, OperandSource source) =>
        (byte)((byte)instructionClass | (byte)operation | (byte)source);

    /// <summary>The opcode of a load or store (LD, LDX, ST, STX).</summary>
    public static byte Memory(InstructionClass instructionClass, Mode mode, Size size) =>
        (byte)((byte)instructionClass | (byte)mode | (byte)size);

    /// <summary>BPF_CLASS(opcode).</summary>
    public static InstructionClass ClassOf(byte opcode) => (InstructionClass)(opcode & ClassMask);

    /// <summary>BPF_SRC(opcode), meaningful for ALU and jump classes.</summary>
    public static OperandSource SourceOf(byte opcode) => (OperandSource)(opcode & SourceMask);

    /// <summary>BPF_OP(opcode) read as an ALU operation.</summary>
    public static AluOp AluOpOf(byte opcode) => (AluOp)(opcode & OperationMask);

    /// <summary>BPF_OP(opcode) read as a jump operation.</summary>
    public static JumpOp JumpOpOf(byte opcode) => (JumpOp)(opcode & OperationMask);

    /// <summary>BPF_SIZE(opcode), meaningful for load and store classes.</summary>
    public static Size SizeOf(byte opcode) => (Size)(opcode & SizeMask);

    /// <summary>BPF_MODE(opcode), meaningful for load and store classes.</summary>
    public static Mode ModeOf(byte opcode) => (Mode)(opcode & ModeMask);

    /// <summary>Whether the class is ALU or ALU64.</summary>
    public static bool IsAlu(InstructionClass instructionClass) =>
        instructionClass is InstructionClass.Alu or InstructionClass.Alu64;

    /// <summary>Whether the class is JMP or JMP32.</summary>
    public static bool IsJump(InstructionClass instructionClass) =>
        instructionClass is InstructionClass.Jmp or InstructionClass.Jmp32;
}
