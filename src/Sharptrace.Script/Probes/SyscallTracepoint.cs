using Sharptrace.Syscalls.Tables;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Script.Probes;

/// <summary>
/// A tracepoint:syscalls:sys_enter_NAME / sys_exit_NAME probe run on the raw sys_enter / sys_exit
/// tracepoint, filtered by call number, with args.NAME read from the saved user registers. Same
/// values as the perf tracepoint (whose record the kernel fills from the same registers), but
/// closing a raw tracepoint link does not wait for an RCU grace period as closing a perf
/// tracepoint does (perf_trace_event_unreg → tracepoint_synchronize_unregister): some 50 ms at
/// every exit.
/// </summary>
/// <remarks>
/// The record layout is the kernel's for every syscall event: common fields, then <c>int __syscall_nr</c>
/// at 8, then the call's arguments (sys_enter) or <c>long ret</c> (sys_exit), 8 bytes each from 16.
/// A script that reads a common_* field or a kernel stack keeps the perf tracepoint (see
/// <see cref="NeedsRecord"/>). SHARPTRACE_SYSCALL_TRACEPOINTS=perf forces the perf tracepoint, so that
/// tests can compare both.
/// </remarks>
internal sealed record SyscallTracepoint(int Number, bool IsExit)
{
    /// <summary>Offset of __syscall_nr in the record.</summary>
    public const int NumberOffset = 8;

    /// <summary>Offset of the first argument (or ret) in the record.</summary>
    public const int FirstArgumentOffset = 16;

    /// <summary>The raw tracepoint to attach to.</summary>
    public string RawTracepoint => IsExit ? "sys_exit" : "sys_enter";

    /// <summary>The raw-tracepoint form of syscalls:<paramref name="name"/>, or null when it has none.</summary>
    public static SyscallTracepoint? For(string category, string name, EventFormat? format)
    {
        if (category != "syscalls" || format is null || Environment.GetEnvironmentVariable("SHARPTRACE_SYSCALL_TRACEPOINTS") == "perf") return null;
        var isExit = name.StartsWith("sys_exit_", StringComparison.Ordinal);
        if (!isExit && !name.StartsWith("sys_enter_", StringComparison.Ordinal)) return null;
        if (!SyscallTable.Current.TryGetNumberOfEvent(name[(isExit ? "sys_exit_" : "sys_enter_").Length..], out var number)) return null;
        return HasKnownLayout(format, isExit) ? new SyscallTracepoint(number, isExit) : null;
    }

    /// <summary>Whether the script reading <paramref name="field"/> needs the perf record (the common_* fields are not in the registers).</summary>
    public static bool NeedsRecord(EventField field) => field.Offset < NumberOffset;

    /// <summary>The argument index of an args field at or after <see cref="FirstArgumentOffset"/>.</summary>
    public static int ArgumentIndex(EventField field) => (field.Offset - FirstArgumentOffset) / 8;

    private static bool HasKnownLayout(EventFormat format, bool isExit)
    {
        var own = format.OwnFields.ToList();
        if (own.Count == 0 || own[0] is not { Name: "__syscall_nr", Offset: NumberOffset, Size: 4 }) return false;
        if (isExit) return own.Count == 2 && own[1] is { Name: "ret", Offset: FirstArgumentOffset, Size: 8 };
        if (own.Count - 1 > Kernel.Arch.Current.SyscallArgumentOffsets.Length) return false;
        for (var i = 1; i < own.Count; i++)
            if (own[i].Offset != FirstArgumentOffset + 8 * (i - 1) || own[i].Size != 8 || own[i].ArrayLength is not null || own[i].IsDataLoc || own[i].IsRelLoc)
                return false;
        return true;
    }
}
