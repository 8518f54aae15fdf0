namespace Sharptrace.Bpf.Asm;

/// <summary>
/// Writes an eBPF program instruction by instruction. Jumps and calls may target labels that are
/// marked later; <see cref="Build"/> resolves them and fails on an undefined label or a jump too
/// far for its 16-bit offset. Each instruction can carry the <see cref="Annotation"/> current when
/// it was emitted, so errors and listings can name the source that produced it.
/// </summary>
public sealed class Assembler
{
    private const int UnmarkedLabel = -1;
    private static int lastOwnerId;

    private readonly int ownerId = Interlocked.Increment(ref lastOwnerId);
    private readonly List<Instruction> instructions = [];
    private readonly List<int> labelPositions = [];
    private readonly List<string?> labelNames = [];
    private readonly List<Fixup> fixups = [];
    private readonly Dictionary<int, InstructionAnnotation> annotations = [];

    /// <summary>Number of instruction slots emitted so far, which is the index of the next one.</summary>
    public int Count => instructions.Count;

    /// <summary>
    /// Attached to every instruction emitted while it is set. Code generators set it per statement
    /// so that each instruction remembers its source line; null attaches nothing.
    /// </summary>
    public InstructionAnnotation? Annotation { get; set; }

    // ---- labels -------------------------------------------------------------------------------

    /// <summary>Creates a label to be placed later with <see cref="MarkLabel"/>; the name only appears in errors.</summary>
    public Label DefineLabel(string? name = null)
    {
        labelPositions.Add(UnmarkedLabel);
        labelNames.Add(name);
        return new Label(labelPositions.Count - 1, ownerId);
    }

    /// <summary>Places <paramref name="label"/> before the next instruction to be emitted.</summary>
    /// <exception cref="AssemblerException">The label is already marked.</exception>
    public void MarkLabel(Label label)
    {
        CheckOwned(label);
        if (labelPositions[label.Id] != UnmarkedLabel)
            throw new AssemblerException($"{Describe(label)} is marked twice (first at instruction {labelPositions[label.Id]})");
        labelPositions[label.Id] = Count;
    }

    /// <summary>Creates a label placed at the current position.</summary>
    public Label MarkNewLabel(string? name = null)
    {
        var label = DefineLabel(name);
        MarkLabel(label);
        return label;
    }

    // ---- raw ----------------------------------------------------------------------------------

    /// <summary>Appends one raw instruction slot and returns its index.</summary>
    public int Emit(Instruction instruction)
    {
        if (Annotation is not null)
            annotations[Count] = Annotation;
        instructions.Add(instruction);
        return Count - 1;
    }

    // ---- ALU ----------------------------------------------------------------------------------

    /// <summary>64-bit <c>dst op= src</c> (ALU64, register source).</summary>
    public void Alu64(AluOp operation, Register dst, Register src) =>
        EmitAlu(InstructionClass.Alu64, operation, dst, src);

    /// <summary>64-bit <c>dst op= imm</c>; the immediate is sign-extended to 64 bits.</summary>
    public void Alu64(AluOp operation, Register dst, int immediate) =>
        EmitAlu(InstructionClass.Alu64, operation, dst, immediate);

    /// <summary>32-bit <c>dst op= src</c> (ALU); the upper half of dst becomes zero.</summary>
    public void Alu32(AluOp operation, Register dst, Register src) =>
        EmitAlu(InstructionClass.Alu, operation, dst, src);

    /// <summary>32-bit <c>dst op= imm</c> (ALU); the upper half of dst becomes zero.</summary>
    public void Alu32(AluOp operation, Register dst, int immediate) =>
        EmitAlu(InstructionClass.Alu, operation, dst, immediate);

    /// <summary><c>dst = src</c>, 64-bit.</summary>
    public void Mov64(Register dst, Register src) => Alu64(AluOp.Mov, dst, src);

    /// <summary><c>dst = imm</c>, sign-extended to 64 bits.</summary>
    public void Mov64(Register dst, int immediate) => Alu64(AluOp.Mov, dst, immediate);

    /// <summary><c>wdst = wsrc</c>, zero-extending.</summary>
    public void Mov32(Register dst, Register src) => Alu32(AluOp.Mov, dst, src);

    /// <summary><c>wdst = imm</c>, zero-extending.</summary>
    public void Mov32(Register dst, int immediate) => Alu32(AluOp.Mov, dst, immediate);

