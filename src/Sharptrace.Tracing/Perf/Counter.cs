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
        Span<ulong> values = stackalloc ulong[3];
        foreach (var fd in fds)
        {
            fixed (ulong* p = values)
            {
                var n = PerfNative.Read(fd.Value, p, 24);
                if (n != 24) continue; // an event whose task is gone reads 0 bytes: it has nothing more to add
            }
            total += new CounterReading(values[0], values[1], values[2]);
        }
        return total;
    }

    private void CloseAll()
    {
        foreach (var fd in fds) fd.Dispose();
        fds.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => CloseAll();
}
