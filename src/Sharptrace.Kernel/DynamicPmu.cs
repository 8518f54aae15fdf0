using System.Collections.Concurrent;

namespace Sharptrace.Kernel;

/// <summary>
/// A dynamic PMU such as "kprobe" or "uprobe": the perf_event_attr.type the kernel gave it at boot
/// and the config bit that asks it for a return probe, both from sysfs.
/// </summary>
/// <remarks>
/// Read once per process and cached: a wildcard attaches hundreds of probes, and a probe must not
/// see file opens of the tracer's own later attaches (a kprobe on do_sys_openat2 would count the
/// reads of these very sysfs files while its kretprobe is being attached).
/// </remarks>
public sealed record DynamicPmu(string Name, uint Type, int RetprobeBit)
{
    private static readonly ConcurrentDictionary<string, DynamicPmu?> Cache = new(StringComparer.Ordinal);

    /// <summary>The PMU named <paramref name="name"/>, or null when the kernel lacks it (e.g. CONFIG_KPROBES off).</summary>
    public static DynamicPmu? Find(string name) => Cache.GetOrAdd(name, Read);

    /// <summary>
    /// The first config bit of the uprobe PMU's ref_ctr_offset field (Linux 4.20: the kernel itself
    /// raises a USDT semaphore while the probe is attached), or null when the kernel has none.
    /// </summary>
    public int? ReferenceCounterBit { get; init; }

    /// <summary>The perf_event_attr.config for an entry probe or, with <paramref name="isReturn"/>, a return probe.</summary>
    public ulong Config(bool isReturn) => isReturn ? 1UL << RetprobeBit : 0;

    private static DynamicPmu? Read(string name)
    {
        var directory = $"/sys/bus/event_source/devices/{name}";
        var typePath = Path.Combine(directory, "type");
        if (!File.Exists(typePath) || !uint.TryParse(File.ReadAllText(typePath).Trim(), out var type))
            return null;
        return new DynamicPmu(name, type, ReadFormatBit(Path.Combine(directory, "format", "retprobe")) ?? 0)
        {
            ReferenceCounterBit = ReadFormatBit(Path.Combine(directory, "format", "ref_ctr_offset")),
        };
    }

    // format/retprobe reads "config:0", format/ref_ctr_offset "config:32-63"; kernels before
    // format/retprobe existed used bit 0.
    private static int? ReadFormatBit(string path)
    {
        if (!File.Exists(path)) return null;
        var text = File.ReadAllText(path).Trim();
        var colon = text.IndexOf(':');
        var dash = text.IndexOf('-');
        var end = dash > colon ? dash : text.Length;
        return colon >= 0 && int.TryParse(text.AsSpan(colon + 1, end - colon - 1), out var bit) ? bit : null;
    }
}
