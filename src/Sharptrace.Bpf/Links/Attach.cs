using System.Text;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bpf.Links;

/// <summary>
/// Attaches programs to kernel hooks. Everything goes through fd-owned objects (perf events of the
/// tracepoint, kprobe and uprobe PMUs, bpf links, raw tracepoints), never through text files, so a
/// killed tracer leaves nothing behind.
/// </summary>
public static unsafe class Attach
{
    /// <summary>Attaches a tracepoint program to <paramref name="category"/>:<paramref name="name"/> (e.g. syscalls:sys_enter_openat).</summary>
    public static BpfLink Tracepoint(BpfProgram program, string category, string name)
    {
        var id = TraceFs.TracepointId(category, name);
        var attr = new PerfEventAttr
        {
            Type = PerfType.Tracepoint,
            Config = (ulong)id,
            SamplePeriodOrFreq = 1,
            WakeupEventsOrWatermark = 1,
        };
        // A BPF program on a tracepoint runs on every CPU whichever CPU the perf event is opened on.
        var perf = PerfEvent.Open(ref attr, pid: -1, cpu: 0, $"tracepoint {category}:{name}");
        return AttachToPerfEvent(program, perf, $"tracepoint {category}:{name}");
    }

    /// <summary>Attaches a raw tracepoint program (BPF_PROG_TYPE_RAW_TRACEPOINT) to tracepoint <paramref name="name"/>, e.g. sys_enter.</summary>
    public static BpfLink RawTracepoint(BpfProgram program, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            var attr = new RawTracepointOpenAttr { Name = (ulong)p, ProgFd = (uint)program.Fd.Value };
            var result = BpfSyscall.TryInvoke(BpfCommand.RawTracepointOpen, ref attr);
            if (result < 0)
            {
                var errno = Syscall.LastErrno;
                if (errno == Errno.ENOENT) throw new KernelException($"bpf(BPF_RAW_TRACEPOINT_OPEN) for '{name}'", errno, "no such raw tracepoint on this kernel");
                throw BpfSyscall.Error(BpfCommand.RawTracepointOpen, errno, $"raw tracepoint '{name}'");
            }
            return new BpfLink($"raw tracepoint {name}", KernelFd.Own(result));
        }
    }

    /// <summary>
    /// Attaches a tracing program (fentry/fexit, loaded with its target's BTF id, see
    /// <see cref="TracingTarget"/>) to its function: a bpf_link through BPF_LINK_CREATE (Linux 5.10),
    /// else BPF_RAW_TRACEPOINT_OPEN with no name, which older kernels use for the same trampoline link.
    /// </summary>
    public static BpfLink Tracing(BpfProgram program, string function)
    {
        var kind = program.Spec.ExpectedAttachType == BpfAttachType.TraceFexit ? "fexit" : "fentry";
        var what = $"{kind} {function}";
        var attr = new LinkCreateAttr { ProgFd = (uint)program.Fd.Value, AttachType = program.Spec.ExpectedAttachType };
        var link = BpfSyscall.TryInvoke(BpfCommand.LinkCreate, ref attr);
        if (link >= 0) return new BpfLink(what, KernelFd.Own(link));
        var errno = Syscall.LastErrno;
        if (errno is Errno.EINVAL or Errno.ENOTSUPP or Errno.EOPNOTSUPP)
        {
            var raw = new RawTracepointOpenAttr { ProgFd = (uint)program.Fd.Value };
            link = BpfSyscall.TryInvoke(BpfCommand.RawTracepointOpen, ref raw);
            if (link >= 0) return new BpfLink(what, KernelFd.Own(link));
            errno = Syscall.LastErrno;
        }
        // The trampoline is missing (no CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) or the function cannot be traced.
        throw new KernelException($"bpf(BPF_LINK_CREATE) for {what}", errno,
            errno is Errno.ENOTSUPP or Errno.EOPNOTSUPP or Errno.ENODEV ? "this kernel cannot attach fentry/fexit programs (no BPF trampoline)" : null);
    }

    /// <summary>
    /// Attaches a kprobe program to <paramref name="function"/>+<paramref name="offset"/> (or its
    /// return when <paramref name="isReturn"/>) through the kprobe PMU.
    /// </summary>
    public static BpfLink Kprobe(BpfProgram program, string function, ulong offset = 0, bool isReturn = false)
    {
        var kind = isReturn ? "kretprobe" : "kprobe";
        var pmu = DynamicPmu.Find("kprobe")
            ?? throw new KernelException($"perf_event_open({kind} {function})", Errno.ENOENT, "this kernel has no kprobe PMU (CONFIG_KPROBES is off)");
        var symbol = Encoding.ASCII.GetBytes(function + "\0");
        fixed (byte* p = symbol)
        {
            var attr = new PerfEventAttr
            {
                Type = (PerfType)pmu.Type,
                Config = pmu.Config(isReturn),
                Config1 = (ulong)p,
                Config2 = offset,
                SamplePeriodOrFreq = 1,
                WakeupEventsOrWatermark = 1,
            };
            var what = $"{kind} {function}" + (offset != 0 ? $"+{offset}" : "");
            KernelFd perf;
            try
            {
                perf = PerfEvent.Open(ref attr, pid: -1, cpu: 0, what);
            }
            catch (KernelException e) when (e.Errno is Errno.ENOENT or Errno.EINVAL)
            {
                throw new KernelException($"perf_event_open({what})", e.Errno, UnprobeableFunctionHint(function, offset));
            }
            return AttachToPerfEvent(program, perf, what);
        }
    }

    // The kernel answers ENOENT or EINVAL both for a missing symbol and for one it refuses to
    // probe; kallsyms tells the two apart, so the user knows whether to fix a typo or pick another function.
    private static string UnprobeableFunctionHint(string function, ulong offset) => KernelFunctionNames.Exists(function) switch
    {
        false => $"no kernel function '{function}' (not in /proc/kallsyms)",
        true => $"kernel function '{function}' exists but cannot be probed" +
            (offset != 0 ? $" at +{offset} (not an instruction boundary?) or at all" : "") +
            " (on the kprobe blacklist, notrace, or inlined into its callers)",
        null => $"cannot probe kernel function '{function}': it does not exist, is inlined, or is on the kprobe blacklist",
    };

    /// <summary>
    /// Attaches a kprobe-type program to a user-space function at <paramref name="fileOffset"/> in
    /// <paramref name="binaryPath"/> (its return when <paramref name="isReturn"/>), for all processes
    /// or only <paramref name="pid"/>, through the uprobe PMU.
    /// </summary>
    public static BpfLink Uprobe(BpfProgram program, string binaryPath, ulong fileOffset, bool isReturn = false, int pid = -1) =>
        Uprobe(program, binaryPath, fileOffset, isReturn, pid, referenceCounterOffset: 0);

    /// <summary>
    /// A uprobe whose <paramref name="referenceCounterOffset"/> (the file offset of a USDT semaphore,
    /// 0 for none) the kernel increments in every process that maps the file while the probe is
    /// attached, and decrements after (perf_event_attr ref_ctr_offset, Linux 4.20).
    /// </summary>
    /// <exception cref="KernelException">The kernel has no ref_ctr_offset and a semaphore was asked for.</exception>
    public static BpfLink Uprobe(BpfProgram program, string binaryPath, ulong fileOffset, bool isReturn, int pid, ulong referenceCounterOffset)
    {
        var kind = isReturn ? "uretprobe" : "uprobe";
        var what = $"{kind} {binaryPath}:0x{fileOffset:x}";
        if (!File.Exists(binaryPath)) throw new FileNotFoundException($"{kind}: no such file '{binaryPath}'", binaryPath);
        var pmu = DynamicPmu.Find("uprobe")
            ?? throw new KernelException($"perf_event_open({what})", Errno.ENOENT, "this kernel has no uprobe PMU (CONFIG_UPROBE_EVENTS is off)");
        var path = Encoding.UTF8.GetBytes(Path.GetFullPath(binaryPath) + "\0");
        fixed (byte* p = path)
        {
            var attr = new PerfEventAttr
            {
                Type = (PerfType)pmu.Type,
                Config = pmu.Config(isReturn) | ReferenceCounterConfig(pmu, referenceCounterOffset, what),
                Config1 = (ulong)p,
                Config2 = fileOffset,
                SamplePeriodOrFreq = 1,
                WakeupEventsOrWatermark = 1,
            };
            // A system-wide uprobe is opened on CPU 0 (pid -1 with cpu -1 is invalid); a per-process one on any CPU.
            var perf = PerfEvent.Open(ref attr, pid, pid < 0 ? 0 : -1, what);
            return AttachToPerfEvent(program, perf, what);
        }
    }

    private static ulong ReferenceCounterConfig(DynamicPmu pmu, ulong offset, string what)
    {
        if (offset == 0) return 0;
        if (pmu.ReferenceCounterBit is not { } bit)
            throw new KernelException($"perf_event_open({what})", Errno.EINVAL, "this kernel's uprobe PMU has no ref_ctr_offset (Linux 4.20) to raise the USDT semaphore");
        return offset << bit;
    }

    /// <summary>
    /// Attaches a uprobe (or uretprobe) to <paramref name="function"/> in <paramref name="binary"/>:
    /// a path, a program name found in PATH, or a library name such as "libc" found through
    /// ld.so.cache. The symbol's file offset comes from our ELF reader.
    /// </summary>
    public static BpfLink UprobeFunction(BpfProgram program, string binary, string function, bool isReturn = false, int pid = -1)
    {
        var path = Elf.BinaryPathResolver.Default.Resolve(binary);
        var offset = Elf.ElfFile.ResolveUprobeOffset(path, function);
        var link = Uprobe(program, path, offset, isReturn, pid);
        return new BpfLink($"{(isReturn ? "uretprobe" : "uprobe")} {path}:{function}", link) { PerfEventFd = link.PerfEventFd };
    }

    /// <summary>
    /// Attaches a perf_event program to a sampling software event on every online CPU, e.g.
    /// cpu-clock at <paramref name="frequencyHz"/> for profile probes.
    /// </summary>
    public static LinkSet SoftwareEventOnEachCpu(BpfProgram program, PerfSoftwareEvent perfEvent, ulong frequencyHz = 0, ulong period = 0, int pid = -1)
    {
        if ((frequencyHz == 0) == (period == 0)) throw new ArgumentException("give either a frequency or a period");
        var set = new LinkSet();
        try
        {
            foreach (var cpu in pid >= 0 ? [-1] : PossibleCpus.Online)
            {
                var attr = new PerfEventAttr
                {
                    Type = PerfType.Software,
                    Config = (ulong)perfEvent,
                    SamplePeriodOrFreq = frequencyHz != 0 ? frequencyHz : period,
                    Flags = frequencyHz != 0 ? PerfEventFlags.Freq : PerfEventFlags.None,
                };
                var what = $"software event {perfEvent} on cpu {cpu}";
                var perf = PerfEvent.Open(ref attr, pid, cpu, what);
                set.Add(AttachToPerfEvent(program, perf, what));
            }
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Attaches <paramref name="program"/> to an open perf event, taking ownership of it: a bpf_link
    /// (BPF_LINK_CREATE, Linux 5.15) where possible, else PERF_EVENT_IOC_SET_BPF; then enables it.
    /// </summary>
    public static BpfLink AttachToPerfEvent(BpfProgram program, KernelFd perfEvent, string description)
    {
        try
        {
            var attr = new LinkCreateAttr { ProgFd = (uint)program.Fd.Value, TargetFd = (uint)perfEvent.Value, AttachType = BpfAttachType.PerfEvent };
            var link = BpfSyscall.TryInvoke(BpfCommand.LinkCreate, ref attr);
            if (link >= 0)
            {
                PerfEvent.Enable(perfEvent);
                return new BpfLink(description, perfEvent, KernelFd.Own(link)) { PerfEventFd = perfEvent };
            }
            var errno = Syscall.LastErrno;
            if (errno is not (Errno.EINVAL or Errno.ENOTSUPP or Errno.EOPNOTSUPP or Errno.E2BIG))
                throw BpfSyscall.Error(BpfCommand.LinkCreate, errno, description);
            Syscall.Ioctl(perfEvent, PerfIoctl.SetBpf, program.Fd.Value, "PERF_EVENT_IOC_SET_BPF", Capability.Perfmon);
            PerfEvent.Enable(perfEvent);
            return new BpfLink(description, perfEvent) { PerfEventFd = perfEvent };
        }
        catch
        {
            perfEvent.Dispose();
            throw;
        }
    }
}
