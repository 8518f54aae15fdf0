using System.Runtime.InteropServices;
using Sharptrace.Bpf.Maps;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Bpf;

public class MapTests
{
    [Theory]
    [InlineData(BpfMapType.Hash)]
    [InlineData(BpfMapType.LruHash)]
    public void HashMapsCreateLookupUpdateDeleteIterate(BpfMapType type)
    {
        Require.Root();
        using var map = BpfMap.Create(new MapSpec("t_hash", type, 4, 8, 1024));
        for (var i = 0; i < 300; i++) map.Update(i, (long)i * 10);
        Assert.True(map.TryLookup(7, out long seven));
        Assert.Equal(70, seven);
        Assert.False(map.TryLookup(5000, out long _));
        Assert.True(map.Delete(7));
        Assert.False(map.Delete(7));
        var entries = map.Entries();
        Assert.Equal(299, entries.Count);
        Assert.All(entries, e => Assert.Equal(BitConverter.ToInt32(e.Key) * 10L, BitConverter.ToInt64(e.Value)));
        Assert.Equal(299, map.Keys().Count());
        Assert.Throws<KernelException>(() => map.Update(1, 1L, BpfUpdateFlags.NoExist));
    }

    [Fact]
    public void ArrayMapHasAllIndexesAndRejectsOutOfRange()
    {
        Require.Root();
        using var map = BpfMap.Create(MapSpec.Array("t_array", 8, 16));
        map.Update(3, 42L);
        Assert.True(map.TryLookup(3, out long v));
        Assert.Equal(42, v);
        Assert.True(map.TryLookup(4, out long zero));
        Assert.Equal(0, zero);
        Assert.False(map.TryLookup(16, out long _));
        Assert.Equal(16, map.Entries().Count);
        var e = Assert.Throws<KernelException>(() => map.Update(16, 1L));
        Assert.Contains("BPF_MAP_UPDATE_ELEM", e.Message);
        Assert.Contains("t_array", e.Message);
    }

    [Theory]
    [InlineData(BpfMapType.PercpuHash)]
    [InlineData(BpfMapType.PercpuArray)]
    public void PerCpuMapsHoldOneSlotPerPossibleCpu(BpfMapType type)
    {
        Require.Root();
        using var map = BpfMap.Create(new MapSpec("t_percpu", type, 4, 8, 8));
        var values = new long[PossibleCpus.Count];
        for (var i = 0; i < values.Length; i++) values[i] = 100 + i;
        var key = 1;
        map.Update(MemoryMarshal.AsBytes(new ReadOnlySpan<int>(in key)), MemoryMarshal.AsBytes(values.AsSpan()));
        var back = map.LookupPerCpu<int, long>(1);
        Assert.Equal(values, back);
        Assert.Contains(map.Entries(), e => BitConverter.ToInt32(e.Key) == 1);
    }

    [Fact]
    public void StackTracePerfEventArrayAndRingBufferMapsCreate()
    {
        Require.Root();
        using var stacks = BpfMap.Create(MapSpec.StackTrace("t_stacks", 127, 1024));
        using var perf = BpfMap.Create(MapSpec.PerfEventArray("t_perf"));
        using var ring = BpfMap.Create(MapSpec.RingBuffer("t_ring", 1 << 16));
        Assert.Equal(PossibleCpus.Count, perf.Spec.MaxEntries);
        Assert.Equal(1 << 16, ring.Spec.MaxEntries);
        Assert.False(stacks.TryLookup(0, out StackFrames _));
    }

    [Fact]
    public void WrongKeySizeIsAClearArgumentError()
    {
        Require.Root();
        using var map = BpfMap.Create(MapSpec.Hash("t_keys", 4, 8, 4));
        var e = Assert.Throws<ArgumentException>(() => map.Update(1L, 1L));
        Assert.Contains("4-byte keys", e.Message);
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct StackFrames
    {
        public fixed ulong Ips[127];
    }
}
