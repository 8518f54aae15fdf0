namespace Sharptrace.Bpf.Btf;

/// <summary>
/// Spells BTF types as C declarations. Works inside out like a C declarator: pointers prepend
/// <c>*</c>, arrays and prototypes append their suffix (parenthesising a pointer declarator), and
/// the base type goes in front.
/// </summary>
internal static class BtfTypePrinter
{
    public static string Format(BtfType type, string declarator = "") => Declare(type, declarator, 0);

    private static string Declare(BtfType type, string inner, int depth)
    {
        if (depth > BtfSpec.MaxChainDepth)
            throw type.Spec.Malformed($"type [{type.Id}] refers to itself through a cycle", type);
        switch (type.Kind)
        {
            case BtfKind.Void:
                return Join("void", inner);
            case BtfKind.Int or BtfKind.Float or BtfKind.Typedef:
                return Join(type.Name, inner);
            case BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64:
                return Join($"{BtfSpec.KindWord(type.Kind)} {(type.HasName ? type.Name : "{...}")}", inner);
            case BtfKind.Forward:
                return Join($"{(type.IsForwardUnion ? "union" : "struct")} {type.Name}", inner);
            case BtfKind.Pointer:
                return Declare(type.ReferencedType, "*" + inner, depth + 1);
            case BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict:
                var qualifier = type.Kind switch
                {
                    BtfKind.Const => "const",
                    BtfKind.Volatile => "volatile",
                    _ => "restrict",
                };
                var target = type.ReferencedType;
                // A qualified pointer is written after the star (char *const); anything else before.
                return target.Kind == BtfKind.Pointer
                    ? Declare(target, inner.Length == 0 ? qualifier : $"{qualifier} {inner}", depth + 1)
                    : $"{qualifier} {Declare(target, inner, depth + 1)}";
            case BtfKind.TypeTag:
                return Declare(type.ReferencedType, inner, depth + 1);
            case BtfKind.Array:
                return Declare(type.Spec.TypeById(type.ArrayElementTypeId), $"{Group(inner)}[{type.ArrayLength}]", depth + 1);
            case BtfKind.FuncProto:
                return Declare(type.ReferencedType, $"{Group(inner)}({Parameters(type, depth)})", depth + 1);
            case BtfKind.Func:
                var proto = type.ReferencedType;
                return proto.Kind == BtfKind.FuncProto
                    ? Declare(proto, Join(type.Name, inner), depth + 1)
                    : Join($"func {type.Name}", inner);
            case BtfKind.Var:
                return Declare(type.ReferencedType, Join(type.Name, inner), depth + 1);
            case BtfKind.DataSec:
                return $"SEC(\"{type.Name}\")";
            case BtfKind.DeclTag:
                return $"{Declare(type.ReferencedType, inner, depth + 1)} __attribute__((btf_decl_tag(\"{type.Name}\")))";
            default:
                return Join($"<kind {(int)type.Kind}>", inner);
        }
    }

    private static string Parameters(BtfType proto, int depth)
    {
        var parameters = proto.Params;
        if (parameters.Count == 0)
            return "void";
        var parts = new string[parameters.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var parameter = parameters[i];
            parts[i] = parameter.IsVariadic ? "..." : Declare(parameter.Type, parameter.Name, depth + 1);
        }
        return string.Join(", ", parts);
    }

    // A pointer declarator binds looser than [] and (), so it needs parentheses before them.
    private static string Group(string inner) => inner.StartsWith('*') ? $"({inner})" : inner;

    private static string Join(string baseType, string inner) =>
        inner.Length == 0 ? baseType : inner[0] == '[' ? baseType + inner : $"{baseType} {inner}";
}
