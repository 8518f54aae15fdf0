using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Readers;
using Sharptrace.Kernel;

namespace Sharptrace.Script.Runtime;

/// <summary>
/// The channel events take from the probes to us: a BPF ring buffer, or on kernels without one
/// (before 5.8) a perf event array with a ring per CPU, read in the same loop. Programs count the
/// records they could not output in the lost counter either way.
/// </summary>
/// <remarks>
/// For tests only, SHARPTRACE_EVENT_BUFFER=perf forces the perf event array and
/// SHARPTRACE_EVENT_BUFFER_PAGES=N sets the buffer size in pages (per CPU for perf), so that both
/// channels and their loss counting can be exercised on one kernel.
/// </remarks>
internal sealed class EventChannel : IDisposable
{
    private const int RingBufferPages = 1024;
    private const int PerfPagesPerCpu = 64;

    private readonly BpfMap lostCounter;
    private RingBufferReader? ring;
    private PerfBufferReader? perf;

    private EventChannel(BpfMap map, BpfMap lostCounter, bool isPerf)
    {
        Map = map;
        this.lostCounter = lostCounter;
        IsPerfBuffer = isPerf;
    }

    /// <summary>The map programs output to.</summary>
    public BpfMap Map { get; }

    public bool IsPerfBuffer { get; }

    /// <summary>
    /// Creates the map: a ring buffer where the kernel has them, else a perf event array.
    /// <paramref name="small"/>: only BEGIN/END send records (one run at a time, drained after each),
    /// or the other probes send none but exit()'s: a perf ring's size (bpftrace's whole buffer for
    /// BEGIN) is enough. The kernel zeroes every page of a ring buffer at start-up and our mapping
    /// of it counts in our RSS twice (the data pages are mapped twice): 4 MiB cost 8 MiB and a millisecond.
    /// </summary>
    public static EventChannel Create(BpfMap lostCounter, bool small = false)
    {
        var pages = int.TryParse(Environment.GetEnvironmentVariable("SHARPTRACE_EVENT_BUFFER_PAGES"), out var forced) && forced > 0 && (forced & (forced - 1)) == 0 ? forced : 0;
        if (Environment.GetEnvironmentVariable("SHARPTRACE_EVENT_BUFFER") != "perf")
        {
            var ringPages = pages > 0 ? pages : small ? PerfPagesPerCpu : RingBufferPages;
            try { return new EventChannel(BpfMap.Create(MapSpec.RingBuffer("events", ringPages * Syscall.PageSize)), lostCounter, false); }
            catch (KernelException e) when (e is not KernelPermissionException) { /* no BPF_MAP_TYPE_RINGBUF: fall back */ }
        }
        return new EventChannel(BpfMap.Create(MapSpec.PerfEventArray("events")), lostCounter, true) { perfPages = pages > 0 ? pages : PerfPagesPerCpu };
    }

    private int perfPages;

    /// <summary>Starts reading (for perf, opens the per-CPU rings and installs them in the map): call before any program runs.</summary>
    public void Open()
    {
        if (IsPerfBuffer) perf = new PerfBufferReader(Map, perfPages);
        else ring = new RingBufferReader(Map, lostCounter);
    }

    /// <summary>Makes <see cref="Poll"/> also return when <paramref name="fd"/> becomes readable; call after <see cref="Open"/>.</summary>
    public void WakeOn(KernelFd fd)
    {
        if (perf is not null) perf.WakeOn(fd);
        else ring!.WakeOn(fd);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for records and delivers them.</summary>
    public void Poll(int timeoutMs, RecordHandler handler)
    {
        if (perf is not null) perf.Poll(timeoutMs, (_, record) => handler(record));
        else ring!.Poll(timeoutMs, handler);
    }

    /// <summary>Delivers what is already there.</summary>
    public void Consume(RecordHandler handler)
    {
        if (perf is not null) perf.Consume((_, record) => handler(record));
        else ring!.Consume(handler);
    }

    /// <summary>
    /// Records the programs could not output. A perf ring also reports its drops (PERF_RECORD_LOST),
    /// but only once the next record fits; the programs' own count is never late, and never lower.
    /// </summary>
    public long Lost
    {
        get
        {
            Span<byte> value = stackalloc byte[8];
            var counted = lostCounter.TryLookup(stackalloc byte[4], value) ? BitConverter.ToInt64(value) : 0;
            return Math.Max(counted, perf?.Lost ?? 0);
        }
    }

    public void Dispose()
    {
        ring?.Dispose();
        perf?.Dispose();
        Map.Dispose();
    }
}
