using Sharptrace.Kernel.Interop;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Kernel;

/// <summary>perf_event_open(2) and the dynamic PMU types (kprobe, uprobe) it needs.</summary>
public static unsafe class PerfEvent
{
    /// <summary>PERF_FLAG_FD_CLOEXEC.</summary>
    public const ulong FlagCloexec = 8;

    /// <summary>
    /// Opens a perf event for <paramref name="pid"/> (-1: all) on <paramref name="cpu"/> (-1: any).
    /// <paramref name="what"/> names the event in errors.
    /// </summary>
    public static KernelFd Open(ref PerfEventAttr attr, int pid, int cpu, string what, int groupFd = -1)
    {
        attr.Size = PerfEventAttr.CurrentSize;
        fixed (PerfEventAttr* p = &attr)
        {
            long fd;
            do fd = Libc.Syscall(Arch.Current.PerfEventOpenSyscall, (nint)p, pid, cpu, groupFd, (nint)FlagCloexec);
            while (fd < 0 && Syscall.LastErrno == Errno.EINTR);
            if (fd < 0) throw Error(what, Syscall.LastErrno);
            return KernelFd.Own((int)fd);
        }
    }

    /// <summary>The exception for perf_event_open of <paramref name="what"/> failing with <paramref name="errno"/>.</summary>
    public static KernelException Error(string what, Errno errno)
    {
        var operation = $"perf_event_open({what})";
        return errno switch
        {
            Errno.ENOENT or Errno.EOPNOTSUPP => new KernelException(operation, errno, "this kernel or machine does not support the event"),
            Errno.ENODEV => new KernelException(operation, errno, "no such PMU on this machine (virtual machines often lack hardware counters)"),
            _ => KernelException.For(operation, errno, Capability.Perfmon),
        };
    }

    /// <summary>
    /// The PMU type number of a dynamic PMU such as "kprobe" or "uprobe", or null when the kernel
    /// lacks it (e.g. CONFIG_KPROBES off). See <see cref="DynamicPmu"/>.
    /// </summary>
    public static uint? DynamicPmuType(string pmu) => DynamicPmu.Find(pmu)?.Type;

    /// <summary>The bit of config that asks a kprobe/uprobe PMU for a return probe (from format/retprobe).</summary>
    public static int RetprobeBit(string pmu) => DynamicPmu.Find(pmu)?.RetprobeBit ?? 0;

    /// <summary>Enables a perf event (PERF_EVENT_IOC_ENABLE).</summary>
    public static void Enable(KernelFd fd) => Syscall.Ioctl(fd, PerfIoctl.Enable, 0, "PERF_EVENT_IOC_ENABLE");

    /// <summary>Disables a perf event (PERF_EVENT_IOC_DISABLE).</summary>
    public static void Disable(KernelFd fd) => Syscall.Ioctl(fd, PerfIoctl.Disable, 0, "PERF_EVENT_IOC_DISABLE");
}