    /// <summary><c>dst = (s8/s16/s32)src</c>: sign-extends the low <paramref name="fromBits"/> of src to 64 bits (cpu v4).</summary>
    public void MovSignExtend64(Register dst, Register src, int fromBits)
    {
        if (fromBits is not (8 or 16 or 32))
            throw new ArgumentOutOfRangeException(nameof(fromBits), fromBits, "a 64-bit sign-extending move takes 8, 16 or 32 bits");
        EmitRegisters(OpCodes.Alu(InstructionClass.Alu64, AluOp.Mov, OperandSource.Register), dst, src, (short)fromBits, 0);
    }

    /// <summary><c>wdst = (s8/s16)wsrc</c>: sign-extends the low <paramref name="fromBits"/> of src to 32 bits (cpu v4).</summary>
    public void MovSignExtend32(Register dst, Register src, int fromBits)
    {
        if (fromBits is not (8 or 16))
            throw new ArgumentOutOfRangeException(nameof(fromBits), fromBits, "a 32-bit sign-extending move takes 8 or 16 bits");
        EmitRegisters(OpCodes.Alu(InstructionClass.Alu, AluOp.Mov, OperandSource.Register), dst, src, (short)fromBits, 0);
    }

    /// <summary><c>dst = -dst</c>, 64-bit.</summary>
    public void Neg64(Register dst) => EmitRegisters(OpCodes.Alu(InstructionClass.Alu64, AluOp.Neg, OperandSource.Immediate), dst, Register.R0, 0, 0);

    /// <summary><c>wdst = -wdst</c>, 32-bit.</summary>
    public void Neg32(Register dst) => EmitRegisters(OpCodes.Alu(InstructionClass.Alu, AluOp.Neg, OperandSource.Immediate), dst, Register.R0, 0, 0);

    /// <summary>64-bit signed division <c>dst s/= src</c> (cpu v4: DIV with offset 1).</summary>
    public void SignedDiv64(Register dst, Register src) => EmitSigned(InstructionClass.Alu64, AluOp.Div, dst, src);

    /// <summary>64-bit signed division by an immediate.</summary>
    public void SignedDiv64(Register dst, int immediate) => EmitSigned(InstructionClass.Alu64, AluOp.Div, dst, immediate);

    /// <summary>64-bit signed modulo <c>dst s%= src</c> (cpu v4: MOD with offset 1).</summary>
    public void SignedMod64(Register dst, Register src) => EmitSigned(InstructionClass.Alu64, AluOp.Mod, dst, src);

    /// <summary>64-bit signed modulo by an immediate.</summary>
    public void SignedMod64(Register dst, int immediate) => EmitSigned(InstructionClass.Alu64, AluOp.Mod, dst, immediate);

    /// <summary>32-bit signed division.</summary>
    public void SignedDiv32(Register dst, Register src) => EmitSigned(InstructionClass.Alu, AluOp.Div, dst, src);

    /// <summary>32-bit signed division by an immediate.</summary>
    public void SignedDiv32(Register dst, int immediate) => EmitSigned(InstructionClass.Alu, AluOp.Div, dst, immediate);

    /// <summary>32-bit signed modulo.</summary>
    public void SignedMod32(Register dst, Register src) => EmitSigned(InstructionClass.Alu, AluOp.Mod, dst, src);

    /// <summary>32-bit signed modulo by an immediate.</summary>
    public void SignedMod32(Register dst, int immediate) => EmitSigned(InstructionClass.Alu, AluOp.Mod, dst, immediate);

    /// <summary><c>dst = be16/be32/be64 dst</c>: to big-endian, zero-extending the low <paramref name="bits"/>.</summary>
    public void ToBigEndian(Register dst, int bits) => EmitEndian(InstructionClass.Alu, Endianness.Big, dst, bits);

    /// <summary><c>dst = le16/le32/le64 dst</c>: to little-endian (a truncation on little-endian hosts).</summary>
    public void ToLittleEndian(Register dst, int bits) => EmitEndian(InstructionClass.Alu, Endianness.Little, dst, bits);

    /// <summary><c>dst = bswap16/32/64 dst</c>: unconditional byte swap (cpu v4, ALU64 | END).</summary>
    public void ByteSwap(Register dst, int bits) => EmitEndian(InstructionClass.Alu64, Endianness.Little, dst, bits);

    // ---- 64-bit immediates ----------------------------------------------------------------------

    /// <summary><c>dst = imm64 ll</c>: a two-slot load of a full 64-bit constant.</summary>
    public void LoadImm64(Register dst, long value) =>
        EmitLoadImm64(dst, LoadImm64Source.Immediate, (int)value, (int)(value >> 32));

