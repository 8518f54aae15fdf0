using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bpf.Maps;

/// <summary>
/// A BPF map living in the kernel, owned through its fd: create, lookup, update, delete and iterate,
/// over raw bytes or unmanaged structs. Per-CPU maps take and return one slot per possible CPU.
/// </summary>
public sealed unsafe class BpfMap : IDisposable
{
    private bool? batchSupported;

    private BpfMap(MapSpec spec, KernelFd fd)
    {
        Spec = spec;
        Fd = fd;
    }

    /// <summary>The map's description.</summary>
    public MapSpec Spec { get; }

    /// <summary>The fd that owns the map; closing it frees the map once no program uses it.</summary>
    public KernelFd Fd { get; }

    /// <summary>The map's name.</summary>
    public string Name => Spec.Name;

    /// <summary>Creates the map in the kernel.</summary>
    public static BpfMap Create(MapSpec spec)
    {
        var attr = new MapCreateAttr
        {
            MapType = spec.Type,
            KeySize = (uint)spec.KeySize,
            ValueSize = (uint)spec.ValueSize,
            MaxEntries = (uint)spec.MaxEntries,
            MapFlags = spec.Flags,
        };
        BpfSyscall.WriteObjectName(attr.MapName, spec.Name);
        var fd = BpfSyscall.InvokeForFd(BpfCommand.MapCreate, ref attr, $"map '{spec.Name}' ({spec.Type})");
        return new BpfMap(spec, fd);
    }

