using System.Runtime.InteropServices;

namespace Sharptrace.Kernel;

/// <summary>
/// Numbers that differ between the architectures sharptrace supports. One small table per
/// architecture keeps the split visible (as ply's arch/ folder does).
/// </summary>
public sealed record Arch(string Name, long BpfSyscall, long PerfEventOpenSyscall)
{
    /// <summary>x86_64.</summary>
    public static readonly Arch X64 = new("x86_64", BpfSyscall: 321, PerfEventOpenSyscall: 298) { PtRegsReturnValueOffset = 80 };

    /// <summary>aarch64.</summary>
    public static readonly Arch Arm64 = new("aarch64", BpfSyscall: 280, PerfEventOpenSyscall: 241) { PtRegsReturnValueOffset = 0 };

    /// <summary>
    /// Where a kretprobe program finds the function's return value in the struct pt_regs its
    /// context points to: x86_64 <c>ax</c> (after r15…r8, 10 × 8 bytes; checked against the
    /// kernel's BTF), arm64 <c>regs[0]</c>.
    /// </summary>
    public short PtRegsReturnValueOffset { get; init; }

    /// <summary>The architecture this process runs on.</summary>
    public static Arch Current { get; } = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => X64,
        Architecture.Arm64 => Arm64,
        var other => throw new PlatformNotSupportedException($"sharptrace supports x86_64 and arm64, not {other}"),
    };
}