    /// <summary>Loads the address of the map with file descriptor <paramref name="mapFd"/> (BPF_PSEUDO_MAP_FD).</summary>
    public void LoadMapFd(Register dst, int mapFd) => EmitLoadImm64(dst, LoadImm64Source.MapFd, mapFd, 0);

    /// <summary>Loads the address of a map's value plus <paramref name="offset"/>, for array maps such as .rodata (BPF_PSEUDO_MAP_VALUE).</summary>
    public void LoadMapValue(Register dst, int mapFd, int offset) => EmitLoadImm64(dst, LoadImm64Source.MapValue, mapFd, offset);

    /// <summary>Loads the address of the map at <paramref name="index"/> in the load-time fd_array (BPF_PSEUDO_MAP_IDX).</summary>
    public void LoadMapIndex(Register dst, int index) => EmitLoadImm64(dst, LoadImm64Source.MapIndex, index, 0);

    /// <summary>Loads the address of the value of the map at fd_array <paramref name="index"/>, plus an offset (BPF_PSEUDO_MAP_IDX_VALUE).</summary>
    public void LoadMapIndexValue(Register dst, int index, int offset) => EmitLoadImm64(dst, LoadImm64Source.MapIndexValue, index, offset);

    /// <summary>Loads the address of the kernel variable with BTF id <paramref name="btfId"/> (BPF_PSEUDO_BTF_ID).</summary>
    public void LoadBtfId(Register dst, int btfId, int btfObjectFd = 0) => EmitLoadImm64(dst, LoadImm64Source.BtfId, btfId, btfObjectFd);

    /// <summary>Loads the address of the subprogram at <paramref name="function"/>, e.g. a bpf_loop callback (BPF_PSEUDO_FUNC).</summary>
    public void LoadFunctionAddress(Register dst, Label function)
    {
        CheckOwned(function);
        var index = EmitLoadImm64(dst, LoadImm64Source.Function, 0, 0);
        fixups.Add(new Fixup(index, function, FixupField.Immediate));
    }

    // ---- memory -------------------------------------------------------------------------------

    /// <summary><c>dst = *(size *)(src + offset)</c>, zero-extending.</summary>
    public void LoadMem(Size size, Register dst, Register src, short offset) =>
        EmitRegisters(OpCodes.Memory(InstructionClass.Ldx, Mode.Mem, size), dst, src, offset, 0);

    /// <summary><c>dst = *(s8/s16/s32 *)(src + offset)</c>, sign-extending to 64 bits (cpu v4).</summary>
    public void LoadMemSignExtend(Size size, Register dst, Register src, short offset)
    {
        if (size == Size.DWord)
            throw new ArgumentOutOfRangeException(nameof(size), size, "a sign-extending load reads 8, 16 or 32 bits");
        EmitRegisters(OpCodes.Memory(InstructionClass.Ldx, Mode.MemSx, size), dst, src, offset, 0);
    }

    /// <summary><c>*(size *)(dst + offset) = src</c>.</summary>
    public void StoreMem(Size size, Register dst, short offset, Register src) =>
        EmitRegisters(OpCodes.Memory(InstructionClass.Stx, Mode.Mem, size), dst, src, offset, 0);

    /// <summary><c>*(size *)(dst + offset) = imm</c>; a 64-bit store sign-extends the immediate.</summary>
    public void StoreImm(Size size, Register dst, short offset, int immediate) =>
        EmitRegisters(OpCodes.Memory(InstructionClass.St, Mode.Mem, size), dst, Register.R0, offset, immediate);

    /// <summary>
    /// An atomic operation on <c>*(size *)(dst + offset)</c> with operand <paramref name="src"/>.
    /// Fetching forms return the old value in src; compare-exchange compares with and returns into R0;
    /// for <see cref="AtomicOp.LoadAcquire"/> dst is the loaded register and src the address.
    /// </summary>
    public void Atomic(AtomicOp operation, Size size, Register dst, short offset, Register src)
    {
        var acquireOrRelease = operation is AtomicOp.LoadAcquire or AtomicOp.StoreRelease;
        if (!acquireOrRelease && size is not (Size.Word or Size.DWord))
            throw new ArgumentOutOfRangeException(nameof(size), size, "atomic read-modify-write works on 32 or 64 bits");
        EmitRegisters(OpCodes.Memory(InstructionClass.Stx, Mode.Atomic, size), dst, src, offset, (int)operation);
    }

    /// <summary><c>r0 = *(size *)skb[offset]</c>: legacy packet load for socket filters (LD | ABS).</summary>
    public void LoadPacketAbsolute(Size size, int offset) =>
        EmitRegisters(OpCodes.Memory(InstructionClass.Ld, Mode.Abs, size), Register.R0, Register.R0, 0, offset);