    /// <summary>Copies the value of <paramref name="key"/> into <paramref name="value"/>; false when the key is absent.</summary>
    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var attr = new MapElemAttr { MapFd = (uint)Fd.Value, Key = (ulong)k, ValueOrNextKey = (ulong)v };
            if (BpfSyscall.TryInvoke(BpfCommand.MapLookupElem, ref attr) == 0) return true;
            if (Syscall.LastErrno == Errno.ENOENT) return false;
            throw BpfSyscall.Error(BpfCommand.MapLookupElem, Syscall.LastErrno, $"map '{Name}'");
        }
    }

    /// <summary>Like <see cref="TryLookup(ReadOnlySpan{byte}, Span{byte})"/>, then deletes the entry (queues, stacks, hashes on 5.14+).</summary>
    public bool TryLookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var attr = new MapElemAttr { MapFd = (uint)Fd.Value, Key = (ulong)k, ValueOrNextKey = (ulong)v };
            if (BpfSyscall.TryInvoke(BpfCommand.MapLookupAndDeleteElem, ref attr) == 0) return true;
            if (Syscall.LastErrno == Errno.ENOENT) return false;
            throw BpfSyscall.Error(BpfCommand.MapLookupAndDeleteElem, Syscall.LastErrno, $"map '{Name}'");
        }
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>.</summary>
    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var attr = new MapElemAttr { MapFd = (uint)Fd.Value, Key = (ulong)k, ValueOrNextKey = (ulong)v, Flags = (ulong)flags };
            BpfSyscall.Invoke(BpfCommand.MapUpdateElem, ref attr, $"map '{Name}'");
        }
    }

    /// <summary>Deletes <paramref name="key"/>; false when it was absent.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        fixed (byte* k = key)
        {
            var attr = new MapElemAttr { MapFd = (uint)Fd.Value, Key = (ulong)k };
            if (BpfSyscall.TryInvoke(BpfCommand.MapDeleteElem, ref attr) == 0) return true;
            if (Syscall.LastErrno == Errno.ENOENT) return false;
            throw BpfSyscall.Error(BpfCommand.MapDeleteElem, Syscall.LastErrno, $"map '{Name}'");
        }
    }

    /// <summary>
    /// Writes the key after <paramref name="key"/> (the first key when <paramref name="key"/> is empty)
    /// into <paramref name="nextKey"/>; false at the end.
    /// </summary>
    public bool TryGetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (nextKey.Length != Spec.KeySize) throw new ArgumentException($"map '{Name}' has {Spec.KeySize}-byte keys, got a {nextKey.Length}-byte buffer");
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
        {
            var attr = new MapElemAttr { MapFd = (uint)Fd.Value, Key = key.IsEmpty ? 0 : (ulong)k, ValueOrNextKey = (ulong)n };
            if (BpfSyscall.TryInvoke(BpfCommand.MapGetNextKey, ref attr) == 0) return true;
            if (Syscall.LastErrno == Errno.ENOENT) return false;
            throw BpfSyscall.Error(BpfCommand.MapGetNextKey, Syscall.LastErrno, $"map '{Name}'");
        }
    }

    /// <summary>All keys, in the kernel's order.</summary>
    public IEnumerable<byte[]> Keys()
    {
        var key = System.Array.Empty<byte>();
        var next = new byte[Spec.KeySize];
        while (TryGetNextKey(key, next))
        {
            yield return next;
            key = next;
            next = new byte[Spec.KeySize];
        }
    }

    /// <summary>
    /// All entries. Uses BPF_MAP_LOOKUP_BATCH (one syscall per chunk) where the kernel supports it
    /// for this map type, else one get-next-key and one lookup per entry.
    /// </summary>
    public IReadOnlyList<(byte[] Key, byte[] Value)> Entries()
    {
        if (batchSupported != false)
        {
            var batch = TryEntriesBatched();
            if (batch is not null) return batch;
        }
        var entries = new List<(byte[], byte[])>();
        foreach (var key in Keys())
        {
            var value = new byte[Spec.UserValueSize];
            if (TryLookup(key, value)) entries.Add((key, value));
        }
        return entries;
    }

    private List<(byte[], byte[])>? TryEntriesBatched()
    {
        var chunk = Math.Clamp(Spec.MaxEntries, 1, 4096);
        var keys = new byte[chunk * Spec.KeySize];
        var values = new byte[chunk * Spec.UserValueSize];
        // The batch token is opaque: a u32 bucket for hashes, a key for arrays; a key-sized (>= 8) buffer fits both.
        var tokenSize = Math.Max(8, Spec.KeySize);
        var inToken = new byte[tokenSize];
        var outToken = new byte[tokenSize];
        var result = new List<(byte[], byte[])>();
        var first = true;
        while (true)
        {
            uint count;
            Errno errno;
            fixed (byte* k = keys)
            fixed (byte* v = values)
            fixed (byte* inT = inToken)
            fixed (byte* outT = outToken)
            {
                var attr = new MapBatchAttr
                {
                    InBatch = first ? 0 : (ulong)inT,
                    OutBatch = (ulong)outT,
                    Keys = (ulong)k,
                    Values = (ulong)v,
                    Count = (uint)chunk,
                    MapFd = (uint)Fd.Value,
                };
                var rc = BpfSyscall.TryInvoke(BpfCommand.MapLookupBatch, ref attr);
                errno = rc == 0 ? Errno.None : Syscall.LastErrno;
                count = attr.Count;
            }
            if (errno is Errno.EINVAL or Errno.ENOTSUPP or Errno.EOPNOTSUPP && first)
            {
                batchSupported = false;
                return null;
            }
            if (errno is not Errno.None and not Errno.ENOENT)
                throw BpfSyscall.Error(BpfCommand.MapLookupBatch, errno, $"map '{Name}'");
            batchSupported = true;
            for (var i = 0; i < count; i++)
                result.Add((keys.AsSpan(i * Spec.KeySize, Spec.KeySize).ToArray(), values.AsSpan(i * Spec.UserValueSize, Spec.UserValueSize).ToArray()));
            if (errno == Errno.ENOENT) return result;
            outToken.CopyTo(inToken, 0);
            first = false;
        }
    }

    /// <summary>Typed lookup.</summary>
    public bool TryLookup<TKey, TValue>(in TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        value = default;
        return TryLookup(AsBytes(in key), MemoryMarshal.AsBytes(new Span<TValue>(ref value)));
    }

    /// <summary>Typed update.</summary>
    public void Update<TKey, TValue>(in TKey key, in TValue value, BpfUpdateFlags flags = BpfUpdateFlags.Any) where TKey : unmanaged where TValue : unmanaged =>
        Update(AsBytes(in key), AsBytes(in value), flags);

    /// <summary>Typed delete.</summary>
    public bool Delete<TKey>(in TKey key) where TKey : unmanaged => Delete(AsBytes(in key));

    /// <summary>Per-CPU lookup: one value per possible CPU, or null when the key is absent.</summary>
    public TValue[]? LookupPerCpu<TKey, TValue>(in TKey key) where TKey : unmanaged where TValue : unmanaged
    {
        if (!Spec.IsPerCpu) throw new InvalidOperationException($"map '{Name}' is not a per-CPU map");
        var raw = new byte[Spec.UserValueSize];
        if (!TryLookup(AsBytes(in key), raw)) return null;
        return SplitPerCpu<TValue>(raw);
    }

    /// <summary>Splits a per-CPU value buffer into one value per CPU.</summary>
    public TValue[] SplitPerCpu<TValue>(ReadOnlySpan<byte> raw) where TValue : unmanaged
    {
        var cpus = PossibleCpus.Count;
        var result = new TValue[cpus];
        for (var cpu = 0; cpu < cpus; cpu++)
            result[cpu] = MemoryMarshal.Read<TValue>(raw.Slice(cpu * Spec.PerCpuStride, Unsafe.SizeOf<TValue>()));
        return result;
    }

    private static ReadOnlySpan<byte> AsBytes<T>(in T value) where T : unmanaged =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Spec.KeySize)
            throw new ArgumentException($"map '{Name}' has {Spec.KeySize}-byte keys, got {key.Length} bytes");
    }

    private void CheckValue(int length)
    {
        if (length != Spec.UserValueSize)
            throw new ArgumentException($"map '{Name}' needs a {Spec.UserValueSize}-byte value buffer{(Spec.IsPerCpu ? $" ({PossibleCpus.Count} CPUs x {Spec.PerCpuStride})" : "")}, got {length} bytes");
    }

    /// <inheritdoc />
    public void Dispose() => Fd.Dispose();
}
