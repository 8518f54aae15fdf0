using Sharptrace.Script.Syntax;

namespace Sharptrace.Script.Semantics;

/// <summary>What the semantic pass learned about a map: its key (a tuple of the key parts, or none) and value types.</summary>
internal sealed class MapInfo(string name, SourceSpan firstUse)
{
    public string Name { get; } = name;
    public SourceSpan FirstUse { get; } = firstUse;

    /// <summary>null until the map is used with a key; a keyless map has an empty tuple.</summary>
    public ScriptType? Key { get; set; }

    public ScriptType Value { get; set; } = ScriptType.None;

    public int KeyCount => Key?.Elements.Length ?? 0;

    /// <summary>Bytes of the key in the BPF map (a keyless map uses one zero u64).</summary>
    public int KeySize => KeyCount == 0 ? 8 : Key!.Size;

    /// <summary>Histograms add the bucket index after the user key.</summary>
    public int StorageKeySize => KeySize + (Value.Kind is TypeKind.Hist or TypeKind.Lhist ? 8 : 0);

    public int StorageValueSize => Value.Kind switch
    {
        TypeKind.Min or TypeKind.Max or TypeKind.Avg or TypeKind.Stats => 16,
        TypeKind.Count or TypeKind.Sum or TypeKind.Hist or TypeKind.Lhist => 8,
        TypeKind.Integer or TypeKind.Pointer => 8,
        _ => Math.Max(8, ScriptType.Align8(Value.Size)),
    };

    public bool IsPerCpu => Value.IsAggregation;
}
