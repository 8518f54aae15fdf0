using System.Diagnostics;

namespace Sharptrace.Script.Runtime;

/// <summary>
/// nsecs (bpf_ktime_get_ns) counts CLOCK_MONOTONIC, as Stopwatch does on Linux: a kernel timestamp
/// becomes wall-clock time by its distance from now, as bpftrace's strftime() does.
/// </summary>
internal static class BootTime
{
    public static DateTime ToWallClock(ulong kernelNs)
    {
        var nowNs = (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
        return DateTime.Now.AddTicks(-(nowNs - (long)kernelNs) / 100);
    }
}
