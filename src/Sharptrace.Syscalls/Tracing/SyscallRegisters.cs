using System.Runtime.InteropServices;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// Where a system call's six arguments sit in <c>struct pt_regs</c>: the raw sys_enter tracepoint
/// hands its program the registers, not the arguments (that saves the perf-event copy of them).
/// The syscall ABI differs from the function-call ABI (x86_64 passes the fourth in r10; arm64 keeps
/// the first in orig_x0 because x0 is overwritten by the return value).
/// </summary>
internal static class SyscallRegisters
{
    /// <summary>x86_64: di, si, dx, r10, r8, r9.</summary>
    private static readonly short[] X64 = [112, 104, 96, 56, 72, 64];

    /// <summary>arm64: orig_x0, x1..x5.</summary>
    private static readonly short[] Arm64 = [272, 8, 16, 24, 32, 40];

    /// <summary>The offsets for the architecture this process runs on.</summary>
    public static short[] ArgumentOffsets { get; } = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? Arm64 : X64;
}
