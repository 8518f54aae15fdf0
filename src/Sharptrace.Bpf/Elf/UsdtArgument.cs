using System.Globalization;

namespace Sharptrace.Bpf.Elf;

/// <summary>Where a USDT argument's value is: an assembler constant, a register, memory at a register plus a displacement, or memory at a symbol.</summary>
public enum UsdtArgumentKind
{
    /// <summary>An assembler constant ($5).</summary>
    Constant,

    /// <summary>A register's value (%edi).</summary>
    Register,

    /// <summary>User memory at a register plus a displacement (-8(%rbp)), plus an index register times a scale when there is one (-96(%rbp,%rax,8)).</summary>
    Memory,

    /// <summary>
    /// User memory at a symbol plus a displacement, as gcc prints a global variable in position-independent
    /// code (sharptrace_counter(%rip), 8+table(%rip)): the symbol's address is only known in the ELF file,
    /// see <see cref="UsdtArgument.RelativeTo"/>.
    /// </summary>
    Symbol,
}

/// <summary>
/// One USDT argument spec ("SIZE@OPERAND", the operand as the assembler printed it): <c>-4@%edi</c>
/// (a signed int in a register), <c>8@-8(%rbp)</c> (memory), <c>1@-96(%rbp,%rax,8)</c> (memory with
/// an index register), <c>8@counter(%rip)</c> (a global), <c>4@$5</c> (a constant); on arm64
/// <c>-4@w0</c>, <c>8@[sp, 16]</c>, <c>4@5</c>. A negative size means signed.
/// </summary>
/// <param name="Size">Bytes: 1, 2, 4 or 8.</param>
/// <param name="Signed">Whether the value is sign-extended to 64 bits (else zero-extended).</param>
/// <param name="Kind">Constant, register, memory or symbol.</param>
/// <param name="Value">The constant, or the memory displacement.</param>
/// <param name="RegisterOffset">The (base) register's offset in struct pt_regs (register and memory kinds).</param>
/// <param name="Spec">The spec as written in the note.</param>
public sealed record UsdtArgument(int Size, bool Signed, UsdtArgumentKind Kind, long Value, int RegisterOffset, string Spec)
{
    /// <summary>x86_64 struct pt_regs, in order (8 bytes each).</summary>
    private static readonly string[] X64PtRegs =
        ["r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss"];

    /// <summary>The offset of the instruction pointer in x86_64 pt_regs and arm64 user_pt_regs.</summary>
    private const int X64Ip = 16 * 8, Arm64Pc = 32 * 8;

    /// <summary>Memory kind: the index register's offset in pt_regs, or -1 when there is none.</summary>
    public int IndexRegisterOffset { get; init; } = -1;

    /// <summary>Memory kind with an index register: what the index is multiplied by (1, 2, 4 or 8).</summary>
    public int Scale { get; init; } = 1;

    /// <summary>Symbol kind: the symbol whose address plus <see cref="Value"/> is read.</summary>
    public string? Symbol { get; init; }

    /// <summary>Parses <paramref name="spec"/> for the ELF machine <paramref name="machine"/> (x86-64 or AArch64).</summary>
    /// <exception cref="FormatException">The size or operand is not understood; the message names the spec.</exception>
    public static UsdtArgument Parse(string spec, ushort machine)
    {
        var at = spec.IndexOf('@');
        var size = 8;
        var signed = false;
        if (at >= 0)
        {
            if (!int.TryParse(spec.AsSpan(0, at), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sized) || Math.Abs(sized) is not (1 or 2 or 4 or 8))
                throw Bad(spec, "the size must be 1, 2, 4 or 8 bytes, negative when signed");
            size = Math.Abs(sized);
            signed = sized < 0;
        }
        var operand = spec[(at + 1)..];
        return machine switch
        {
            ElfHeader.MachineX86_64 => ParseX64(spec, operand, size, signed),
            ElfHeader.MachineAArch64 => ParseArm64(spec, operand, size, signed),
            _ => throw Bad(spec, $"USDT arguments of ELF machine {machine} are not supported"),
        };
    }

    /// <summary>
    /// A symbol operand made into memory at the instruction pointer plus a displacement: when the probe
    /// fires, pt_regs' ip is the probe site's address (the kernel sets it back to the breakpoint before
    /// running uprobe handlers), and the site and the symbol keep their link-time distance in memory,
    /// whatever the load bias of a PIE program or library. Other kinds come back unchanged.
    /// </summary>
    /// <param name="symbolAddress">The symbol's link-time address (st_value).</param>
    /// <param name="probeAddress">The probe site's link-time address.</param>
    public UsdtArgument RelativeTo(ulong symbolAddress, ulong probeAddress) => Kind != UsdtArgumentKind.Symbol ? this
        : this with { Kind = UsdtArgumentKind.Memory, RegisterOffset = X64Ip, Value = unchecked((long)(symbolAddress - probeAddress) + Value) };

