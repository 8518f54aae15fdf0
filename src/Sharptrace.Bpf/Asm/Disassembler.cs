using System.Text;

namespace Sharptrace.Bpf.Asm;

/// <summary>
/// Prints instructions in the kernel verifier's syntax (print_bpf_insn in kernel/bpf/disasm.c), so
/// that our listings, the verifier log and bpftool read the same: <c>0: (b7) r0 = 0</c>.
/// Malformed instructions print the kernel's <c>BUG_…</c> lines instead of throwing.
/// </summary>
public sealed class Disassembler
{
    // Indexed by BPF_OP >> 4, as the kernel's tables are; null where the kernel's table has a hole.
    private static readonly string?[] AluOperators =
        ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian", null, null];

    private static readonly string?[] JumpOperators =
        ["jmp", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<", "s<=", null, null];

    // The atomic operations whose result is not fetched print as a C compound assignment.
    private static readonly AtomicOp[] LockOps = [AtomicOp.Add, AtomicOp.And, AtomicOp.Or, AtomicOp.Xor];
    private static readonly AtomicOp[] FetchOps = [AtomicOp.FetchAdd, AtomicOp.FetchAnd, AtomicOp.FetchOr, AtomicOp.FetchXor];

    // BPF_ADDR_SPACE_CAST: this offset turns ALU64 | MOV | X into a cast between address spaces (arena pointers).
    private const short AddressSpaceCastOffset = 1;

    /// <summary>A disassembler with the kernel's defaults and no callbacks.</summary>
    public static Disassembler Default { get; } = new();

    /// <summary>
    /// Names the value of a ld_imm64 (the kernel's <c>cb_imm</c>), e.g. to print <c>map[id:3]</c> as
    /// bpftool does. Gets the first slot and the full 64-bit value; null falls back to <c>0x…</c>.
    /// </summary>
    public Func<Instruction, ulong, string?>? FormatImmediate { get; init; }

    /// <summary>
    /// Names the target of a call that is not a known helper (the kernel's <c>cb_call</c>), e.g. a
    /// kfunc name from BTF or a subprogram name. Null falls back to the kernel's text.
    /// </summary>
    public Func<Instruction, string?>? NameCall { get; init; }

    /// <summary>
    /// Whether map pointers in ld_imm64 are shown (the kernel's <c>allow_ptr_leaks</c>). When false
    /// their value prints as 0, as in an unprivileged verifier log.
    /// </summary>
    public bool ShowPointers { get; init; } = true;

    /// <summary>
    /// The plain text of one instruction, e.g. <c>r1 = *(u64 *)(r10 -8)</c>. For ld_imm64 pass the
    /// second slot as <paramref name="next"/>.
    /// </summary>
    public string Format(Instruction instruction, Instruction next = default) => Describe(instruction, next).Text;

    /// <summary>The text the verifier log prints after the index, e.g. <c>(b7) r0 = 0</c>.</summary>
    public string FormatVerifierStyle(Instruction instruction, Instruction next = default)
    {
        var (text, prefixed) = Describe(instruction, next);
        return prefixed ? $"({instruction.OpCode:x2}) {text}" : text;
    }

    /// <summary>Disassembles a program into one line per instruction; ld_imm64 takes one line for its two slots.</summary>
    public DisassemblyLine[] Disassemble(ReadOnlySpan<Instruction> instructions)
    {
        var lines = new List<DisassemblyLine>(instructions.Length);
        for (var i = 0; i < instructions.Length;)
        {
            var instruction = instructions[i];
            if (instruction.IsLoadImm64 && i + 1 >= instructions.Length)
            {
                // The verifier rejects this before printing; say so rather than read past the end.
                const string truncated = "invalid bpf_ld_imm64 insn";
                lines.Add(new DisassemblyLine(i, instruction, truncated, truncated, 1));
                break;
            }
            var next = instruction.IsLoadImm64 ? instructions[i + 1] : default;
            var (text, prefixed) = Describe(instruction, next);
            var verifierText = prefixed ? $"({instruction.OpCode:x2}) {text}" : text;
            var slots = instruction.IsLoadImm64 ? 2 : 1;
            lines.Add(new DisassemblyLine(i, instruction, text, verifierText, slots));
            i += slots;
        }
        return lines.ToArray();
    }

    /// <summary>The listing as the verifier log shows it: <c>0: (b7) r0 = 0</c>, one line each.</summary>
    public string ToVerifierLog(ReadOnlySpan<Instruction> instructions)
    {
        var text = new StringBuilder();
        foreach (var line in Disassemble(instructions))
            text.Append(line.Index).Append(": ").Append(line.VerifierText).Append('\n');
        return text.ToString();
    }

    /// <summary>A plain listing without opcodes: <c>0: r0 = 0</c>, one line each.</summary>
    public string ToText(ReadOnlySpan<Instruction> instructions)
    {
        var text = new StringBuilder();
        foreach (var line in Disassemble(instructions))
            text.Append(line.Index).Append(": ").Append(line.Text).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// A plain listing with each annotation printed as a <c>; …</c> line above the first
    /// instruction it covers (like <c>llvm-objdump -S</c>), so a reader sees which source produced which code.
    /// </summary>
    public string ToText(AssembledProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var text = new StringBuilder();
        InstructionAnnotation? current = null;
        foreach (var line in Disassemble(program.Instructions.AsSpan()))
        {
            var annotation = program.AnnotationAt(line.Index);
            if (annotation is not null && !ReferenceEquals(annotation, current))
                text.Append("; ").Append(annotation).Append('\n');
            current = annotation;
            text.Append(line.Index).Append(": ").Append(line.Text).Append('\n');
        }
        return text.ToString();
    }

    // The body of print_bpf_insn, branch for branch. Prefixed is false where the kernel prints a
    // BUG line without the "(code) " prefix.
    private (string Text, bool Prefixed) Describe(Instruction insn, Instruction next)
    {
        var instructionClass = insn.Class;
        return instructionClass switch
        {
            InstructionClass.Alu or InstructionClass.Alu64 => (DescribeAlu(insn), true),
            InstructionClass.Stx => DescribeStoreRegister(insn),
            InstructionClass.St => DescribeStoreImmediate(insn),
            InstructionClass.Ldx => DescribeLoadRegister(insn),
            InstructionClass.Ld => DescribeLoad(insn, next),
            _ => (DescribeJump(insn), true),
        };
    }

    private static string DescribeAlu(Instruction insn)
    {
        var is64 = insn.Class == InstructionClass.Alu64;
        var width = is64 ? 'r' : 'w';
        var op = OpCodes.AluOpOf(insn.OpCode);
        var source = OpCodes.SourceOf(insn.OpCode);
        if (op == AluOp.End)
        {
            // ALU64 | END is the unconditional byte swap; ALU | END converts to the byte order in the source bit.
            if (is64)
                return $"r{insn.Dst} = bswap{insn.Immediate} r{insn.Dst}";
            var order = source == OperandSource.Register ? "be" : "le";
            return $"r{insn.Dst} = {order}{insn.Immediate} r{insn.Dst}";
        }
        if (op == AluOp.Neg)
            return $"{width}{insn.Dst} = -{width}{insn.Dst}";
        if (insn.OpCode == OpCodes.Alu(InstructionClass.Alu64, AluOp.Mov, OperandSource.Register) &&
            insn.Offset == AddressSpaceCastOffset)
            return $"r{insn.Dst} = addr_space_cast(r{insn.Src}, {(uint)insn.Immediate >> 16}, {(ushort)insn.Immediate})";

        var isSignedDivision = op is AluOp.Div or AluOp.Mod && insn.Offset == 1;
        var operatorText = isSignedDivision
            ? (op == AluOp.Div ? "s/=" : "s%=")
            : AluOperators[(int)op >> 4] ?? "(null)";
        if (source == OperandSource.Register)
        {
            var signExtension = op == AluOp.Mov ? insn.Offset switch
            {
                8 => "(s8)",
                16 => "(s16)",
                32 => "(s32)",
                _ => "",
            } : "";
            return $"{width}{insn.Dst} {operatorText} {signExtension}{width}{insn.Src}";
        }
        return $"{width}{insn.Dst} {operatorText} {insn.Immediate}";
    }

    private static (string, bool) DescribeStoreRegister(Instruction insn)
    {
        var size = UnsignedSizeName(insn.OpCode);
        var mode = OpCodes.ModeOf(insn.OpCode);
        var address = $"r{insn.Dst} {Signed(insn.Offset)}";
        if (mode == Mode.Mem)
            return ($"*({size} *)({address}) = r{insn.Src}", true);
        if (mode != Mode.Atomic)
            return ($"BUG_{insn.OpCode:x2}", false);

        var atomic = (AtomicOp)insn.Immediate;
        var bits = OpCodes.SizeOf(insn.OpCode) == Size.DWord ? "64" : "";
        if (Array.IndexOf(LockOps, atomic) >= 0)
            return ($"lock *({size} *)({address}) {AluOperators[(int)atomic >> 4]} r{insn.Src}", true);
        if (Array.IndexOf(FetchOps, atomic) >= 0)
            return ($"r{insn.Src} = atomic{bits}_fetch_{AtomicName(atomic)}(({size} *)({address}), r{insn.Src})", true);
        return atomic switch
        {
            AtomicOp.CompareExchange => ($"r0 = atomic{bits}_cmpxchg(({size} *)({address}), r0, r{insn.Src})", true),
            AtomicOp.Exchange => ($"r{insn.Src} = atomic{bits}_xchg(({size} *)({address}), r{insn.Src})", true),
            AtomicOp.LoadAcquire => ($"r{insn.Dst} = load_acquire(({size} *)(r{insn.Src} {Signed(insn.Offset)}))", true),
            AtomicOp.StoreRelease => ($"store_release(({size} *)({address}), r{insn.Src})", true),
            _ => ($"BUG_{insn.OpCode:x2}", false),
        };
    }

    private static (string, bool) DescribeStoreImmediate(Instruction insn)
    {
        var mode = OpCodes.ModeOf(insn.OpCode);
        if (mode == Mode.Mem)
            return ($"*({UnsignedSizeName(insn.OpCode)} *)(r{insn.Dst} {Signed(insn.Offset)}) = {insn.Immediate}", true);
        // BPF_NOSPEC is kernel-internal (the verifier inserts it as a speculation barrier) but shows in xlated dumps.
        if (mode == Mode.Atomic)
            return ("nospec", true);
        return ($"BUG_st_{insn.OpCode:x2}", false);
    }

    private static (string, bool) DescribeLoadRegister(Instruction insn)
    {
        var mode = OpCodes.ModeOf(insn.OpCode);
        if (mode is not (Mode.Mem or Mode.MemSx))
            return ($"BUG_ldx_{insn.OpCode:x2}", false);
        var size = mode == Mode.Mem ? UnsignedSizeName(insn.OpCode) : SignedSizeName(insn.OpCode);
        return ($"r{insn.Dst} = *({size} *)(r{insn.Src} {Signed(insn.Offset)})", true);
    }

    private (string, bool) DescribeLoad(Instruction insn, Instruction next)
    {
        var mode = OpCodes.ModeOf(insn.OpCode);
        var size = UnsignedSizeName(insn.OpCode);
        if (mode == Mode.Abs)
            return ($"r0 = *({size} *)skb[{insn.Immediate}]", true);
        if (mode == Mode.Ind)
            return ($"r0 = *({size} *)skb[r{insn.Src} + {insn.Immediate}]", true);
        if (!insn.IsLoadImm64)
            return ($"BUG_ld_{insn.OpCode:x2}", false);

        var value = ((ulong)(uint)next.Immediate << 32) | (uint)insn.Immediate;
        var isPointer = insn.Src is (byte)LoadImm64Source.MapFd or (byte)LoadImm64Source.MapValue;
        if (isPointer && !ShowPointers)
            value = 0;
        var text = FormatImmediate?.Invoke(insn, value) ?? $"0x{value:x}";
        return ($"r{insn.Dst} = {text}", true);
    }

    private string DescribeJump(Instruction insn)
    {
        var width = insn.Class == InstructionClass.Jmp32 ? 'w' : 'r';
        var op = OpCodes.JumpOpOf(insn.OpCode);
        if (op == JumpOp.Call)
            return insn.Src == (byte)CallSource.BpfFunction
                ? $"call pc{NameCall?.Invoke(insn) ?? Signed(insn.Immediate)}"
                : $"call {CallTargetName(insn)}#{insn.Immediate}";
        if (insn.OpCode == OpCodes.Goto)
            return $"goto pc{Signed(insn.Offset)}";
        if (insn.OpCode == OpCodes.JumpConditional && insn.Src == 0)
            return $"may_goto pc{Signed(insn.Offset)}";
        if (insn.OpCode == OpCodes.GotoLong)
            return $"gotol pc{Signed(insn.Immediate)}";
        if (insn.OpCode == OpCodes.Exit)
            return "exit";
        var operatorText = JumpOperators[(int)op >> 4] ?? "(null)";
        return OpCodes.SourceOf(insn.OpCode) == OperandSource.Register
            ? $"if {width}{insn.Dst} {operatorText} {width}{insn.Src} goto pc{Signed(insn.Offset)}"
            : $"if {width}{insn.Dst} {operatorText} 0x{(uint)insn.Immediate:x} goto pc{Signed(insn.Offset)}";
    }

    private string CallTargetName(Instruction insn)
    {
        if (insn.Src == (byte)CallSource.Helper && BpfHelperNames.KernelName((BpfHelper)insn.Immediate) is { } helper)
            return helper;
        if (NameCall?.Invoke(insn) is { } named)
            return named;
        return insn.Src == (byte)CallSource.Kfunc ? "kernel-function" : "unknown";
    }

    private static string AtomicName(AtomicOp op) => op switch
    {
        AtomicOp.FetchAdd => "add",
        AtomicOp.FetchAnd => "and",
        AtomicOp.FetchOr => "or",
        _ => "xor",
    };

    private static string UnsignedSizeName(byte opcode) => OpCodes.SizeOf(opcode) switch
    {
        Size.Byte => "u8",
        Size.Half => "u16",
        Size.Word => "u32",
        _ => "u64",
    };

    // The kernel's table has no 64-bit entry (a sign-extending 64-bit load is meaningless); s64 is our choice for it.
    private static string SignedSizeName(byte opcode) => OpCodes.SizeOf(opcode) switch
    {
        Size.Byte => "s8",
        Size.Half => "s16",
        Size.Word => "s32",
        _ => "s64",
    };

    // printf's "%+d".
    private static string Signed(int value) => value >= 0 ? $"+{value}" : value.ToString();
}
