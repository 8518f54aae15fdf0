using System.Runtime.InteropServices;

namespace Sharptrace.Kernel.Uapi;

#pragma warning disable CS1591 // names mirror include/uapi/linux/perf_event.h

/// <summary>struct perf_event_attr (PERF_ATTR_SIZE_VER8, 136 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PerfEventAttr
{
    public PerfType Type;
    public uint Size;
    public ulong Config;
    /// <summary>sample_period, or sample_freq when <see cref="PerfEventFlags.Freq"/> is set.</summary>
    public ulong SamplePeriodOrFreq;
    public PerfSampleType SampleType;
    public ulong ReadFormat;
    public PerfEventFlags Flags;
    /// <summary>wakeup_events, or wakeup_watermark when <see cref="PerfEventFlags.Watermark"/> is set.</summary>
    public uint WakeupEventsOrWatermark;
    public uint BpType;
    /// <summary>config1: bp_addr, kprobe_func or uprobe_path (a pointer to a C string).</summary>
    public ulong Config1;
    /// <summary>config2: bp_len, kprobe_addr or probe_offset.</summary>
    public ulong Config2;
    public ulong BranchSampleType;
    public ulong SampleRegsUser;
    public uint SampleStackUser;
    public int ClockId;
    public ulong SampleRegsIntr;
    public uint AuxWatermark;
    public ushort SampleMaxStack;
    private ushort reserved2;
    public uint AuxSampleSize;
    private uint reserved3;
    public ulong SigData;
    public ulong Config3;

    /// <summary>The size the kernel is told (sizeof this struct).</summary>
    public const uint CurrentSize = 136;
}

/// <summary>perf_type_id. Dynamic PMUs (kprobe, uprobe) have their number in /sys/bus/event_source/devices/NAME/type.</summary>
public enum PerfType : uint
{
    Hardware = 0, Software = 1, Tracepoint = 2, HwCache = 3, Raw = 4, Breakpoint = 5,
}

/// <summary>perf_sw_ids.</summary>
public enum PerfSoftwareEvent : ulong
{
    CpuClock = 0, TaskClock = 1, PageFaults = 2, ContextSwitches = 3, CpuMigrations = 4,
    PageFaultsMin = 5, PageFaultsMaj = 6, AlignmentFaults = 7, EmulationFaults = 8, Dummy = 9, BpfOutput = 10, CgroupSwitches = 11,
}

/// <summary>perf_hw_id.</summary>
public enum PerfHardwareEvent : ulong
{
    CpuCycles = 0, Instructions = 1, CacheReferences = 2, CacheMisses = 3, BranchInstructions = 4,
    BranchMisses = 5, BusCycles = 6, StalledCyclesFrontend = 7, StalledCyclesBackend = 8, RefCpuCycles = 9,
}

/// <summary>perf_event_sample_format.</summary>
[Flags]
public enum PerfSampleType : ulong
{
    None = 0, Ip = 1 << 0, Tid = 1 << 1, Time = 1 << 2, Addr = 1 << 3, Read = 1 << 4, Callchain = 1 << 5,
    Id = 1 << 6, Cpu = 1 << 7, Period = 1 << 8, StreamId = 1 << 9, Raw = 1 << 10, BranchStack = 1 << 11,
    RegsUser = 1 << 12, StackUser = 1 << 13, Weight = 1 << 14, DataSrc = 1 << 15, Identifier = 1 << 16,
    Transaction = 1 << 17, RegsIntr = 1 << 18, PhysAddr = 1 << 19, Aux = 1 << 20, Cgroup = 1 << 21,
}

/// <summary>The bit-field word of perf_event_attr.</summary>
[Flags]
public enum PerfEventFlags : ulong
{
    None = 0, Disabled = 1UL << 0, Inherit = 1UL << 1, Pinned = 1UL << 2, Exclusive = 1UL << 3,
    ExcludeUser = 1UL << 4, ExcludeKernel = 1UL << 5, ExcludeHv = 1UL << 6, ExcludeIdle = 1UL << 7,
    Mmap = 1UL << 8, Comm = 1UL << 9, Freq = 1UL << 10, InheritStat = 1UL << 11, EnableOnExec = 1UL << 12,
    Task = 1UL << 13, Watermark = 1UL << 14, PreciseIp1 = 1UL << 15, PreciseIp2 = 1UL << 16, MmapData = 1UL << 17,
    SampleIdAll = 1UL << 18, ExcludeHost = 1UL << 19, ExcludeGuest = 1UL << 20, ExcludeCallchainKernel = 1UL << 21,
    ExcludeCallchainUser = 1UL << 22, Mmap2 = 1UL << 23, CommExec = 1UL << 24, UseClockId = 1UL << 25,
    ContextSwitch = 1UL << 26, WriteBackward = 1UL << 27, Namespaces = 1UL << 28, Ksymbol = 1UL << 29,
    BpfEvent = 1UL << 30, AuxOutput = 1UL << 31, Cgroup = 1UL << 32, TextPoke = 1UL << 33, BuildId = 1UL << 34,
    InheritThread = 1UL << 35, RemoveOnExec = 1UL << 36, Sigtrap = 1UL << 37,
}

/// <summary>perf_event ioctl requests.</summary>
public static class PerfIoctl
{
    public const nuint Enable = 0x2400;
    public const nuint Disable = 0x2401;
    public const nuint Refresh = 0x2402;
    public const nuint Reset = 0x2403;
    public const nuint Period = 0x40082404;
    public const nuint SetOutput = 0x2405;
    public const nuint SetFilter = 0x40082406;
    public const nuint Id = 0x80082407;
    public const nuint SetBpf = 0x40042408;
}
