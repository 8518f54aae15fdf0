namespace Sharptrace.Bpf.Btf;

/// <summary>
/// Hash index from type name to the types of one spec that carry it. Keyed on the raw UTF-8
/// bytes (hashed with FNV-1a) so building it decodes no strings: two int arrays, one chain link
/// per type.
/// </summary>
internal sealed class BtfNameIndex
{
    private readonly BtfSpec spec;
    private readonly int[] buckets;
    private readonly int[] next;

    public BtfNameIndex(BtfSpec spec)
    {
        this.spec = spec;
        var count = spec.OwnTypeCount;
        var size = (int)Math.Min(1u << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, 16)));
        buckets = new int[size];
        Array.Fill(buckets, -1);
        next = new int[count];
        // Inserted from the last id down so that each chain runs in ascending id order.
        for (var local = count - 1; local >= 0; local--)
        {
            var type = spec.TypeById(spec.FirstTypeId + local);
            if (!type.HasName)
            {
                next[local] = -1;
                continue;
            }
            var bucket = (int)(Hash(type.NameBytes) & (uint)(size - 1));
            next[local] = buckets[bucket];
            buckets[bucket] = local;
        }
    }

    /// <summary>Adds to <paramref name="found"/> the ids of types named <paramref name="name"/>, in id order.</summary>
    public void Find(ReadOnlySpan<byte> name, BtfKind? kind, List<int> found, bool firstOnly)
    {
        var bucket = (int)(Hash(name) & (uint)(buckets.Length - 1));
        for (var local = buckets[bucket]; local >= 0; local = next[local])
        {
            var type = spec.TypeById(spec.FirstTypeId + local);
            if ((kind is null || type.Kind == kind) && type.NameBytes.SequenceEqual(name))
            {
                found.Add(type.Id);
                if (firstOnly)
                    return;
            }
        }
    }

    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
            hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
