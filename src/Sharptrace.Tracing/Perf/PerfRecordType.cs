namespace Sharptrace.Tracing.Perf;

/// <summary>perf_event_header.type values (include/uapi/linux/perf_event.h), plus the user-space ones perf.data uses.</summary>
public enum PerfRecordType : uint
{
    /// <summary>PERF_RECORD_MMAP.</summary>
    Mmap = 1,
    /// <summary>PERF_RECORD_LOST.</summary>
    Lost = 2,
    /// <summary>PERF_RECORD_COMM.</summary>
    Comm = 3,
    /// <summary>PERF_RECORD_EXIT.</summary>
    Exit = 4,
    /// <summary>PERF_RECORD_THROTTLE.</summary>
    Throttle = 5,
    /// <summary>PERF_RECORD_UNTHROTTLE.</summary>
    Unthrottle = 6,
    /// <summary>PERF_RECORD_FORK.</summary>
    Fork = 7,
    /// <summary>PERF_RECORD_READ.</summary>
    Read = 8,
    /// <summary>PERF_RECORD_SAMPLE.</summary>
    Sample = 9,
    /// <summary>PERF_RECORD_MMAP2.</summary>
    Mmap2 = 10,
    /// <summary>PERF_RECORD_FINISHED_ROUND (perf.data only).</summary>
    FinishedRound = 68,
}

/// <summary>perf_event_header.misc bits we use.</summary>
public static class PerfRecordMisc
{
    /// <summary>PERF_RECORD_MISC_CPUMODE_MASK.</summary>
    public const ushort CpuModeMask = 7;
    /// <summary>PERF_RECORD_MISC_KERNEL.</summary>
    public const ushort Kernel = 1;
    /// <summary>PERF_RECORD_MISC_USER.</summary>
    public const ushort User = 2;
    /// <summary>PERF_RECORD_MISC_COMM_EXEC / MMAP_DATA (bit 13; meaning depends on the record type).</summary>
    public const ushort CommExec = 1 << 13;
}
