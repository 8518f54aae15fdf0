using Sharptrace.Bpf.Btf;

namespace Sharptrace.Script.Semantics;

/// <summary>
/// The running kernel's BTF, parsed only when a script dereferences a struct (start-up stays lean
/// for everything else), and the translation of BTF member types into script types.
/// </summary>
internal static class KernelTypes
{
    private static readonly Lazy<BtfSpec?> Kernel = new(() =>
    {
        try { return File.Exists(BtfSpec.KernelBtfPath) ? BtfSpec.LoadKernel() : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BtfFormatException) { return null; }
    });

    /// <summary>Replaces the kernel BTF (tests use hand-built or saved specs).</summary>
    public static BtfSpec? Override { get; set; }

    public static BtfSpec? Spec => Override ?? Kernel.Value;

    /// <summary>The BTF type named like a C type: "struct task_struct", "union x", or a typedef/int name.</summary>
    public static BtfType? Find(string cName)
    {
        var spec = Spec;
        if (spec is null) return null;
        var name = cName.Replace("const ", "", StringComparison.Ordinal).Replace("volatile ", "", StringComparison.Ordinal).Trim();
        if (name.StartsWith("struct ", StringComparison.Ordinal))
            return spec.TryFindType(name[7..].Trim(), BtfKind.Struct, out var s) ? s : null;
        if (name.StartsWith("union ", StringComparison.Ordinal))
            return spec.TryFindType(name[6..].Trim(), BtfKind.Union, out var u) ? u : null;
        return spec.TryFindType(name, BtfKind.Typedef, out var t) ? t : spec.TryFindType(name, out var any) ? any : null;
    }

    /// <summary>The script type of a BTF type id: integers, pointers (keeping what they point at), char arrays as strings, structs as records.</summary>
    public static ScriptType ToScriptType(BtfSpec spec, int id)
    {
        var type = spec.Resolve(id);
        switch (type.Kind)
        {
            case BtfKind.Int:
                return ScriptType.Integer(type.Size is 1 or 2 or 4 or 8 ? (int)type.Size : 8, type.IntEncoding.HasFlag(BtfIntEncoding.Signed));
            case BtfKind.Enum or BtfKind.Enum64:
                return ScriptType.Integer(type.Size is 1 or 2 or 4 or 8 ? (int)type.Size : 8, true);
            case BtfKind.Pointer:
            {
                var target = spec.Resolve(type.ReferencedTypeId);
                return new ScriptType(TypeKind.Pointer, 8) { Pointee = Describe(target), BtfId = target.Id };
            }
            case BtfKind.Array:
            {
                var element = spec.Resolve(type.ArrayElementTypeId);
                if (element.Kind == BtfKind.Int && element.Size == 1) return ScriptType.String((int)Math.Min(type.ArrayLength, 200));
                // Other arrays are read element by element through their address.
                return new ScriptType(TypeKind.Pointer, 8) { Pointee = Describe(element), BtfId = element.Id, IsArrayAddress = true };
            }
            case BtfKind.Struct or BtfKind.Union:
                return new ScriptType(TypeKind.Record, (int)type.Size) { Pointee = Describe(type), BtfId = type.Id };
            default:
                return ScriptType.UInt64;
        }
    }

    private static string Describe(BtfType type) => type.Kind switch
    {
        BtfKind.Struct => "struct " + type.Name,
        BtfKind.Union => "union " + type.Name,
        _ => type.HasName ? type.Name : type.Kind.ToString().ToLowerInvariant(),
    };
}
