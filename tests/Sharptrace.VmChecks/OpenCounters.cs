using System.Runtime.InteropServices;

namespace Sharptrace.VmChecks;

/// <summary>
/// The one value of the counters array map, as both programs update it (atomic adds at these
/// offsets) and user space reads it back.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct OpenCounters
{
    public const short EntriesOffset = 0;
    public const short ReturnsOffset = 8;
    public const short EnoentOffset = 16;
    public const short OkOffset = 24;
    public const short ReturnSumOffset = 32;
    public const int Size = 40;

    /// <summary>kprobe hits of this process.</summary>
    public long Entries;

    /// <summary>kretprobe hits of this process.</summary>
    public long Returns;

    /// <summary>Returns of -ENOENT (-2).</summary>
    public long Enoent;

    /// <summary>Returns ≥ 0 (a file descriptor).</summary>
    public long Ok;

    /// <summary>The sum of all return values: catches a wrong pt_regs offset that still looks plausible.</summary>
    public long ReturnSum;
}
