using System.Globalization;

namespace Sharptrace.Bpf.Elf;

/// <summary>Where a USDT argument's value is: an assembler constant, a register, or memory at register + displacement.</summary>
public enum UsdtArgumentKind
{
    /// <summary>An assembler constant ($5).</summary>
    Constant,

    /// <summary>A register's value (%edi).</summary>
    Register,

    /// <summary>User memory at a register plus a displacement (-8(%rbp)).</summary>
    Memory,
}

/// <summary>
/// One USDT argument spec ("SIZE@OPERAND", the operand as the assembler printed it): <c>-4@%edi</c>
/// (a signed int in a register), <c>8@-8(%rbp)</c> (memory), <c>4@$5</c> (a constant); on arm64
/// <c>-4@w0</c>, <c>8@[sp, 16]</c>, <c>4@5</c>. A negative size means signed.
/// </summary>
/// <param name="Size">Bytes: 1, 2, 4 or 8.</param>
/// <param name="Signed">Whether the value is sign-extended to 64 bits (else zero-extended).</param>
/// <param name="Kind">Constant, register or memory.</param>
/// <param name="Value">The constant, or the memory displacement.</param>
/// <param name="RegisterOffset">The register's offset in struct pt_regs (register and memory kinds).</param>
/// <param name="Spec">The spec as written in the note.</param>
public sealed record UsdtArgument(int Size, bool Signed, UsdtArgumentKind Kind, long Value, int RegisterOffset, string Spec)
{
    /// <summary>x86_64 struct pt_regs, in order (8 bytes each).</summary>
    private static readonly string[] X64PtRegs =
        ["r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss"];

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

    private static UsdtArgument ParseX64(string spec, string operand, int size, bool signed)
    {
        if (operand.StartsWith('$'))
            return new(size, signed, UsdtArgumentKind.Constant, Number(spec, operand[1..]), 0, spec);
        if (operand.StartsWith('%'))
            return new(size, signed, UsdtArgumentKind.Register, 0, X64Register(spec, operand[1..]), spec);
        var open = operand.IndexOf('(');
        if (open < 0 || !operand.EndsWith(')')) throw Bad(spec, "expected $CONSTANT, %REGISTER or DISPLACEMENT(%REGISTER)");
        var inside = operand[(open + 1)..^1];
        if (inside.Contains(',')) throw Bad(spec, "index registers (base,index,scale) are not supported");
        if (!inside.StartsWith('%')) throw Bad(spec, "expected a register in parentheses");
        var register = inside[1..];
        if (register is "rip" or "eip") throw Bad(spec, "addresses relative to %rip (global variables) are not supported");
        var displacement = open == 0 ? 0 : Number(spec, operand[..open]);
        return new(size, signed, UsdtArgumentKind.Memory, displacement, X64Register(spec, register), spec);
    }

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
            if (parts.Length > 2) throw Bad(spec, "index registers are not supported");
            var displacement = parts.Length == 2 ? Number(spec, parts[1].TrimStart('#')) : 0;
            return new(size, signed, UsdtArgumentKind.Memory, displacement, Arm64Register(spec, parts[0]), spec);
        }
        var text = operand.TrimStart('#');
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-'))
            return new(size, signed, UsdtArgumentKind.Constant, Number(spec, text), 0, spec);
        return new(size, signed, UsdtArgumentKind.Register, 0, Arm64Register(spec, operand), spec);
    }

    /// <summary>x0..x30 / w0..w30, sp, pc to their offsets in user_pt_regs.</summary>
    private static int Arm64Register(string spec, string name)
    {
        if (name == "sp") return 31 * 8;
        if (name == "pc") return 32 * 8;
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
