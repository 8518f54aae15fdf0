using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tracing.Perf;

/// <summary>
/// One counting event over a target: an fd per (thread, CPU), read with the enabled/running times
/// and summed. An event the machine lacks (a hardware counter in a VM) is kept as unsupported
/// rather than failing, because perf stat prints it as &lt;not supported&gt;.
/// </summary>
public sealed unsafe class Counter : IDisposable
{
    private const ulong ReadTotalTimeEnabled = 1;
    private const ulong ReadTotalTimeRunning = 2;

    private readonly List<KernelFd> fds = [];
    // The CPU each fd counts on (-1: any), parallel to fds, for perf stat -A.
    private readonly List<int> fdCpus = [];

    private Counter(EventSpec spec) => Spec = spec;

    /// <summary>The event counted.</summary>
    public EventSpec Spec { get; }

    /// <summary>Why the event could not be opened (ENOENT/ENODEV/EOPNOTSUPP), or null when it counts.</summary>
    public string? UnsupportedReason { get; private set; }

    /// <summary>True when the kernel or the machine lacks the event.</summary>
    public bool IsSupported => UnsupportedReason is null;

    /// <summary>
    /// Opens <paramref name="spec"/> on every (thread, CPU) of <paramref name="target"/>, disabled
    /// unless the target enables it on exec; children inherit it so a command's whole tree counts.
    /// </summary>
    /// <exception cref="KernelException">A failure other than "not supported" (permissions, bad pid).</exception>
    public static Counter Open(EventSpec spec, CountingTarget target)
    {
        var counter = new Counter(spec);
        try
        {
            foreach (var thread in target.Threads)
            {
                foreach (var cpu in target.Cpus)
                {
                    var attr = spec.ToAttr();
                    attr.ReadFormat = ReadTotalTimeEnabled | ReadTotalTimeRunning;
                    attr.Flags |= PerfEventFlags.Disabled;
                    if (!target.IsSystemWide) attr.Flags |= PerfEventFlags.Inherit;
                    if (target.EnableOnExec) attr.Flags |= PerfEventFlags.EnableOnExec;
                    try
                    {
                        counter.fds.Add(PerfEvent.Open(ref attr, thread, cpu, spec.Name));
                        counter.fdCpus.Add(cpu);
                    }
                    catch (KernelException e) when (e.Errno is Errno.ENOENT or Errno.ENODEV or Errno.EOPNOTSUPP)
                    {
                        counter.UnsupportedReason = e.Message;
                        counter.CloseAll();
                        return counter;
                    }
                    catch (KernelException e) when (e.Errno == Errno.ESRCH)
                    {
                        // A thread of -p that ended between listing and opening: nothing to count there.
                    }
                }
            }
            return counter;
        }
        catch
        {
            counter.Dispose();
            throw;
        }
    }

    /// <summary>Starts counting (not needed for a command target: the exec enables it).</summary>
    public void Enable()
    {
        foreach (var fd in fds) PerfEvent.Enable(fd);
    }

    /// <summary>Stops counting.</summary>
    public void Disable()
    {
        foreach (var fd in fds) PerfEvent.Disable(fd);
    }

    /// <summary>The sum over all fds so far.</summary>
    public CounterReading Read()
    {
        var total = default(CounterReading);
        for (var i = 0; i < fds.Count; i++) total += ReadOne(fds[i]);
        return total;
    }

    /// <summary>The counts of each CPU (summed over threads), in CPU order; one entry of CPU -1 when opened on any CPU.</summary>
    public SortedDictionary<int, CounterReading> ReadPerCpu()
    {
        var perCpu = new SortedDictionary<int, CounterReading>();
        for (var i = 0; i < fds.Count; i++)
            perCpu[fdCpus[i]] = perCpu.GetValueOrDefault(fdCpus[i]) + ReadOne(fds[i]);
        return perCpu;
    }

    private static CounterReading ReadOne(KernelFd fd)
    {
        Span<ulong> values = stackalloc ulong[3];
        fixed (ulong* p = values)
        {
            // An event whose task is gone reads 0 bytes: it has nothing more to add.
            if (PerfNative.Read(fd.Value, p, 24) != 24) return default;
        }
        return new CounterReading(values[0], values[1], values[2]);
    }

    private void CloseAll()
    {
        foreach (var fd in fds) fd.Dispose();
        fds.Clear();
        fdCpus.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => CloseAll();
}