    private static UsdtArgument ParseX64(string spec, string operand, int size, bool signed)
    {
        if (operand.StartsWith('$'))
            return new(size, signed, UsdtArgumentKind.Constant, Number(spec, operand[1..]), 0, spec);
        if (operand.StartsWith('%'))
            return new(size, signed, UsdtArgumentKind.Register, 0, X64Register(spec, operand[1..]), spec);
        var open = operand.IndexOf('(');
        if (open < 0 || !operand.EndsWith(')')) throw Bad(spec, "expected $CONSTANT, %REGISTER, DISPLACEMENT(%REGISTER) or SYMBOL(%rip)");
        var registers = operand[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
        if (!registers[0].StartsWith('%')) throw Bad(spec, "expected a base register in parentheses");
        var baseRegister = registers[0][1..];
        var (symbol, displacement) = Displacement(spec, operand[..open]);
        if (baseRegister is "rip" or "eip")
        {
            if (registers.Length > 1) throw Bad(spec, "%rip takes no index register");
            if (symbol is null) throw Bad(spec, "a numeric displacement from %rip has no instruction to be relative to; expected SYMBOL(%rip)");
            return new(size, signed, UsdtArgumentKind.Symbol, displacement, 0, spec) { Symbol = symbol };
        }
        if (symbol is not null) throw Bad(spec, $"a symbol ('{symbol}') is only understood relative to %rip");
        var argument = new UsdtArgument(size, signed, UsdtArgumentKind.Memory, displacement, X64Register(spec, baseRegister), spec);
        if (registers.Length == 1) return argument;
        // (%base,%index[,scale]): the address is base + index * scale + displacement.
        if (registers.Length > 3 || !registers[1].StartsWith('%')) throw Bad(spec, "expected (%BASE,%INDEX,SCALE)");
        var scale = registers.Length == 3 ? Number(spec, registers[2]) : 1;
        if (scale is not (1 or 2 or 4 or 8)) throw Bad(spec, $"the scale must be 1, 2, 4 or 8, not {scale}");
        return argument with { IndexRegisterOffset = X64Register(spec, registers[1][1..]), Scale = (int)scale };
    }

    /// <summary>"-8", "0x10", "sym", "sym+8", "8+sym", "sym-4": an optional symbol and the sum of the numbers.</summary>
    private static (string? Symbol, long Displacement) Displacement(string spec, string text)
    {
        string? symbol = null;
        long sum = 0;
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            // A term ends before a '+' or '-' (a leading sign belongs to the first term).
            if (i < text.Length && text[i] is not ('+' or '-')) continue;
            var term = text[start..i];
            start = i;
            var sign = term.StartsWith('-') ? -1 : 1;
            var body = term.TrimStart('+', '-');
            if (body.Length > 0 && char.IsAsciiDigit(body[0])) sum += sign * Number(spec, body);
            else if (IsSymbol(body) && sign > 0 && symbol is null) symbol = body;
            else throw Bad(spec, $"'{text}' is not a displacement (NUMBER, SYMBOL or SYMBOL+NUMBER)");
        }
        return (symbol, sum);
    }

    private static bool IsSymbol(string text) =>
        text.Length > 0 && !char.IsAsciiDigit(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '$');

    /// <summary>Any width of an x86_64 register ("rdi", "edi", "di", "dil", "r8d", "r15b") to its pt_regs offset.</summary>
    private static int X64Register(string spec, string name)
    {
        var canonical = name switch
        {
            "rax" or "eax" or "ax" or "al" => "ax",
            "rbx" or "ebx" or "bx" or "bl" => "bx",
            "rcx" or "ecx" or "cx" or "cl" => "cx",
            "rdx" or "edx" or "dx" or "dl" => "dx",
            "rsi" or "esi" or "si" or "sil" => "si",
            "rdi" or "edi" or "di" or "dil" => "di",
            "rbp" or "ebp" or "bp" or "bpl" => "bp",
            "rsp" or "esp" or "sp" or "spl" => "sp",
            "rip" or "eip" or "ip" => "ip",
            _ when name.Length >= 2 && name[0] == 'r' && char.IsAsciiDigit(name[1]) => name.TrimEnd('d', 'w', 'b', 'l'),
            _ => name,
        };
        var index = Array.IndexOf(X64PtRegs, canonical);
        return index >= 0 ? index * 8 : throw Bad(spec, $"unknown x86_64 register '%{name}'");
    }

    private static UsdtArgument ParseArm64(string spec, string operand, int size, bool signed)
    {
        if (operand.StartsWith('['))
        {
            if (!operand.EndsWith(']')) throw Bad(spec, "expected [REGISTER, OFFSET]");
            var parts = operand[1..^1].Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length > 2 || (parts.Length == 2 && !IsArm64Number(parts[1]))) throw Bad(spec, "index registers are not supported; expected [REGISTER] or [REGISTER, OFFSET]");
            var displacement = parts.Length == 2 ? Number(spec, parts[1].TrimStart('#')) : 0;
            return new(size, signed, UsdtArgumentKind.Memory, displacement, Arm64Register(spec, parts[0]), spec);
        }
        if (IsArm64Number(operand))
            return new(size, signed, UsdtArgumentKind.Constant, Number(spec, operand.TrimStart('#')), 0, spec);
        return new(size, signed, UsdtArgumentKind.Register, 0, Arm64Register(spec, operand), spec);
    }

    private static bool IsArm64Number(string text)
    {
        var digits = text.TrimStart('#');
        return digits.Length > 0 && (char.IsAsciiDigit(digits[0]) || digits[0] == '-');
    }

    /// <summary>x0..x30 / w0..w30, sp, pc to their offsets in user_pt_regs.</summary>
    private static int Arm64Register(string spec, string name)
    {
        if (name == "sp") return 31 * 8;
        if (name == "pc") return Arm64Pc;
        if (name.Length >= 2 && name[0] is 'x' or 'w' && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 30)
            return n * 8;
        throw Bad(spec, $"unknown arm64 register '{name}'");
    }

    private static long Number(string spec, string text)
    {
        var negative = text.StartsWith('-');
        var digits = negative || text.StartsWith('+') ? text[1..] : text;
        var ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok) throw Bad(spec, $"'{text}' is not a number");
        return negative ? -(long)value : (long)value;
    }

    private static FormatException Bad(string spec, string why) => new($"USDT argument '{spec}': {why}");
}
