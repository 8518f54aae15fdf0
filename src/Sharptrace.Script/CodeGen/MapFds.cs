namespace Sharptrace.Script.CodeGen;

/// <summary>The file descriptors the generated code refers to: one per script map, the ring buffer and the lost-event counter.</summary>
/// <remarks><paramref name="Scratch"/> is a one-entry per-CPU array for records too big for the 512-byte stack (join).</remarks>
internal sealed record MapFds(IReadOnlyDictionary<string, int> Maps, int RingBuffer, int LostCounter, int Scratch)
{
    /// <summary>Stack trace maps for kstack and ustack (0 when the script has none).</summary>
    public int KernelStacks { get; init; }

    public int UserStacks { get; init; }

    /// <summary>
    /// A one-entry array whose u64 exit() sets: every probe but END reads it first and returns at
    /// once, so no event counts after exit() even while user space is still detaching (0: no check).
    /// </summary>
    public int Exiting { get; init; }

    /// <summary>
    /// Whether <see cref="RingBuffer"/> is a perf event array (kernels before 5.8 have no
    /// BPF_MAP_TYPE_RINGBUF): records then go out with bpf_perf_event_output on the current CPU.
    /// </summary>
    public bool PerfBuffer { get; init; }

    /// <summary>Placeholders for dumping code (-d) without creating kernel objects.</summary>
    public static MapFds Placeholder(IEnumerable<string> names) => new(names.ToDictionary(n => n, _ => 0), 0, 0, 0);
}
