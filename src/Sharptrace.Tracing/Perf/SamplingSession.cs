using Sharptrace.Bpf.Readers;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// A sampling event opened over a target with one mmap ring per CPU: every (thread, CPU) event of
/// that CPU is redirected into the CPU's ring (PERF_EVENT_IOC_SET_OUTPUT), so a process with many
/// threads costs one ring per CPU, as in perf record. The rings carry SAMPLE records plus the
/// MMAP2/COMM/FORK/EXIT records that let addresses be resolved after the process has gone.
/// </summary>
public sealed unsafe class SamplingSession : IDisposable
{
    private readonly List<KernelFd> fds = [];
    private readonly List<PerfRingCursor> rings = [];
    private readonly Epoll epoll = new();
    private readonly List<SampledEvent> events = [];

    private SamplingSession()
    {
    }

    /// <summary>The attr the first event was opened with (all share one sample_type).</summary>
    public PerfEventAttr Attr => events[0].Attr;

    /// <summary>The first event sampled (after the cycles → cpu-clock fallback).</summary>
    public EventSpec Event => events[0].Spec;

    /// <summary>Every event with its attr and the kernel's ids of its fds (PERF_EVENT_IOC_ID), for the perf.data attr sections.</summary>
    public IReadOnlyList<SampledEvent> Events => events;

    /// <summary>Records the kernel dropped because a ring was full (sum of PERF_RECORD_LOST counts seen).</summary>
    public ulong Lost { get; private set; }

    /// <summary>SAMPLE records read so far.</summary>
    public ulong Samples { get; private set; }

    /// <summary>
    /// The sample_type every record of this session carries; with several events, IDENTIFIER too
    /// (first in a sample, last in other records' trailers), which is how perf tells the events apart.
    /// </summary>
    public static PerfSampleType SampleTypeFor(bool callChains, bool severalEvents = false) =>
        PerfSampleType.Ip | PerfSampleType.Tid | PerfSampleType.Time | PerfSampleType.Cpu | PerfSampleType.Period
        | (callChains ? PerfSampleType.Callchain : 0) | (severalEvents ? PerfSampleType.Identifier : 0);

    /// <summary>Opens the events and rings; counting starts with <see cref="Enable"/> or at the target's exec.</summary>
    /// <exception cref="KernelException">The event cannot be sampled here (not supported, no permission).</exception>
    public static SamplingSession Open(SamplingOptions options, CountingTarget target)
    {
        var spec = options.Event;
        var perCpu = target.PerCpu();
        try
        {
            return OpenWith(options.AllEvents, options, perCpu);
        }
        catch (KernelException e) when (options.FallBackToCpuClock && e.Errno is Errno.ENOENT or Errno.ENODEV or Errno.EOPNOTSUPP
            && spec.Type == PerfType.Hardware && spec.Config == (ulong)PerfHardwareEvent.CpuCycles)
        {
            // perf does the same: without a PMU (VMs) "cycles" becomes the cpu-clock timer.
            return OpenWith([new EventSpec("cpu-clock", PerfType.Software, (ulong)PerfSoftwareEvent.CpuClock, spec.ExcludeUser, spec.ExcludeKernel), .. options.OtherEvents ?? []], options, perCpu);
        }
    }

    private static SamplingSession OpenWith(IReadOnlyList<EventSpec> specs, SamplingOptions options, CountingTarget target)
    {
        var session = new SamplingSession();
        try
        {
            var attrs = specs.Select((spec, i) => AttrFor(spec, options, target, specs.Count > 1, sideBand: i == 0)).ToArray();
            var ids = specs.Select(_ => new List<ulong>()).ToArray();
            foreach (var cpu in target.Cpus)
            {
                // Every event of every thread on this CPU writes into the CPU's one ring, as perf record does.
                KernelFd? ringOwner = null;
                for (var e = 0; e < specs.Count; e++)
                {
                    foreach (var thread in target.Threads)
                    {
                        KernelFd fd;
                        try { fd = PerfEvent.Open(ref attrs[e], thread, cpu, specs[e].Name); }
                        catch (KernelException ex) when (ex.Errno == Errno.ESRCH && target.Threads.Count > 1) { continue; } // a thread that just ended
                        session.fds.Add(fd);
                        ulong id;
                        Syscall.Ioctl(fd, PerfIoctl.Id, (nint)(&id), "PERF_EVENT_IOC_ID");
                        ids[e].Add(id);
                        if (ringOwner is null)
                        {
                            ringOwner = fd;
                            session.rings.Add(new PerfRingCursor(fd, options.PagesPerCpu, $"perf ring of cpu {cpu}"));
                            session.epoll.Add(fd, (ulong)(session.rings.Count - 1));
                        }
                        else
                        {
                            Syscall.Ioctl(fd, PerfIoctl.SetOutput, ringOwner.Value, "PERF_EVENT_IOC_SET_OUTPUT");
                        }
                    }
                }
            }
            for (var e = 0; e < specs.Count; e++) session.events.Add(new SampledEvent(specs[e], attrs[e], ids[e]));
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    // Only the first event asks for MMAP/COMM/TASK records (as perf does): the others would repeat them.
    private static PerfEventAttr AttrFor(EventSpec spec, SamplingOptions options, CountingTarget target, bool severalEvents, bool sideBand)
    {
        var attr = spec.ToAttr();
        attr.SampleType = SampleTypeFor(options.CallChains, severalEvents);
        attr.SamplePeriodOrFreq = options.Period ?? options.Frequency;
        attr.Flags |= PerfEventFlags.Disabled | PerfEventFlags.SampleIdAll;
        if (sideBand) attr.Flags |= PerfEventFlags.Mmap | PerfEventFlags.Comm | PerfEventFlags.Task | PerfEventFlags.Mmap2 | PerfEventFlags.CommExec;
        if (options.Period is null) attr.Flags |= PerfEventFlags.Freq;
        if (!target.IsSystemWide) attr.Flags |= PerfEventFlags.Inherit;
        if (target.EnableOnExec) attr.Flags |= PerfEventFlags.EnableOnExec;
        // Wake the reader when a quarter of the ring is full, so it drains well before records are lost.
        attr.Flags |= PerfEventFlags.Watermark;
        attr.WakeupEventsOrWatermark = (uint)(options.PagesPerCpu * Syscall.PageSize / 4);
        return attr;
    }

    /// <summary>Starts sampling (a command target starts by itself at its exec).</summary>
    public void Enable()
    {
        foreach (var fd in fds) PerfEvent.Enable(fd);
    }

    /// <summary>Stops sampling.</summary>
    public void Disable()
    {
        foreach (var fd in fds) PerfEvent.Disable(fd);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for a ring to fill, then drains them all into <paramref name="handler"/>.</summary>
    public int Poll(int timeoutMs, RecordHandler handler)
    {
        Span<ulong> ready = stackalloc ulong[64];
        epoll.Wait(ready, timeoutMs);
        return Drain(handler);
    }

    /// <summary>Drains every ring into <paramref name="handler"/>, counting samples and lost records on the way.</summary>
    public int Drain(RecordHandler handler)
    {
        var count = 0;
        foreach (var ring in rings)
        {
            count += ring.Drain(record =>
            {
                var type = (PerfRecordType)BitConverter.ToUInt32(record);
                if (type == PerfRecordType.Sample) Samples++;
                else if (type == PerfRecordType.Lost) Lost += BitConverter.ToUInt64(record[16..]);
                handler(record);
            });
        }
        return count;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var ring in rings) ring.Dispose();
        foreach (var fd in fds) fd.Dispose();
        rings.Clear();
        fds.Clear();
        epoll.Dispose();
    }
}