    /// <summary><c>r0 = *(size *)skb[src + offset]</c>: legacy packet load for socket filters (LD | IND).</summary>
    public void LoadPacketIndirect(Size size, Register src, int offset) =>
        EmitRegisters(OpCodes.Memory(InstructionClass.Ld, Mode.Ind, size), Register.R0, src, 0, offset);

    // ---- control flow -------------------------------------------------------------------------

    /// <summary><c>goto target</c> with a 16-bit offset.</summary>
    public void Jump(Label target) => EmitJump(OpCodes.Goto, Register.R0, Register.R0, 0, target, FixupField.Offset);

    /// <summary><c>gotol target</c> with a 32-bit offset (cpu v4, JMP32 | JA), for jumps beyond ±32767 instructions.</summary>
    public void JumpLong(Label target) => EmitJump(OpCodes.GotoLong, Register.R0, Register.R0, 0, target, FixupField.Immediate);

    /// <summary>
    /// <c>may_goto target</c>: falls through while the kernel's loop budget lasts, then jumps, so the
    /// verifier can accept open-ended loops.
    /// </summary>
    public void MayGoto(Label target) => EmitJump(OpCodes.JumpConditional, Register.R0, Register.R0, 0, target, FixupField.Offset);

    /// <summary><c>if dst cond src goto target</c>, comparing all 64 bits.</summary>
    public void JumpIf(JumpCondition condition, Register dst, Register src, Label target) =>
        EmitJump(OpCodes.Jump(InstructionClass.Jmp, (JumpOp)condition, OperandSource.Register), dst, src, 0, target, FixupField.Offset);

    /// <summary><c>if dst cond imm goto target</c>, comparing all 64 bits with the sign-extended immediate.</summary>
    public void JumpIf(JumpCondition condition, Register dst, int immediate, Label target) =>
        EmitJump(OpCodes.Jump(InstructionClass.Jmp, (JumpOp)condition, OperandSource.Immediate), dst, Register.R0, immediate, target, FixupField.Offset);

    /// <summary><c>if wdst cond wsrc goto target</c>, comparing the low 32 bits.</summary>
    public void JumpIf32(JumpCondition condition, Register dst, Register src, Label target) =>
        EmitJump(OpCodes.Jump(InstructionClass.Jmp32, (JumpOp)condition, OperandSource.Register), dst, src, 0, target, FixupField.Offset);

    /// <summary><c>if wdst cond imm goto target</c>, comparing the low 32 bits.</summary>
    public void JumpIf32(JumpCondition condition, Register dst, int immediate, Label target) =>
        EmitJump(OpCodes.Jump(InstructionClass.Jmp32, (JumpOp)condition, OperandSource.Immediate), dst, Register.R0, immediate, target, FixupField.Offset);

    /// <summary>Calls a helper function; arguments in R1-R5, result in R0.</summary>
    public void Call(BpfHelper helper) =>
        Emit(new Instruction(OpCodes.Call, 0, (byte)CallSource.Helper, 0, (int)helper));

    /// <summary>Calls the kernel function with BTF id <paramref name="btfId"/>; <paramref name="moduleBtfIndex"/> selects a module's BTF in fd_array (0 is vmlinux).</summary>
    public void CallKfunc(int btfId, short moduleBtfIndex = 0) =>
        Emit(new Instruction(OpCodes.Call, 0, (byte)CallSource.Kfunc, moduleBtfIndex, btfId));

    /// <summary>Calls the bpf-to-bpf subprogram that starts at <paramref name="function"/> (BPF_PSEUDO_CALL).</summary>
    public void CallLabel(Label function) =>
        EmitJump(OpCodes.Call, Register.R0, (Register)CallSource.BpfFunction, 0, function, FixupField.Immediate);

    /// <summary>Returns R0 from the program or subprogram.</summary>
    public void Exit() => Emit(new Instruction(OpCodes.Exit, 0, 0, 0, 0));

    // ---- build --------------------------------------------------------------------------------

