using System.Runtime.InteropServices;

namespace Sharptrace.Kernel;

/// <summary>
/// Numbers that differ between the architectures sharptrace supports. One small table per
/// architecture keeps the split visible (as ply's arch/ folder does).
/// </summary>
/// <param name="Name">The kernel's name of the architecture (uname -m).</param>
/// <param name="BpfSyscall">Number of the bpf(2) system call.</param>
/// <param name="PerfEventOpenSyscall">Number of perf_event_open(2).</param>
/// <param name="ArgumentOffsets">Offsets in struct pt_regs of the function-call argument registers, in order.</param>
/// <param name="ReturnValueOffset">Offset in struct pt_regs of the return-value register.</param>
/// <param name="InstructionPointerOffset">Offset in struct pt_regs of the instruction pointer.</param>
/// <param name="StackPointerOffset">Offset in struct pt_regs of the stack pointer.</param>
public sealed record Arch(string Name, long BpfSyscall, long PerfEventOpenSyscall, int[] ArgumentOffsets, int ReturnValueOffset,
    int InstructionPointerOffset, int StackPointerOffset)
{
    /// <summary>
    /// Offsets in struct pt_regs of a system call's six arguments, in order, as the kernel's
    /// syscall_get_arguments() reads them: the syscall ABI differs from the function-call ABI
    /// (x86_64 passes the fourth in r10; arm64 keeps the first in orig_x0 because x0 is overwritten
    /// by the return value).
    /// </summary>
    public required int[] SyscallArgumentOffsets { get; init; }

    /// <summary>Offset in struct pt_regs of the call number at exit, syscall_get_nr(): x86_64 orig_ax (8 bytes), arm64 syscallno (s32).</summary>
    public required int SyscallNumberOffset { get; init; }

    /// <summary>Size in bytes of the call number field.</summary>
    public required int SyscallNumberSize { get; init; }

    /// <summary>
    /// Offset in struct pt_regs of the word that tells a native call from a compat (32-bit) one:
    /// the syscalls tracepoints skip compat calls. x86_64: cs is the 64-bit user code segment
    /// (0x33) for native calls; arm64: pstate has PSR_MODE32_BIT (0x10) clear.
    /// </summary>
    public required int CallModeOffset { get; init; }

    /// <summary>Bits of the call-mode word that are compared.</summary>
    public required long CallModeMask { get; init; }

    /// <summary>The masked call-mode word of a native call.</summary>
    public required long NativeCallMode { get; init; }

    /// <summary>
    /// x86_64 only: a 64-bit process may also make compat calls (int $0x80) with the 64-bit code
    /// segment; the kernel marks them with TS_COMPAT in thread_info.status, and thread_info is the
    /// first member of task_struct. The offset of status in the kernel <paramref name="release"/>:
    /// 16 since 5.11 added syscall_work before it, 8 before. Null where the call mode says it all.
    /// </summary>
    public (int Offset, int Flag)? CompatStatus(string release)
    {
        if (this != X64) return null;
        return (Syscall.ReleaseAtLeast(release, 5, 11) ? 16 : 8, 0x0002 /* TS_COMPAT */);
    }

    /// <summary>x86_64: pt_regs is r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss.</summary>
    public static readonly Arch X64 = new("x86_64", BpfSyscall: 321, PerfEventOpenSyscall: 298,
        ArgumentOffsets: [112 /* di */, 104 /* si */, 96 /* dx */, 88 /* cx */, 72 /* r8 */, 64 /* r9 */],
        ReturnValueOffset: 80 /* ax */, InstructionPointerOffset: 128, StackPointerOffset: 152)
    {
        SyscallArgumentOffsets = [112 /* di */, 104 /* si */, 96 /* dx */, 56 /* r10 */, 72 /* r8 */, 64 /* r9 */],
        SyscallNumberOffset = 120 /* orig_ax */, SyscallNumberSize = 8,
        CallModeOffset = 136 /* cs */, CallModeMask = 0xffff, NativeCallMode = 0x33 /* __USER_CS */,
    };

    /// <summary>aarch64: user_pt_regs is x0..x30, sp, pc, pstate.</summary>
    public static readonly Arch Arm64 = new("aarch64", BpfSyscall: 280, PerfEventOpenSyscall: 241,
        ArgumentOffsets: [0, 8, 16, 24, 32, 40, 48, 56],
        ReturnValueOffset: 0, InstructionPointerOffset: 256, StackPointerOffset: 248)
    {
        SyscallArgumentOffsets = [272 /* orig_x0 */, 8, 16, 24, 32, 40],
        SyscallNumberOffset = 280 /* syscallno, after orig_x0 */, SyscallNumberSize = 4,
        CallModeOffset = 264 /* pstate */, CallModeMask = 0x10 /* PSR_MODE32_BIT */, NativeCallMode = 0,
    };

    /// <summary>The architecture this process runs on.</summary>
    public static Arch Current { get; } = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => X64,
        Architecture.Arm64 => Arm64,
        var other => throw new PlatformNotSupportedException($"sharptrace supports x86_64 and arm64, not {other}"),
    };
}
