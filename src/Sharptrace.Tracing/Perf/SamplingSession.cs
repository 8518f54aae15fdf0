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
    private readonly List<SampleRing> rings = [];
    private readonly Epoll epoll = new();
    private readonly List<ulong> ids = [];

    private SamplingSession(PerfEventAttr attr, EventSpec spec)
    {
        Attr = attr;
        Event = spec;
    }

    /// <summary>The attr every event was opened with (what perf.data stores).</summary>
    public PerfEventAttr Attr { get; }

    /// <summary>The event sampled (after the cycles → cpu-clock fallback).</summary>
    public EventSpec Event { get; }

    /// <summary>The kernel's ids of the opened events (PERF_EVENT_IOC_ID), for the perf.data attr section.</summary>
    public IReadOnlyList<ulong> Ids => ids;

    /// <summary>Records the kernel dropped because a ring was full (sum of PERF_RECORD_LOST counts seen).</summary>
    public ulong Lost { get; private set; }

    /// <summary>SAMPLE records read so far.</summary>
    public ulong Samples { get; private set; }

    /// <summary>The sample_type every record of this session carries.</summary>
    public static PerfSampleType SampleTypeFor(bool callChains) =>
        PerfSampleType.Ip | PerfSampleType.Tid | PerfSampleType.Time | PerfSampleType.Cpu | PerfSampleType.Period
        | (callChains ? PerfSampleType.Callchain : 0);

    /// <summary>Opens the events and rings; counting starts with <see cref="Enable"/> or at the target's exec.</summary>
    /// <exception cref="KernelException">The event cannot be sampled here (not supported, no permission).</exception>
    public static SamplingSession Open(SamplingOptions options, CountingTarget target)
    {
        var spec = options.Event;
        var perCpu = target.PerCpu();
        try
        {
            return OpenWith(spec, options, perCpu);
        }
        catch (KernelException e) when (options.FallBackToCpuClock && e.Errno is Errno.ENOENT or Errno.ENODEV or Errno.EOPNOTSUPP
            && spec.Type == PerfType.Hardware && spec.Config == (ulong)PerfHardwareEvent.CpuCycles)
        {
            // perf does the same: without a PMU (VMs) "cycles" becomes the cpu-clock timer.
            return OpenWith(new EventSpec("cpu-clock", PerfType.Software, (ulong)PerfSoftwareEvent.CpuClock, spec.ExcludeUser, spec.ExcludeKernel), options, perCpu);
        }
    }

    private static SamplingSession OpenWith(EventSpec spec, SamplingOptions options, CountingTarget target)
    {
        var attr = spec.ToAttr();
        attr.SampleType = SampleTypeFor(options.CallChains);
        attr.SamplePeriodOrFreq = options.Period ?? options.Frequency;
        attr.Flags |= PerfEventFlags.Disabled | PerfEventFlags.Mmap | PerfEventFlags.Comm | PerfEventFlags.Task
            | PerfEventFlags.SampleIdAll | PerfEventFlags.Mmap2 | PerfEventFlags.CommExec;
        if (options.Period is null) attr.Flags |= PerfEventFlags.Freq;
        if (!target.IsSystemWide) attr.Flags |= PerfEventFlags.Inherit;
        if (target.EnableOnExec) attr.Flags |= PerfEventFlags.EnableOnExec;
        // Wake the reader when a quarter of the ring is full, so it drains well before records are lost.
        attr.Flags |= PerfEventFlags.Watermark;
        attr.WakeupEventsOrWatermark = (uint)(options.PagesPerCpu * Syscall.PageSize / 4);
        var session = new SamplingSession(attr, spec);
        try
        {
            foreach (var cpu in target.Cpus)
            {
                SampleRing? ring = null;
                foreach (var thread in target.Threads)
                {
                    KernelFd fd;
                    try { fd = PerfEvent.Open(ref attr, thread, cpu, spec.Name); }
                    catch (KernelException e) when (e.Errno == Errno.ESRCH && target.Threads.Count > 1) { continue; } // a thread that just ended
                    session.fds.Add(fd);
                    ulong id;
                    Syscall.Ioctl(fd, PerfIoctl.Id, (nint)(&id), "PERF_EVENT_IOC_ID");
                    session.ids.Add(id);
                    if (ring is null)
                    {
                        ring = new SampleRing(fd, cpu, options.PagesPerCpu);
                        session.rings.Add(ring);
                        session.epoll.Add(fd, (ulong)(session.rings.Count - 1));
                    }
                    else
                    {
                        Syscall.Ioctl(fd, PerfIoctl.SetOutput, ring.Fd.Value, "PERF_EVENT_IOC_SET_OUTPUT");
                    }
                }
            }
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
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
    public int Poll(int timeoutMs, RawRecordHandler handler)
    {
        Span<ulong> ready = stackalloc ulong[64];
        epoll.Wait(ready, timeoutMs);
        return Drain(handler);
    }

    /// <summary>Drains every ring into <paramref name="handler"/>, counting samples and lost records on the way.</summary>
    public int Drain(RawRecordHandler handler)
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