    /// <summary>
    /// Resolves every label reference and returns the finished program. The assembler stays usable:
    /// more instructions can follow and Build can run again.
    /// </summary>
    /// <exception cref="AssemblerException">A referenced label was never marked, or a jump does not fit its offset field.</exception>
    public AssembledProgram Build()
    {
        var resolved = instructions.ToArray();
        foreach (var fixup in fixups)
        {
            var target = labelPositions[fixup.Target.Id];
            if (target == UnmarkedLabel)
                throw new AssemblerException($"instruction {fixup.Index} refers to {Describe(fixup.Target)}, which is never marked");
            // Jump distances count from the instruction after the jump.
            var distance = target - (fixup.Index + 1);
            var insn = resolved[fixup.Index];
            if (fixup.Field == FixupField.Offset)
            {
                if (distance is < short.MinValue or > short.MaxValue)
                    throw new AssemblerException(
                        $"instruction {fixup.Index} jumps {distance} instructions to {Describe(fixup.Target)}, beyond the 16-bit offset range; use JumpLong");
                resolved[fixup.Index] = new Instruction(insn.OpCode, insn.Dst, insn.Src, (short)distance, insn.Immediate);
            }
            else
            {
                resolved[fixup.Index] = new Instruction(insn.OpCode, insn.Dst, insn.Src, insn.Offset, distance);
            }
        }
        return new AssembledProgram([.. resolved], annotations);
    }

    // ---- emitting -----------------------------------------------------------------------------

    private void EmitAlu(InstructionClass instructionClass, AluOp operation, Register dst, Register src)
    {
        CheckPlainAluOp(operation);
        EmitRegisters(OpCodes.Alu(instructionClass, operation, OperandSource.Register), dst, src, 0, 0);
    }

    private void EmitAlu(InstructionClass instructionClass, AluOp operation, Register dst, int immediate)
    {
        CheckPlainAluOp(operation);
        EmitRegisters(OpCodes.Alu(instructionClass, operation, OperandSource.Immediate), dst, Register.R0, 0, immediate);
    }

    private void EmitSigned(InstructionClass instructionClass, AluOp operation, Register dst, Register src) =>
        EmitRegisters(OpCodes.Alu(instructionClass, operation, OperandSource.Register), dst, src, 1, 0);

    private void EmitSigned(InstructionClass instructionClass, AluOp operation, Register dst, int immediate) =>
        EmitRegisters(OpCodes.Alu(instructionClass, operation, OperandSource.Immediate), dst, Register.R0, 1, immediate);

    private void EmitEndian(InstructionClass instructionClass, Endianness order, Register dst, int bits)
    {
        if (bits is not (16 or 32 or 64))
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "byte order conversions take 16, 32 or 64 bits");
        // The byte order travels in the BPF_SRC bit, which is why Endianness shares its values with OperandSource.
        EmitRegisters(OpCodes.Alu(instructionClass, AluOp.End, (OperandSource)order), dst, Register.R0, 0, bits);
    }

    private int EmitLoadImm64(Register dst, LoadImm64Source source, int low, int high)
    {
        CheckRegister(dst, nameof(dst));
        var index = Emit(new Instruction(OpCodes.LoadImm64, (byte)dst, (byte)source, 0, low));
        instructions.Add(new Instruction(0, 0, 0, 0, high));
        return index;
    }

    private void EmitJump(byte opcode, Register dst, Register src, int immediate, Label target, FixupField field)
    {
        CheckOwned(target);
        CheckRegister(dst, nameof(dst));
        var index = Emit(new Instruction(opcode, (byte)dst, (byte)src, 0, immediate));
        fixups.Add(new Fixup(index, target, field));
    }

    private void EmitRegisters(byte opcode, Register dst, Register src, short offset, int immediate)
    {
        CheckRegister(dst, nameof(dst));
        CheckRegister(src, nameof(src));
        Emit(new Instruction(opcode, (byte)dst, (byte)src, offset, immediate));
    }

    private static void CheckPlainAluOp(AluOp operation)
    {
        // Neg and End have their own encodings (no source operand, byte order bits); the named methods build them.
        if (operation is AluOp.Neg or AluOp.End || (byte)operation % 0x10 != 0 || operation > AluOp.Arsh)
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "use Neg64/Neg32, ToBigEndian/ToLittleEndian/ByteSwap for these");
    }

    private static void CheckRegister(Register register, string parameter)
    {
        if ((byte)register > (byte)Register.R10)
            throw new ArgumentOutOfRangeException(parameter, register, "eBPF has registers r0-r10");
    }

    private void CheckOwned(Label label)
    {
        if (label.OwnerId != ownerId || label.Id >= labelPositions.Count)
            throw new ArgumentException("the label was defined by another assembler", nameof(label));
    }

    private string Describe(Label label) =>
        labelNames[label.Id] is { } name ? $"label '{name}'" : $"label #{label.Id}";

    private enum FixupField
    {
        Offset,
        Immediate,
    }

    private readonly record struct Fixup(int Index, Label Target, FixupField Field);
}
