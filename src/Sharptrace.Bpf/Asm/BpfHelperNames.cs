using System.Collections.Frozen;

namespace Sharptrace.Bpf.Asm;

public static partial class BpfHelperNames
{
    private static readonly FrozenDictionary<string, BpfHelper> ByKernelName =
        KernelNames.Select((name, id) => KeyValuePair.Create(name, (BpfHelper)id)).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The kernel's name of a helper (<c>bpf_map_lookup_elem</c>), or null for an id this table
    /// does not know.
    /// </summary>
    public static string? KernelName(BpfHelper helper) =>
        (uint)helper < (uint)KernelNames.Length ? KernelNames[(int)helper] : null;

    /// <summary>Finds a helper by its kernel name, with or without the <c>bpf_</c> prefix.</summary>
    public static bool TryParse(string name, out BpfHelper helper) =>
        ByKernelName.TryGetValue(name, out helper) || ByKernelName.TryGetValue("bpf_" + name, out helper);
}
