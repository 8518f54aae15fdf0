using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tracing.Perf;

/// <summary>One perf event as the user named it (e.g. "page-faults", "cycles:u", "sched:sched_switch") and what the kernel needs to open it.</summary>
/// <param name="Name">The name shown in reports, as perf prints it.</param>
/// <param name="Type">perf_event_attr.type.</param>
/// <param name="Config">perf_event_attr.config.</param>
/// <param name="ExcludeUser">":k" modifier: count only kernel mode.</param>
/// <param name="ExcludeKernel">":u" modifier: count only user mode.</param>
public sealed record EventSpec(string Name, PerfType Type, ulong Config, bool ExcludeUser = false, bool ExcludeKernel = false)
{
    /// <summary>True for task-clock and cpu-clock, whose counts are nanoseconds.</summary>
    public bool IsClock => Type == PerfType.Software && Config is (ulong)PerfSoftwareEvent.TaskClock or (ulong)PerfSoftwareEvent.CpuClock;

    /// <summary>An attr for counting (or, with the caller's additions, sampling) this event.</summary>
    public PerfEventAttr ToAttr()
    {
        var attr = new PerfEventAttr { Type = Type, Config = Config };
        if (ExcludeUser) attr.Flags |= PerfEventFlags.ExcludeUser;
        if (ExcludeKernel) attr.Flags |= PerfEventFlags.ExcludeKernel;
        return attr;
    }
}
