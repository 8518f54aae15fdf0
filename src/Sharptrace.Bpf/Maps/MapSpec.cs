using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bpf.Maps;

/// <summary>What a map looks like before it exists in the kernel (pure data, like cilium/ebpf's MapSpec).</summary>
/// <param name="Name">Name shown by the kernel (at most 15 chars of [A-Za-z0-9_.]).</param>
/// <param name="Type">Map type.</param>
/// <param name="KeySize">Key size in bytes (0 for ring buffers).</param>
/// <param name="ValueSize">Value size in bytes per CPU (0 for ring buffers).</param>
/// <param name="MaxEntries">Capacity; for a ring buffer its size in bytes (a power-of-two multiple of the page size).</param>
/// <param name="Flags">BPF_F_* map flags.</param>
public sealed record MapSpec(string Name, BpfMapType Type, int KeySize, int ValueSize, int MaxEntries, uint Flags = 0)
{
    /// <summary>A hash map.</summary>
    public static MapSpec Hash(string name, int keySize, int valueSize, int maxEntries) =>
        new(name, BpfMapType.Hash, keySize, valueSize, maxEntries);

    /// <summary>An array map (keys are u32 indexes).</summary>
    public static MapSpec Array(string name, int valueSize, int maxEntries) =>
        new(name, BpfMapType.Array, 4, valueSize, maxEntries);

    /// <summary>A per-CPU hash map: every CPU has its own value slot.</summary>
    public static MapSpec PercpuHash(string name, int keySize, int valueSize, int maxEntries) =>
        new(name, BpfMapType.PercpuHash, keySize, valueSize, maxEntries);

    /// <summary>A per-CPU array map.</summary>
    public static MapSpec PercpuArray(string name, int valueSize, int maxEntries) =>
        new(name, BpfMapType.PercpuArray, 4, valueSize, maxEntries);

    /// <summary>An LRU hash map, which evicts the least recently used entry when full.</summary>
    public static MapSpec LruHash(string name, int keySize, int valueSize, int maxEntries) =>
        new(name, BpfMapType.LruHash, keySize, valueSize, maxEntries);

    /// <summary>A stack trace map holding up to <paramref name="depth"/> u64 frames per stack.</summary>
    public static MapSpec StackTrace(string name, int depth, int maxEntries) =>
        new(name, BpfMapType.StackTrace, 4, 8 * depth, maxEntries);

    /// <summary>A perf event array with one slot per possible CPU.</summary>
    public static MapSpec PerfEventArray(string name) =>
        new(name, BpfMapType.PerfEventArray, 4, 4, PossibleCpus.Count);

    /// <summary>A BPF ring buffer of <paramref name="sizeBytes"/> bytes (rounded up to a power of two of at least a page).</summary>
    public static MapSpec RingBuffer(string name, int sizeBytes)
    {
        var size = Math.Max(Kernel.Syscall.PageSize, sizeBytes);
        size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size);
        return new(name, BpfMapType.Ringbuf, 0, 0, size);
    }

    /// <summary>Whether each value has one slot per possible CPU in user space.</summary>
    public bool IsPerCpu => Type is BpfMapType.PercpuHash or BpfMapType.PercpuArray or BpfMapType.LruPercpuHash or BpfMapType.PercpuCgroupStorage;

    /// <summary>The size of the value buffer user space passes for lookups: per-CPU maps hold one 8-byte aligned slot per possible CPU.</summary>
    public int UserValueSize => IsPerCpu ? PerCpuStride * PossibleCpus.Count : ValueSize;

    /// <summary>Bytes between two CPUs' slots of a per-CPU value.</summary>
    public int PerCpuStride => (ValueSize + 7) & ~7;
}
